import { Client } from 'pg';
import { setViewer } from '@cairn/access';
import { LookupService } from '@cairn/lookup';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IntelService } from '@cairn/intel';
import { machineViewer, newApiKey, newGroup, newTenant } from './factories/tenancy.factory';
import { newIndicator as indicator, publishIndexed as publish } from './factories/lookup.factory';

/** The observable index as a table: row-level security on it, and rebuilding it from stix_object. */
describe('observable_index: row-level security and reindexing', () => {
  let api: TestApp;
  let db: Client;
  let a: TenantEntity;
  let b: TenantEntity;
  let c: TenantEntity;
  const orgIp = '198.51.100.71';
  const sectorEmail = 'applicant.71@proton.example';
  const communityHash = 'aa'.repeat(32);

  async function asViewer<T>(t: TenantEntity | null, sql: string, params: unknown[] = []): Promise<T[]> {
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE cairn_app');
      if (t) {
        await setViewer(db, await api.app.get(TenancyService).accessScope(t.id));
      }
      return (await db.query(sql, params)).rows as T[];
    } finally {
      await db.query('ROLLBACK');
    }
  }
  const keysSeenBy = async (t: TenantEntity | null) =>
    (await asViewer<{ key: string }>(t, 'SELECT key FROM observable_index ORDER BY key')).map((r) => r.key);

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    a = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    c = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    await publish(api, a, [indicator(`[ipv4-addr:value = '${orgIp}']`)], { distribution: 'ORGANISATION', tlp: 'AMBER' });
    await publish(api, a, [indicator(`[email-addr:value = '${sectorEmail}']`)], { distribution: 'SECTOR', tlp: 'GREEN' });
    await publish(api, c, [indicator(`[file:hashes.'SHA-256' = '${communityHash}']`)], { distribution: 'COMMUNITY', tlp: 'CLEAR' });
  }, 60_000);
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('raw SQL as cairn_app reads exactly the index rows of the objects the tenant may see', async () => {
    expect(await keysSeenBy(a)).toEqual([orgIp, communityHash, sectorEmail].sort());
    expect(await keysSeenBy(b)).toEqual([communityHash, sectorEmail].sort());
    expect(await keysSeenBy(c)).toEqual([communityHash]);
    expect(await keysSeenBy(null)).toEqual([]);
  });

  it('index rows carry their object’s audience, whatever the writer claims', async () => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM observable_index x JOIN stix_object o ON o.pk = x.object_pk
        WHERE (x.publisher_tenant_id, x.distribution, x.audience_sectors, x.audience_countries, x.audience_recipients)
          IS DISTINCT FROM (o.publisher_tenant_id, o.distribution, o.audience_sectors, o.audience_countries, o.audience_recipients)
           OR x.audience_group_id IS DISTINCT FROM o.audience_group_id`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('cairn_app cannot write index rows for another publisher, update them, or delete theirs', async () => {
    const [{ pk }] = (await db.query(`SELECT pk::text AS pk FROM stix_object WHERE publisher_tenant_id = $1 LIMIT 1`, [c.id])).rows;
    await expect(
      asViewer(
        a,
        `INSERT INTO observable_index (object_pk, kind, key, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_recipients)
                   VALUES ($1, 'IPV4', '192.0.2.1', $2, 'COMMUNITY', '{}', '{}', '{}')`,
        [pk, c.id],
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(asViewer(a, `UPDATE observable_index SET key = 'x'`)).rejects.toThrow(/permission denied/);
    expect(await asViewer(a, `DELETE FROM observable_index WHERE publisher_tenant_id = $1 RETURNING key`, [c.id])).toEqual([]);
  });

  it('the lookup and RLS agree: what raw SQL hides, checkIdentifiers does not know', async () => {
    const res = await gql<{ checkIdentifiers: Array<{ known: boolean }> }>(
      api.baseUrl,
      'query($v: [String!]!) { checkIdentifiers(values: $v) { known } }',
      { v: [orgIp, sectorEmail, communityHash] },
      { authorization: await newApiKey(api.app, c, ['intel:read']) },
    );
    expect(res.data!.checkIdentifiers.map((r) => r.known)).toEqual([false, false, true]);
  });

  it('reindexAll rebuilds the same rows from stix_object, and is idempotent', async () => {
    const snapshot = async () =>
      (await db.query(`SELECT object_pk::text, kind, key, publisher_tenant_id FROM observable_index ORDER BY 1, 2, 3`)).rows;
    const before = await snapshot();
    expect(before.length).toBe(3);
    await db.query('DELETE FROM observable_index');
    const totals = await api.app.get(LookupService).reindexAll();
    expect(totals).toMatchObject({ objects: 3, entries: 3 });
    expect(await snapshot()).toEqual(before);
    await api.app.get(LookupService).reindexAll();
    expect(await snapshot()).toEqual(before);
  });

  it('TenancyService.asViewer sets the same row-level-security viewer as setViewer with accessScope', async () => {
    const member = await newTenant(api.app, { country: 'NL', sectors: ['insurance', 'healthcare'] });
    await newGroup(api.app, a, [member]);
    await newGroup(api.app, c, [member]);
    const SETTINGS = `SELECT current_setting('cairn.tenant_id', true) AS tenant, current_setting('cairn.country', true) AS country,
                             current_setting('cairn.sectors', true) AS sectors, current_setting('cairn.groups', true) AS groups`;
    const tenancy = api.app.get(TenancyService);
    const viaAsViewer = await tenancy.asViewer(member.id, async (m, scope) => ({ scope, settings: (await m.query(SETTINGS))[0] }));
    await db.query('BEGIN');
    try {
      await setViewer(db, await tenancy.accessScope(member.id));
      const viaSetViewer = (await db.query(SETTINGS)).rows[0];
      expect(viaAsViewer.settings).toEqual(viaSetViewer);
    } finally {
      await db.query('ROLLBACK');
    }
    expect(viaAsViewer.settings.tenant).toBe(member.id);
    expect(viaAsViewer.settings.groups.split(',')).toHaveLength(2);
    expect(viaAsViewer.scope).toEqual(await tenancy.accessScope(member.id));
    // Transaction-local: no connection of the pool (all busy at once, so each is asked) keeps it.
    // (pg_sleep holds each connection so that the pool must hand out all of them: part of the condition under test, not a wait.)
    const ds = api.app.get(DataSource);
    const size = ds.driver.options.poolSize ?? 10;
    const after = await Promise.all(
      Array.from(
        { length: size },
        async () =>
          (await ds.query(`SELECT pg_sleep(0.05), current_setting('cairn.tenant_id', true) AS tenant`))[0] as { tenant: string | null },
      ),
    );
    expect(after).toHaveLength(size);
    expect(after.filter((r) => r.tenant === member.id)).toEqual([]);
  });

  it('a batch with versions that already exist indexes each new version under its own row', async () => {
    const domain = (name: string) => ({ type: 'domain-name', spec_version: '2.1', id: `domain-name--${randomUUID()}`, value: name });
    const [x, y, z] = [domain('farm-x.example'), domain('farm-y.example'), domain('farm-z.example')];
    const intel = api.app.get(IntelService);
    await intel.storeObjects(machineViewer(b), [x], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    // x is already stored (skipped by ON CONFLICT), so y and z are rows 1 and 2 of this batch.
    const second = await intel.storeObjects(machineViewer(b), [x, y, z], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    expect(second.stored).toBe(2);
    const { rows } = await db.query(
      `SELECT x.key, o.id FROM observable_index x JOIN stix_object o ON o.pk = x.object_pk WHERE x.key LIKE 'farm-%.example' ORDER BY x.key`,
    );
    expect(rows).toEqual([
      { key: 'farm-x.example', id: x.id },
      { key: 'farm-y.example', id: y.id },
      { key: 'farm-z.example', id: z.id },
    ]);
  });
});
