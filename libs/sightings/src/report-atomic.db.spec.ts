import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { IntelService, IntelStoreHooks } from '@cairn/intel';
import { machineViewer, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { SightingsService } from './sightings.service';

/**
 * A report's audit entry is written side by side with the store's prepare hooks (sideBySide): if
 * any of them fails — a database error, or a check that throws — nothing of the report is kept,
 * neither the sightings, their facts nor the audit entry; when all succeed, exactly one entry.
 */
describe('reportSightings: the audit entry and the sightings are stored together or not at all (libs/sightings)', () => {
  let ctx: ServiceContext;
  let owner: Client;
  let failing: 'database' | 'check' | null = null;

  beforeAll(async () => {
    ctx = await startServiceContext();
    owner = await ctx.owner();
    // One more prepare hook, failing on demand, beside the lookup's and the sighting facts' own.
    ctx.app.get(IntelStoreHooks).registerPrepare(async (m) => {
      if (failing === 'database') await m.query('SELECT 1 / 0');
      if (failing === 'check') {
        await m.query('SELECT 1');
        throw new Error('refused by a hook');
      }
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('keeps nothing when a hook fails, and one audit entry when none does', async () => {
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await newTenant(ctx.app, { country: 'DE', sectors: ['healthcare'] }));
    const T = '2025-01-01T00:00:00.000Z';
    const subject = `indicator--${randomUUID()}`;
    await ctx.app.get(IntelService).storeObjects(
      machineViewer(members[0]),
      [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: subject,
          created: T,
          modified: T,
          pattern: "[ipv4-addr:value = '203.0.113.77']",
          pattern_type: 'stix',
          valid_from: T,
        },
      ],
      { distribution: 'COMMUNITY', tlp: 'CLEAR' },
    );
    const reporter = members[1];
    const kept = async () => ({
      audit: (
        await owner.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'sighting.reported' AND tenant_id = $1`, [reporter.id])
      ).rows[0].n,
      sightings: (
        await owner.query(`SELECT count(*)::int AS n FROM stix_object WHERE type = 'sighting' AND publisher_tenant_id = $1`, [reporter.id])
      ).rows[0].n,
      facts: (await owner.query(`SELECT count(*)::int AS n FROM sighting_fact WHERE publisher_tenant_id = $1`, [reporter.id])).rows[0].n,
    });
    const sightings = ctx.app.get(SightingsService);
    for (const mode of ['database', 'check'] as const) {
      failing = mode;
      await expect(
        sightings.report(machineViewer(reporter), [{ sightingOf: subject, firstSeen: '2025-06-02T09:00:00.000Z' }]),
      ).rejects.toThrow(mode === 'database' ? /division by zero/ : 'refused by a hook');
      expect(await kept()).toEqual({ audit: 0, sightings: 0, facts: 0 });
    }
    failing = null;
    await sightings.report(machineViewer(reporter), [
      { sightingOf: subject, firstSeen: '2025-06-02T09:00:00.000Z' },
      { sightingOf: subject, firstSeen: '2025-06-03T09:00:00.000Z' },
    ]);
    expect(await kept()).toEqual({ audit: 1, sightings: 2, facts: 2 });
    const { rows } = await owner.query(`SELECT details FROM audit_log WHERE action = 'sighting.reported' AND tenant_id = $1`, [
      reporter.id,
    ]);
    expect(rows[0].details).toEqual({ count: 2, narrowed: 0 });
  });
});
