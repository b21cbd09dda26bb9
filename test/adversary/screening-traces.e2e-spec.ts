import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { fresh, publishRaw, screen, screenOk, sco } from '../factories/screening.factory';

/**
 * What screening leaves behind and what it costs: the caller's references and the values it
 * screened are neither stored (in any table) nor logged, and no way of cutting or padding batches,
 * nor mixing screening with watching, gets more identifiers answered than the lookup quota allows.
 */
describe('adversary: screening leaves no trace and has no way around the quota', () => {
  describe('traces', () => {
    let api: TestApp;
    let db: Client;
    const log: string[] = [];
    let hostile: TenantEntity;
    let other: TenantEntity;
    const key = new Map<TenantEntity, string>();
    beforeAll(async () => {
      api = await startTestApp({ logLines: log });
      db = new Client({ connectionString: api.databaseUrl });
      await db.connect();
      hostile = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
      other = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
      await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
      for (const t of [hostile, other]) key.set(t, await newApiKey(api.app, t));
    }, 60_000);
    afterAll(async () => {
      await db?.end();
      await api?.close();
    });

    it('neither the ref nor a screened value is in any table or any log line, matched or not', async () => {
      const known = fresh();
      const unknown = fresh();
      await publishRaw(api, key.get(other)!, [sco('email-addr', { value: known.gmail })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      const ref = `ATS-${randomUUID()}`;
      const answers = await screenOk(api, key.get(hostile)!, [
        {
          ref,
          emails: [known.gmailVariant, unknown.gmail],
          phones: [unknown.phone],
          handles: [{ platform: 'github', value: unknown.github }],
        },
        { ref: `${ref}-b`, emails: ['not an address'] },
      ]);
      expect(answers[0].matches.map((m) => m.value)).toEqual([known.gmailVariant]);
      const secrets = [
        ref,
        unknown.gmail.toLowerCase(),
        unknown.github.toLowerCase(),
        unknown.phoneE164,
        known.gmailVariant.toLowerCase(),
        'not an address',
      ];
      const tables: Array<{ t: string }> = (
        await db.query(
          `SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
        )
      ).rows;
      const scan = async (values: string[]) => {
        const found: string[] = [];
        for (const { t } of tables) {
          for (const s of values) {
            const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${t} x WHERE lower(x::text) LIKE '%' || lower($1) || '%'`, [s]);
            if (rows[0].n > 0) found.push(`${t}: ${s}`);
          }
        }
        return found;
      };
      // The scan sees what is stored: a watch's reference, which is kept by design, is found.
      const control = `control-${randomUUID()}`;
      const watched = await gql(
        api.baseUrl,
        `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId } }`,
        { e: [{ value: fresh().gmail, reference: control }] },
        { authorization: key.get(hostile)! },
      );
      expect(watched.errors).toBeUndefined();
      expect(await scan([control])).toEqual(['public.watch_entry: ' + control]);
      expect(await scan(secrets)).toEqual([]);
      const logged = log.filter((l) => secrets.some((s) => l.toLowerCase().includes(s.toLowerCase())));
      expect(logged).toEqual([]);
    });
  });

  describe('quota', () => {
    let api: TestApp;
    let hostile: TenantEntity;
    let k: string;
    beforeAll(async () => {
      api = await startTestApp({ env: { MAX_CHECK_IDENTIFIERS: '4', LOOKUP_QUOTA_PER_MINUTE: '0', LOOKUP_QUOTA_PER_DAY: '4' } });
      hostile = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
      await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
      k = await newApiKey(api.app, hostile);
    }, 60_000);
    afterAll(() => api?.close());

    it('one batch of more distinct identifiers than the quota, spread over applicants and kinds, is refused whole', async () => {
      const [v, w] = [fresh(), fresh()];
      const res = await screen(api, k, [
        { ref: 'a1', emails: [v.gmail], phones: [v.phone] },
        { ref: 'a2', ips: [v.ip], handles: [{ platform: 'github', value: v.github }] },
        { ref: 'a3', wallets: [w.wallet] },
      ]);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(res.data?.screenApplicants ?? null).toBeNull();
    });

    it('cutting into batches and mixing with watching and checking shares one count (per day here: no window boundary mid-test)', async () => {
      const vs = [fresh(), fresh(), fresh(), fresh(), fresh()];
      // Spellings of one identifier are one identifier (no overcharge), and each batch is charged.
      expect(await screenOk(api, k, [{ ref: 'b1', emails: [vs[0].gmail, vs[0].gmailVariant] }])).toHaveLength(1);
      expect(await screenOk(api, k, [{ ref: 'b2', phones: [vs[1].phone, vs[1].phoneVariant] }])).toHaveLength(1);
      const watched = await gql(
        api.baseUrl,
        `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId } }`,
        { e: [{ value: vs[2].gmail, reference: 'w1' }] },
        { authorization: k },
      );
      expect(watched.errors).toBeUndefined();
      const checked = await gql(
        api.baseUrl,
        `query($v: [String!]!) { checkIdentifiers(values: $v) { known } }`,
        { v: [vs[3].ip] },
        { authorization: k },
      );
      expect(checked.errors).toBeUndefined();
      // Four distinct identifiers today: a fifth, however sent, is refused.
      for (const attempt of [
        () => screen(api, k, [{ ref: 'b3', ips: [vs[4].ip] }]),
        () =>
          gql(
            api.baseUrl,
            `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId } }`,
            { e: [{ value: vs[4].gmail, reference: 'w2' }] },
            { authorization: k },
          ),
        () =>
          gql(
            api.baseUrl,
            `query($v: [String!]!) { checkIdentifiers(values: $v) { known } }`,
            { v: [fresh().gmail] },
            { authorization: k },
          ),
      ]) {
        const res = await attempt();
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
      }
    });
  });
});
