import { Client } from 'pg';
import { setViewer } from '@cairn/access';
import { LookupService } from '@cairn/lookup';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';
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
  const keysSeenBy = async (t: TenantEntity | null) => (await asViewer<{ key: string }>(t, 'SELECT key FROM observable_index ORDER BY key')).map((r) => r.key);

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
      asViewer(a, `INSERT INTO observable_index (object_pk, kind, key, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_recipients)
                   VALUES ($1, 'IPV4', '192.0.2.1', $2, 'COMMUNITY', '{}', '{}', '{}')`, [pk, c.id]),
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
    const snapshot = async () => (await db.query(`SELECT object_pk::text, kind, key, publisher_tenant_id FROM observable_index ORDER BY 1, 2, 3`)).rows;
    const before = await snapshot();
    expect(before.length).toBe(3);
    await db.query('DELETE FROM observable_index');
    const totals = await api.app.get(LookupService).reindexAll();
    expect(totals).toMatchObject({ objects: 3, entries: 3 });
    expect(await snapshot()).toEqual(before);
    await api.app.get(LookupService).reindexAll();
    expect(await snapshot()).toEqual(before);
  });
});
