import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf, indicatorObject } from '../factories/stix.factory';

/**
 * Hostile review: inputs the validators accepted but PostgreSQL refuses, giving 500 /
 * INTERNAL_SERVER_ERROR instead of a 4xx / BAD_USER_INPUT naming the input (DESIGN "Bad input";
 * test/adversary/bad-input covers impossible calendar dates only).
 *
 * - Year 0000: checkTimestamp accepted `year >= 0`, but PostgreSQL has no year 0 ("date/time field
 *   value out of range"). Reached through TAXII added_after and match[version], GraphQL
 *   objects/exportBundle time filters and object(version), publishBundle in strict and repair mode
 *   (which fixes the precision, then stores), and reportSighting (the DateTime scalar takes year 0).
 *   An object with only `created` in year 0000 was stored and served, unreadable to strict
 *   consumers (Python's datetime.MINYEAR is 1).
 * - Offsets beyond ±15:59 (RFC 3339's grammar goes to ±23:59): "time zone displacement out of range".
 * - NUL in a TAXII object id path segment (`/objects/%00/`): passed to SQL as text, "invalid byte
 *   sequence for encoding UTF8: 0x00"; a segment that is not percent-encoded UTF-8 (`%FF`): the
 *   router's URIError, rendered as a 500.
 * - revoke of an object modified at the end of 9999 or in a leap second: the next `modified` was
 *   `+010000-…` or an invalid Date. (Leap seconds are now refused on input: leap-seconds.e2e-spec.)
 */
const TAXII = 'application/taxii+json;version=2.1';
const Z = '0000-01-01T00:00:00.000Z';
const T = '2025-06-02T09:00:00.000Z';
const NO_LEAK = /stack|QueryFailedError|out of range|invalid byte|URIError/i;
const OBJECTS = 'query($f: ObjectFilterInput) { objects(filter: $f, first: 10) { edges { node { id } } } }';
const EXPORT = 'query($f: ObjectFilterInput) { exportBundle(filter: $f) { bundle } }';
const OBJECT = 'query($id: String!, $v: String) { object(id: $id, version: $v) { id } }';
const PUBLISH = 'mutation($b: JSON!, $r: Boolean) { publishBundle(bundle: $b, repair: $r) { created objects { status } } }';
const REVOKE = 'mutation($id: String!) { revoke(id: $id) { id modified revoked } }';
const SIGHT = 'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }';
const code = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;
const indicator = (over: Record<string, unknown> = {}) => indicatorObject(over, T);
const bundle = bundleOf;

describe('adversary: year 0000, far offsets and NUL reach PostgreSQL and give 500', () => {
  let api: TestApp;
  let tenant: TenantEntity;
  let key: string;
  let base: string;
  const stored = async () => (await api.app.get(DataSource).query(`SELECT count(*)::int AS n FROM stix_object`))[0].n as number;
  const ask = (query: string, vars: Record<string, unknown>) => gql(api.baseUrl, query, vars, { authorization: key });
  const taxii = async (path: string, method = 'GET') => {
    const res = await fetch(`${base}${path}`, { method, headers: { accept: TAXII, authorization: key } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(async () => {
    // k = 1: one member may report a sighting, so that its timestamps reach the database.
    api = await startTestApp({ env: { K_ANONYMITY: '1' } });
    tenant = await newTenant(api.app, { sectors: ['technology'] });
    key = await newApiKey(api.app, tenant);
    const cols = (await (
      await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: key } })
    ).json()) as {
      collections: Array<{ id: string; alias: string }>;
    };
    base = `${api.baseUrl}/taxii2/api/collections/${cols.collections.find((c) => c.alias === 'all')!.id}`;
  });
  afterAll(async () => {
    await api.close();
  });

  it.each([
    ['/objects/?added_after=0000-01-01T00:00:00Z', 400],
    ['/manifest/?added_after=0000-01-01T00:00:00Z', 400],
    ['/objects/?added_after=0000-12-31T23:00:00-02:00', 400],
    ['/objects/?match[version]=0000-01-01T00:00:00Z', 400],
    ['/objects/?added_after=2025-06-02T09:00:00%2B16:00', 400],
    ['/manifest/?added_after=2025-06-02T09:00:00-23:59', 400],
    ['/objects/?match[version]=2025-06-02T09:00:00-23:59', 400],
    ['/objects/?added_after=2025-06-02T09:00:00.1234567Z', 400],
    ['/objects/%00/', 404],
    ['/objects/indicator--00000000-0000-4000-8000-000000000000%00/', 404],
    ['/objects/%00/versions/', 404],
    ['/objects/%FF/', 404],
    ['/objects/%ED%A0%80/versions/', 404],
    ['/objects/%C0%80/', 404],
  ])('TAXII GET %s is a %i TAXII error, not a 500', async (path, status) => {
    const res = await taxii(path);
    expect(res.status).toBe(status);
    expect(res.type).toBe(TAXII);
    expect(JSON.parse(res.text)).toMatchObject({ http_status: String(status), error_code: status === 404 ? 'NOT_FOUND' : 'INVALID_QUERY' });
    expect(res.text).not.toMatch(NO_LEAK);
  });

  it.each(['/objects/%00/', '/objects/indicator--00000000-0000-4000-8000-000000000000%00/', '/objects/%FF/'])(
    'TAXII DELETE %s is a 404 TAXII error, not a 500',
    async (path) => {
      const res = await taxii(path, 'DELETE');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ error_code: 'NOT_FOUND' });
    },
  );

  it.each(['9999-12-31T23:00:00-02:00', '0001-01-01T00:30:00%2B01:00'])(
    'guard: added_after %s, an instant just outside years 1–9999 in UTC, is an ordinary (empty or full) page',
    async (at) => {
      for (const path of [`/objects/?added_after=${at}`, `/objects/?match[version]=${at}`]) expect((await taxii(path)).status).toBe(200);
    },
  );

  it.each(['addedAfter', 'addedBefore', 'modifiedAfter', 'modifiedBefore'])(
    'GraphQL objects and exportBundle with %s in year 0000 or offset +16:00: BAD_USER_INPUT naming it',
    async (field) => {
      for (const at of ['0000-01-01T00:00:00Z', '2025-06-02T09:00:00+16:00'])
        for (const q of [OBJECTS, EXPORT]) {
          const res = await ask(q, { f: { [field]: at } });
          expect(code(res)).toBe('BAD_USER_INPUT');
          expect(JSON.stringify(res.errors)).toMatch(new RegExp(field));
        }
      // Instants past 9999 or before year 1 in UTC, written in years 1–9999: PostgreSQL takes them.
      expect((await ask(OBJECTS, { f: { [field]: '9999-12-31T23:00:00-02:00' } })).errors).toBeUndefined();
    },
  );

  it.each([Z, '2025-06-02T09:00:00-23:59', '2025-06-02T09:00:00.1234567Z'])('GraphQL object(version: %s): BAD_USER_INPUT', async (v) => {
    expect(code(await ask(OBJECT, { id: `indicator--${randomUUID()}`, v }))).toBe('BAD_USER_INPUT');
  });

  it('guard: NUL or a lone surrogate in a GraphQL id is BAD_USER_INPUT before any query', async () => {
    for (const id of ['\u0000', `indicator--${randomUUID()}\u0000`, `indicator--${randomUUID()}\ud800`]) {
      expect(code(await ask(OBJECT, { id }))).toBe('BAD_USER_INPUT');
      expect(code(await ask(REVOKE, { id }))).toBe('BAD_USER_INPUT');
    }
  });

  it.each([false, true])(
    'publishBundle (repair %s) of an indicator created and modified in year 0000: refused naming the property, nothing stored',
    async (repair) => {
      const before = await stored();
      const at = repair ? '0000-01-01T00:00:00Z' : Z;
      const res = await ask(PUBLISH, { b: bundle(indicator({ created: at, modified: at })), r: repair });
      expect(code(res)).not.toBe('INTERNAL_SERVER_ERROR');
      if (repair)
        expect((res.data as { publishBundle: { objects: Array<{ status: string }> } }).publishBundle.objects[0].status).toBe('SKIPPED');
      else {
        expect(code(res)).toBe('BAD_USER_INPUT');
        expect(JSON.stringify(res.errors)).toMatch(/objects\[0\]\.(created|modified)/);
      }
      expect(await stored()).toBe(before);
    },
  );

  it.each(['created', 'valid_from', 'valid_until'])(
    'publishBundle of an indicator with only %s in year 0000 is refused naming it, and the rest of the bundle is not stored',
    async (property) => {
      const before = await stored();
      const res = await ask(PUBLISH, { b: bundle(indicator(), indicator({ [property]: Z })) });
      expect(code(res)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res.errors)).toMatch(new RegExp(`objects\\[1\\]\\.${property}`));
      expect(await stored()).toBe(before);
    },
  );

  it('reportSighting with firstSeen or lastSeen in year 0000: BAD_USER_INPUT naming it, nothing stored', async () => {
    const target = indicator();
    expect((await ask(PUBLISH, { b: bundle(target) })).errors).toBeUndefined();
    expect((await ask(SIGHT, { i: { sightingOf: target.id, firstSeen: T } })).errors).toBeUndefined(); // k = 1: sightings reach storage
    const before = await stored();
    for (const [field, i] of [
      ['firstSeen', { firstSeen: Z }],
      ['lastSeen', { firstSeen: T, lastSeen: '0000-12-31T00:00:00Z' }],
    ] as const) {
      const res = await ask(SIGHT, { i: { sightingOf: target.id, ...i } });
      expect(code(res)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res.errors)).toMatch(new RegExp(field));
    }
    expect(await stored()).toBe(before);
  });

  // A leap second is refused on input now (test/adversary/leap-seconds); revoking a row stored in one
  // before that is nextVersionTimestamp's unit test.
  it('revoke of an object modified at the end of 9999: BAD_USER_INPUT, nothing stored', async () => {
    const last = indicator({ created: '9999-12-31T23:59:59.999Z', modified: '9999-12-31T23:59:59.999Z' });
    expect((await ask(PUBLISH, { b: bundle(last) })).errors).toBeUndefined();
    const before = await stored();
    const res = await ask(REVOKE, { id: last.id });
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(await stored()).toBe(before);
  });
});
