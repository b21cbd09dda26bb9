import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { IntelService, type SharingRequest } from '@cairn/intel';
import { SharingGroupsService, TenancyService, type TenantEntity } from '@cairn/tenancy';
import { machineViewer, newGroup, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { SqlParams, visibleTo } from './visibility';

/**
 * The visibility rule on real rows, one layer at a time: the SQL predicate (run as the owner, whom
 * row-level security does not restrict), row-level security alone (the run-time login with the
 * predicate left out), and both as every read path uses them. The expected table is written out
 * by hand from the rule in DESIGN: who sees which object, and who does not.
 */
describe('the visibility predicate and row-level security on real rows (libs/access)', () => {
  let ctx: ServiceContext;
  let owner: Client;
  let dataSource: DataSource;
  let tenancy: TenancyService;
  /** A publishes everything; B is in A's group and in financial services in DE; C is a named recipient; D shares A's sector in GB. */
  const t: Record<'A' | 'B' | 'C' | 'D', TenantEntity> = {} as never;
  let groupId: string;
  const ids = new Map<string, string>();

  const OBJECTS: Array<[label: string, publisher: 'A' | 'B', sharing: () => SharingRequest]> = [
    ['A:ORGANISATION', 'A', () => ({ distribution: 'ORGANISATION', tlp: 'RED' })],
    ['A:RECIPIENTS(C)', 'A', () => ({ distribution: 'RECIPIENTS', tlp: 'RED', recipientTenantIds: [t.C.id] })],
    ['A:SHARING_GROUP', 'A', () => ({ distribution: 'SHARING_GROUP', tlp: 'AMBER', groupId })],
    ['A:SECTOR(own)', 'A', () => ({ distribution: 'SECTOR', tlp: 'AMBER' })],
    ['A:SECTOR(financial)', 'A', () => ({ distribution: 'SECTOR', tlp: 'GREEN', sectors: ['financial-services'] })],
    ['A:COMMUNITY', 'A', () => ({ distribution: 'COMMUNITY', tlp: 'CLEAR' })],
    ['A:COMMUNITY(DE only)', 'A', () => ({ distribution: 'COMMUNITY', tlp: 'GREEN', countries: ['DE'] })],
    ['B:ORGANISATION', 'B', () => ({ distribution: 'ORGANISATION', tlp: 'AMBER' })],
    ['B:SHARING_GROUP', 'B', () => ({ distribution: 'SHARING_GROUP', tlp: 'AMBER', groupId })],
  ];

  /** What each tenant may see, by the rule (and nothing else of these objects). */
  const EXPECTED: Record<'A' | 'B' | 'C' | 'D', string[]> = {
    A: [
      'A:COMMUNITY',
      'A:COMMUNITY(DE only)',
      'A:ORGANISATION',
      'A:RECIPIENTS(C)',
      'A:SECTOR(financial)',
      'A:SECTOR(own)',
      'A:SHARING_GROUP',
      'B:SHARING_GROUP',
    ],
    B: ['A:COMMUNITY', 'A:COMMUNITY(DE only)', 'A:SECTOR(financial)', 'A:SHARING_GROUP', 'B:ORGANISATION', 'B:SHARING_GROUP'],
    C: ['A:COMMUNITY', 'A:RECIPIENTS(C)'],
    D: ['A:COMMUNITY', 'A:SECTOR(own)'],
  };

  beforeAll(async () => {
    ctx = await startServiceContext();
    owner = await ctx.owner();
    dataSource = ctx.app.get<DataSource>(getDataSourceToken());
    tenancy = ctx.app.get(TenancyService);
    t.A = await newTenant(ctx.app, { country: 'US', sectors: ['technology'] });
    t.B = await newTenant(ctx.app, { country: 'DE', sectors: ['financial-services'] });
    t.C = await newTenant(ctx.app, { country: 'US', sectors: ['healthcare'] });
    t.D = await newTenant(ctx.app, { country: 'GB', sectors: ['technology'] });
    groupId = await newGroup(ctx.app, t.A, [t.B]);
    const intel = ctx.app.get(IntelService);
    for (const [label, publisher, sharing] of OBJECTS) {
      const id = `indicator--${randomUUID()}`;
      ids.set(id, label);
      const doc = {
        type: 'indicator',
        spec_version: '2.1',
        id,
        created: '2025-01-01T00:00:00.000Z',
        modified: '2025-01-01T00:00:00.000Z',
        name: label,
        pattern: "[ipv4-addr:value = '198.51.100.7']",
        pattern_type: 'stix',
        valid_from: '2025-01-01T00:00:00Z',
      };
      await intel.storeObjects(machineViewer(t[publisher]), [doc], sharing());
    }
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const labels = (rows: Array<{ id: string }>) => rows.map((r) => ids.get(r.id) ?? `unexpected ${r.id}`).sort();
  const ours = () => [...ids.keys()];

  it('the objects were stored with the distributions the table is about', async () => {
    const { rows } = await owner.query('SELECT id, distribution FROM stix_object WHERE id = ANY($1)', [ours()]);
    expect(new Set(rows.map((r: { distribution: string }) => r.distribution))).toEqual(
      new Set(['ORGANISATION', 'RECIPIENTS', 'SHARING_GROUP', 'SECTOR', 'COMMUNITY']),
    );
    expect(rows).toHaveLength(OBJECTS.length);
  });

  it('the SQL predicate alone (as the owner, no row-level security) selects exactly what each tenant may see', async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, tenant] of Object.entries(t)) {
      const params = new SqlParams([ours()]);
      const predicate = visibleTo('o', await tenancy.accessScope(tenant.id), params);
      seen[name] = labels((await owner.query(`SELECT o.id FROM stix_object o WHERE o.id = ANY($1) AND ${predicate}`, params.values)).rows);
    }
    expect(seen).toEqual(EXPECTED);
  });

  it('row-level security alone (the run-time login, no predicate) returns exactly the same rows', async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, tenant] of Object.entries(t)) {
      const scope = await tenancy.accessScope(tenant.id);
      seen[name] = labels(await tenancy.asViewer(scope, (m) => m.query('SELECT id FROM stix_object WHERE id = ANY($1)', [ours()])));
    }
    expect(seen).toEqual(EXPECTED);
  });

  it('both layers together, as every read path runs them, agree', async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, tenant] of Object.entries(t)) {
      const scope = await tenancy.accessScope(tenant.id);
      const params = new SqlParams([ours()]);
      const predicate = visibleTo('o', scope, params);
      seen[name] = labels(
        await tenancy.asViewer(scope, (m) =>
          m.query(`SELECT o.id FROM stix_object o WHERE o.id = ANY($1) AND ${predicate}`, params.values),
        ),
      );
    }
    expect(seen).toEqual(EXPECTED);
  });

  it('the run-time login outside a viewer transaction reads none of them', async () => {
    expect(await dataSource.query('SELECT id FROM stix_object WHERE id = ANY($1)', [ours()])).toEqual([]);
  });

  it('leaving the group takes its rows away from the next transaction, in both layers', async () => {
    await ctx.app.get(SharingGroupsService).leave(groupId, machineViewer(t.B));
    const scope = await tenancy.accessScope(t.B.id);
    expect(scope.groupIds).toEqual([]);
    const params = new SqlParams([ours()]);
    const predicate = visibleTo('o', scope, params);
    const byPredicate = labels(
      (await owner.query(`SELECT o.id FROM stix_object o WHERE o.id = ANY($1) AND ${predicate}`, params.values)).rows,
    );
    const byRls = labels(await tenancy.asViewer(scope, (m) => m.query('SELECT id FROM stix_object WHERE id = ANY($1)', [ours()])));
    // B still sees its own group row: the publisher always sees its own objects.
    const expected = ['A:COMMUNITY', 'A:COMMUNITY(DE only)', 'A:SECTOR(financial)', 'B:ORGANISATION', 'B:SHARING_GROUP'];
    expect({ byPredicate, byRls }).toEqual({ byPredicate: expected, byRls: expected });
  });
});
