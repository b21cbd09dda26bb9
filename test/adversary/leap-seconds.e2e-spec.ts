import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf, indicatorObject } from '../factories/stix.factory';

/**
 * Hostile review: checkTimestamp accepted second 60 with any fraction and at any time of day.
 * PostgreSQL takes `:60` only with a zero fraction ("date/time field value out of range"), so
 * `2016-12-31T23:59:60.500Z` was a 500 on every path that binds a timestamp (publishBundle
 * created/modified/valid_until, GraphQL objects/exportBundle filters and object(version), TAXII
 * added_after and match[version], with `Z` or `+00:00`); `09:17:60.000Z` was stored as written, an
 * object Python's datetime and the stix2 library cannot parse. The rule now (libs/stix timestamps.ts,
 * as for year 0000): second 60 is refused everywhere, with a message that says so.
 */
const TAXII = 'application/taxii+json;version=2.1';
const T = '2025-06-02T09:00:00.000Z';
const L = '2016-12-31T23:59:60.500Z';
const NO_LEAK = /stack|QueryFailedError|out of range/i;
const PUBLISH = 'mutation($b: JSON!, $r: Boolean) { publishBundle(bundle: $b, repair: $r) { created objects { status reason } } }';
const OBJECTS = 'query($f: ObjectFilterInput) { objects(filter: $f, first: 5) { edges { node { id } } } }';
const EXPORT = 'query($f: ObjectFilterInput) { exportBundle(filter: $f) { bundle } }';
const OBJECT = 'query($id: String!, $v: String) { object(id: $id, version: $v) { id } }';
const SIGHT = 'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }';
const indicator = (over: Record<string, unknown> = {}) => indicatorObject(over, T);
const bundle = bundleOf;
type Res = { data?: unknown; errors?: Array<{ message?: string; extensions?: Record<string, unknown> }> };
const code = (res: Res) => res.errors?.[0]?.extensions?.code;

describe('adversary: a leap second (second 60) reaches PostgreSQL or strict consumers', () => {
  let api: TestApp;
  let key: string;
  let base: string;
  const ask = (query: string, vars: Record<string, unknown>) => gql(api.baseUrl, query, vars, { authorization: key }) as Promise<Res>;
  const stored = async () => (await api.app.get(DataSource).query(`SELECT count(*)::int AS n FROM stix_object`))[0].n as number;
  beforeAll(async () => {
    // k = 1: one member may report a sighting, so that its timestamps reach the database.
    api = await startTestApp({ env: { K_ANONYMITY: '1' } });
    key = await newApiKey(api.app, await newTenant(api.app, { sectors: ['technology'] }));
    const cols = (await (
      await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: key } })
    ).json()) as {
      collections: Array<{ id: string; alias: string }>;
    };
    base = `${api.baseUrl}/taxii2/api/collections/${cols.collections.find((c) => c.alias === 'all')!.id}`;
  });
  afterAll(async () => api.close());

  it.each([
    ['created', { created: L, modified: L }],
    ['modified', { modified: L }],
    ['valid_until', { valid_until: '2026-12-31T23:59:60.500Z' }],
    ['created', { created: '2016-12-31T23:59:60.000Z', modified: '2016-12-31T23:59:60.000Z' }],
    ['modified', { modified: '2016-12-31T09:17:60.000Z' }],
    ['valid_from', { valid_from: '2016-12-31T23:59:60Z' }],
  ])('publishBundle with %s in second 60 (%j): BAD_USER_INPUT naming it, nothing of the bundle stored', async (property, over) => {
    const before = await stored();
    const res = await ask(PUBLISH, { b: bundle(indicator(), indicator(over)) });
    expect(code(res)).toBe('BAD_USER_INPUT');
    const said = JSON.stringify(res.errors);
    expect(said).toMatch(new RegExp(`objects\\[1\\]\\.${property}`));
    expect(said).toMatch(/second 60/);
    expect(said).not.toMatch(NO_LEAK);
    expect(await stored()).toBe(before);
  });

  it('publishBundle in repair mode: the object in a leap second is skipped, not stored with it', async () => {
    const before = await stored();
    const res = await ask(PUBLISH, { b: bundle(indicator({ created: L, modified: L })), r: true });
    expect(res.errors).toBeUndefined();
    expect((res.data as { publishBundle: { objects: Array<{ status: string }> } }).publishBundle.objects[0].status).toBe('SKIPPED');
    expect(await stored()).toBe(before);
  });

  it.each(['addedAfter', 'addedBefore', 'modifiedAfter', 'modifiedBefore'])(
    'GraphQL objects and exportBundle with %s in second 60: BAD_USER_INPUT naming it',
    async (field) => {
      for (const at of [L, '2016-12-31T23:59:60Z', '2016-12-31T23:59:60.5+00:00'])
        for (const q of [OBJECTS, EXPORT]) {
          const res = await ask(q, { f: { [field]: at } });
          expect(code(res)).toBe('BAD_USER_INPUT');
          expect(JSON.stringify(res.errors)).toMatch(new RegExp(`${field}.*second 60`));
        }
      expect((await ask(OBJECTS, { f: { [field]: '2016-12-31T23:59:59.999Z' } })).errors).toBeUndefined(); // guard
    },
  );

  it.each([L, '2016-12-31T23:59:60Z', '2017-01-01T00:59:60+01:00'])('GraphQL object(version: %s): BAD_USER_INPUT', async (v) => {
    expect(code(await ask(OBJECT, { id: `indicator--${randomUUID()}`, v }))).toBe('BAD_USER_INPUT');
  });

  it.each([
    `/objects/?added_after=${L}`,
    `/manifest/?added_after=${L}`,
    `/objects/?match[version]=${L}`,
    `/manifest/?match[version]=last,${L}`,
    '/objects/?added_after=2016-12-31T23:59:60.5%2B00:00',
    '/objects/?added_after=2016-12-31T23:59:60Z',
    '/objects/?added_after=9999-12-31T23:59:60Z',
    '/objects/?match[version]=2016-12-31T09:17:60.000Z',
  ])('TAXII GET %s: a 400 TAXII error saying why, not a 500', async (path) => {
    const res = await fetch(`${base}${path}`, { headers: { accept: TAXII, authorization: key } });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ http_status: '400', error_code: 'INVALID_QUERY' });
    expect(text).toMatch(/second 60/);
    expect(text).not.toMatch(NO_LEAK);
  });

  it('reportSighting with firstSeen or lastSeen in second 60: BAD_USER_INPUT naming it, nothing stored', async () => {
    const target = indicator();
    expect((await ask(PUBLISH, { b: bundle(target) })).errors).toBeUndefined();
    expect((await ask(SIGHT, { i: { sightingOf: target.id, firstSeen: T } })).errors).toBeUndefined(); // guard: k = 1, sightings are stored
    const before = await stored();
    for (const [field, i] of [
      ['firstSeen', { firstSeen: L }],
      ['firstSeen', { firstSeen: '2016-12-31T23:59:60Z' }],
      ['lastSeen', { firstSeen: T, lastSeen: '2025-06-02T09:17:60.000Z' }],
    ] as const) {
      const res = await ask(SIGHT, { i: { sightingOf: target.id, ...i } });
      expect(code(res)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res.errors)).toMatch(new RegExp(field));
    }
    expect(await stored()).toBe(before);
  });
});
