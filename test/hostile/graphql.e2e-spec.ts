import { Client } from 'pg';
import { IntelService } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleCases, INJECTION_STRINGS, rawBodyCases, validIndicator } from './corpus';

// The path part is bounded: `.*` after each "at" of a megabyte-long one-line answer backtracks for seconds.
const STACK = /\bat [^\n]{0,300}\.[jt]s:\d+|node_modules|stacktrace/;
const PUBLISH = 'mutation($b: JSON!) { publishBundle(bundle: $b, sharing: { distribution: COMMUNITY, tlp: AMBER }) { created } }';

describe('hostile input through GraphQL', () => {
  let api: TestApp;
  let owner: Client;
  let tenant: TenantEntity;
  let key: string;
  const counts = async () =>
    (
      await owner.query(
        `SELECT (SELECT count(*) FROM stix_object)::int AS objects, (SELECT count(*) FROM observable_index)::int AS idx, (SELECT count(*) FROM sighting_fact)::int AS facts`,
      )
    ).rows[0];
  const healthy = async () => (await fetch(`${api.baseUrl}/health`)).status;

  beforeAll(async () => {
    api = await startTestApp({ env: { RATE_LIMIT_PRINCIPAL_PER_MINUTE: '1000000', RATE_LIMIT_TENANT_PER_MINUTE: '1000000' } });
    owner = new Client({ connectionString: api.databaseUrl });
    await owner.connect();
    tenant = await newTenant(api.app, { sectors: ['technology'] });
    key = await newApiKey(api.app, tenant);
    await api.app.get(IntelService).storeObjects(machineViewer(tenant), [validIndicator()], { distribution: 'COMMUNITY', tlp: 'GREEN' });
  });
  afterAll(async () => {
    await owner.end();
    await api.close();
  });

  const cases = bundleCases();

  it(`has a corpus of ${cases.length} hostile bundles`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(380);
  });

  it.each(cases.map((c) => [c.name, c] as const))('rejects bundle: %s — clear error, nothing stored, server up', async (_name, c) => {
    const before = await counts();
    const res = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: key },
      body: JSON.stringify({ query: PUBLISH, variables: { b: c.bundle } }),
    });
    const text = await res.text();
    expect(text).not.toMatch(STACK);
    if (res.status === 413) {
      expect(text).toMatch(/too large|PAYLOAD_TOO_LARGE/i);
    } else {
      const body = JSON.parse(text) as {
        data?: unknown;
        errors?: Array<{ message: string; extensions?: { code?: string; issues?: Array<{ path: string; code: string }> } }>;
      };
      expect(body.errors?.length).toBeGreaterThan(0);
      const error = body.errors![0];
      expect(['BAD_USER_INPUT', 'PAYLOAD_TOO_LARGE']).toContain(error.extensions?.code);
      expect(error.message.length).toBeGreaterThan(10);
      if (error.extensions?.issues) expect(error.extensions.issues[0].path).toMatch(/^\$/);
    }
    expect(await counts()).toEqual(before);
    expect(await healthy()).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(rawBodyCases().map((c) => [c.name, c] as const))(
    'answers a malformed request body: %s — 4xx or a GraphQL error, never a crash',
    async (_name, c) => {
      const res = await fetch(`${api.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': c.contentType ?? 'application/json', authorization: key },
        body: c.body,
      });
      const text = await res.text();
      expect(text).not.toMatch(STACK);
      if (res.status === 200) {
        expect(JSON.parse(text).errors?.length).toBeGreaterThan(0);
      } else {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      expect(await healthy()).toBe(200);
    },
  );

  it.each(INJECTION_STRINGS.map((s) => [JSON.stringify(s.slice(0, 30)), s] as const))(
    'treats %s as data in lookups, filters and search',
    async (_name, s) => {
      const before = await counts();
      const ask = (query: string, variables: Record<string, unknown>) => gql(api.baseUrl, query, variables, { authorization: key });
      const lookup = await ask('query($v: [String!]!) { checkIdentifiers(values: $v) { value known type } }', { v: [s] });
      const filtered = await ask('query($t: [String!]) { objects(filter: { types: $t }) { edges { cursor } } }', { t: [s] });
      const searched = await ask('query($q: String) { objects(filter: { search: $q }) { edges { cursor } } }', { q: s });
      const feed = await ask('query($s: [String!]) { feed(filter: { sectors: $s }) { edges { cursor } } }', { s: [s] });
      for (const res of [lookup, filtered, searched, feed]) {
        expect(JSON.stringify(res)).not.toMatch(STACK);
        if (res.errors) expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(res.errors[0].extensions?.code);
      }
      if (!lookup.errors) expect((lookup.data as { checkIdentifiers: Array<{ known: boolean }> }).checkIdentifiers[0].known).toBe(false);
      if (!filtered.errors) expect((filtered.data as { objects: { edges: unknown[] } }).objects.edges).toEqual([]);
      expect(await counts()).toEqual(before);
      expect((await owner.query(`SELECT to_regclass('stix_object') IS NOT NULL AS present`)).rows[0].present).toBe(true);
    },
  );

  it('refuses more identifiers than MAX_CHECK_IDENTIFIERS in one call', async () => {
    const res = await gql(
      api.baseUrl,
      'query($v: [String!]!) { checkIdentifiers(values: $v) { known } }',
      { v: Array.from({ length: 1001 }, (_, i) => `a${i}@example.com`) },
      { authorization: key },
    );
    expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });
});
