import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { TenancyService } from './tenancy.service';

/**
 * The crowd (every member's cell) within one transaction: read once there, at its first use, and the
 * same for the rest of it — a sighting's index rows and its facts are placed by two store hooks, and
 * they must not place it under two memberships (nor read the crowd's generation twice).
 */
describe('the crowd as one transaction sees it (libs/tenancy)', () => {
  let ctx: ServiceContext;
  let tenancy: TenancyService;

  beforeAll(async () => {
    ctx = await startServiceContext();
    tenancy = ctx.app.get(TenancyService);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('members who join during the transaction are not in its crowd, are in the next one, and the generation is read once', async () => {
    const viewer = await newTenant(ctx.app, { country: 'NZ', sectors: ['insurance'] });
    const inside = await tenancy.asViewer(viewer.id, async (m) => {
      const reads: string[] = [];
      const query = m.query.bind(m);
      const spy = jest.spyOn(m, 'query').mockImplementation(((sql: string, params?: unknown[]) => {
        if (sql.includes('crowd_generation')) reads.push(sql);
        return query(sql, params);
      }) as never);
      try {
        const first = await tenancy.allMemberCells(m);
        // Three more members, committed by another connection while this transaction is open.
        for (let i = 0; i < 3; i++) await newTenant(ctx.app, { country: 'NZ', sectors: ['insurance'] });
        const second = await tenancy.allMemberCells(m);
        // cellFor reads the same crowd: no third read.
        await tenancy.cellFor(viewer.id, m);
        return { first, second, reads: reads.length };
      } finally {
        spy.mockRestore();
      }
    });
    expect(inside.second).toEqual(inside.first);
    expect(inside.reads).toBe(1);
    // Each new member has a cell now (three more and the viewer make a crowd of k), so the crowd grew.
    const after = await tenancy.allMemberCells();
    expect(after.length).toBeGreaterThanOrEqual(inside.first.length + 3);
    // The generation did move: the next transaction reads it again and sees the new members.
    const next = await tenancy.asViewer(viewer.id, (m) => tenancy.allMemberCells(m));
    expect(next).toEqual(after);
  });

  it('in a transaction beginWith did not open (which may commit and begin again on one runner), it is read every time', async () => {
    const dataSource = ctx.app.get<DataSource>(getDataSourceToken());
    const reads = await dataSource.transaction(async (m) => {
      let n = 0;
      const query = m.query.bind(m);
      const spy = jest.spyOn(m, 'query').mockImplementation(((sql: string, params?: unknown[]) => {
        if (sql.includes('crowd_generation')) n++;
        return query(sql, params);
      }) as never);
      try {
        await tenancy.allMemberCells(m);
        await tenancy.allMemberCells(m);
      } finally {
        spy.mockRestore();
      }
      return n;
    });
    expect(reads).toBe(2);
  });
});
