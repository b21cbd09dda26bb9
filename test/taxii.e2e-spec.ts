import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newGroup, newTenant, signedInUser } from './factories/tenancy.factory';

const TAXII = 'application/taxii+json;version=2.1';
const NO_STACK = /stack|\bat .*\.[jt]s:\d+|node_modules/i;
const ROOT = '/taxii2/api';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const OBJECTS = 'query($f: ObjectFilterInput) { objects(filter: $f, first: 1000) { edges { node { id } } } }';
const ind = (name: string, props: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  name,
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2025-01-01T00:00:00Z',
  ...props,
});
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface Res {
  status: number;
  headers: Headers;
  body: Record<string, any>;
}

describe('TAXII 2.1 as a SIEM uses it', () => {
  let api: TestApp;
  let a: TenantEntity; // healthcare DE, in group G with C
  let b: TenantEntity; // healthcare FR
  let c: TenantEntity; // technology US
  let groupId: string;
  const auth = new Map<string, string>();
  const coll = new Map<string, Record<string, string>>(); // tenant → alias → collection id
  const x = {
    community: ind('A community'),
    sector: ind('A healthcare'),
    group: ind('A group'),
    own: ind('A organisation'),
    direct: ind('A to B'),
    v1: ind('versioned'),
    cCommunity: ind('C community'),
    cSector: ind('C technology'),
  };
  const v2 = { ...x.v1, name: 'versioned, second', modified: '2025-02-01T00:00:00.000Z' };

  const call = async (
    path: string,
    opts: { auth?: string | null; method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Res> => {
    const headers: Record<string, string> = { accept: TAXII, ...opts.headers };
    if (opts.auth !== null) headers.authorization = opts.auth ?? auth.get(a.id)!;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= TAXII;
    const res = await fetch(`${api.baseUrl}${path}`, {
      method: opts.method ?? (opts.body || opts.raw ? 'POST' : 'GET'),
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
  };
  const objectsOf = async (t: TenantEntity, alias: string, query = '') => {
    const res = await call(`${ROOT}/collections/${coll.get(t.id)![alias]}/objects/${query}`, { auth: auth.get(t.id) });
    expect(res.status).toBe(200);
    return res.body.objects as Array<Record<string, any>>;
  };
  const idsOf = async (t: TenantEntity, alias: string, query = '') =>
    [...new Set((await objectsOf(t, alias, query)).map((o) => o.id as string))].sort();
  const groupAlias = (t: TenantEntity) => Object.keys(coll.get(t.id)!).find((k) => k.startsWith('group-'))!;
  const sorted = (...xs: Array<{ id: string }>) => xs.map((o) => o.id).sort();
  const expectTaxiiError = (res: Res, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toEqual({
      title: expect.any(String),
      description: expect.any(String),
      error_id: expect.any(String),
      error_code: expect.any(String),
      http_status: String(status),
    });
    expect(JSON.stringify(res.body)).not.toMatch(NO_STACK);
  };

  beforeAll(async () => {
    api = await startTestApp({ env: { MAX_BODY_BYTES: '65536', TAXII_MAX_PAGE: '50' } });
    a = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    c = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    groupId = await newGroup(api.app, a, [c]);
    for (const t of [a, b, c]) auth.set(t.id, await newApiKey(api.app, t));
    const pub = async (t: TenantEntity, s: Record<string, unknown>, ...objects: unknown[]) => {
      const res = await gql(
        api.baseUrl,
        PUBLISH,
        { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects }, s },
        { authorization: auth.get(t.id)! },
      );
      expect(res.errors).toBeUndefined();
    };
    await pub(a, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, x.community, x.v1);
    await pub(a, { distribution: 'SECTOR', tlp: 'GREEN' }, x.sector);
    await pub(a, { distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' }, x.group);
    await pub(a, { distribution: 'ORGANISATION', tlp: 'RED' }, x.own);
    await pub(a, { distribution: 'RECIPIENTS', recipientTenantIds: [b.id], tlp: 'AMBER' }, x.direct);
    await pub(a, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, v2);
    await pub(c, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, x.cCommunity);
    await pub(c, { distribution: 'SECTOR', tlp: 'GREEN' }, x.cSector);
    for (const t of [a, b, c]) {
      const res = await call(`${ROOT}/collections/`, { auth: auth.get(t.id) });
      coll.set(t.id, Object.fromEntries((res.body.collections as Array<{ alias: string; id: string }>).map((k) => [k.alias, k.id])));
    }
  });
  afterAll(() => api.close());

  it('discovery → API root → collections, with the TAXII media type, UUIDv4 ids and the key’s rights', async () => {
    const discovery = await call('/taxii2/');
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('content-type')).toBe(TAXII);
    expect(discovery.body.default).toMatch(/\/taxii2\/api\/$/);
    expect(discovery.body.api_roots).toEqual([discovery.body.default]);
    const root = await call(`${ROOT}/`);
    expect(root.body).toMatchObject({ versions: [TAXII], max_content_length: 65536 });
    const list = await call(`${ROOT}/collections/`);
    const collections = list.body.collections as Array<Record<string, unknown>>;
    expect(collections.map((k) => k.alias)).toEqual(['all', 'own', 'community', 'sector-healthcare', expect.stringMatching(/^group-/)]);
    for (const k of collections) {
      expect(k).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        can_read: true,
        can_write: true,
        media_types: ['application/stix+json;version=2.1'],
      });
    }
    expect((await call(`${ROOT}/collections/${collections[2].id}/`)).body).toEqual(collections[2]);
    expect((await call(`${ROOT}/collections/`)).body).toEqual(list.body); // ids are stable
    const readOnly = await newApiKey(api.app, a, ['taxii:read']);
    const seen = await call(`${ROOT}/collections`, { auth: readOnly });
    expect(seen.body.collections.map((k: { id: string }) => k.id)).toEqual(collections.map((k) => k.id));
    expect(seen.body.collections.every((k: { can_write: boolean }) => !k.can_write)).toBe(true);
  });

  it('every path answers with and without the trailing slash', async () => {
    const id = coll.get(a.id)!.community;
    for (const path of [
      '/taxii2',
      '/taxii2/api',
      `${ROOT}/collections`,
      `${ROOT}/collections/${id}`,
      `${ROOT}/collections/${id}/objects`,
      `${ROOT}/collections/${id}/manifest`,
      `${ROOT}/collections/${id}/objects/${x.community.id}`,
      `${ROOT}/collections/${id}/objects/${x.community.id}/versions`,
    ]) {
      const without = await call(path);
      const withSlash = await call(`${path}/`);
      expect([path, without.status]).toEqual([path, 200]);
      expect(withSlash.body).toEqual(without.body);
    }
  });

  it('each collection holds what the tenant finds in GraphQL objects(filter) with the matching filter, and no more', async () => {
    const graphql = async (t: TenantEntity, f: Record<string, unknown>) =>
      [
        ...new Set(
          (
            await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(
              api.baseUrl,
              OBJECTS,
              { f },
              { authorization: auth.get(t.id)! },
            )
          ).data!.objects.edges.map((e) => e.node.id),
        ),
      ].sort();
    for (const t of [a, b, c]) {
      expect(await idsOf(t, 'all', '?match[version]=all')).toEqual(await graphql(t, {}));
      const sector = t.sectors[0];
      expect(await idsOf(t, `sector-${sector}`, '?match[version]=all')).toEqual(await graphql(t, { sectors: [sector] }));
    }
    expect(await idsOf(a, 'community')).toEqual(sorted(x.community, x.v1, x.cCommunity));
    expect(await idsOf(a, 'community')).toEqual(await graphql(a, { distributions: ['COMMUNITY'] }));
    expect(await idsOf(a, 'own')).toEqual(sorted(x.community, x.sector, x.group, x.own, x.direct, x.v1));
    expect(await idsOf(a, 'own')).toEqual(await graphql(a, { mine: true }));
    expect(await idsOf(a, groupAlias(a))).toEqual(sorted(x.group));
    expect(await idsOf(c, groupAlias(c))).toEqual(await graphql(c, { groupIds: [groupId] }));
    expect(await idsOf(b, 'all')).toEqual(sorted(x.community, x.sector, x.direct, x.v1, x.cCommunity));
    expect(await idsOf(b, 'sector-healthcare')).toEqual(sorted(x.sector));
    expect(await idsOf(b, 'own')).toEqual([]);
    expect(await idsOf(c, groupAlias(c))).toEqual(sorted(x.group));
    expect(await idsOf(c, 'sector-technology')).toEqual(sorted(x.cSector));
    expect(Object.keys(coll.get(b.id)!).some((k) => k.startsWith('group-'))).toBe(false);
  });

  it('another tenant’s collection is a 404, whatever the endpoint, and never listed', async () => {
    const aIds = Object.values(coll.get(a.id)!);
    const bIds = Object.values(coll.get(b.id)!);
    expect(aIds.filter((id) => bIds.includes(id))).toEqual([]);
    for (const id of aIds) {
      for (const path of [
        `${ROOT}/collections/${id}/`,
        `${ROOT}/collections/${id}/objects/`,
        `${ROOT}/collections/${id}/manifest/`,
        `${ROOT}/collections/${id}/objects/${x.community.id}/`,
      ]) {
        expectTaxiiError(await call(path, { auth: auth.get(b.id) }), 404);
      }
      expectTaxiiError(await call(`${ROOT}/collections/${id}/objects/`, { auth: auth.get(b.id), body: { objects: [ind('sneaky')] } }), 404);
    }
    // An object B may not see is a 404 in B's collections too.
    expectTaxiiError(await call(`${ROOT}/collections/${coll.get(b.id)!.all}/objects/${x.own.id}/`, { auth: auth.get(b.id) }), 404);
  });

  it('match[type], match[id], match[spec_version] and match[version] (last by default, first, all, a timestamp)', async () => {
    expect(await idsOf(a, 'community', `?match[id]=${x.community.id},${x.cCommunity.id}`)).toEqual(sorted(x.community, x.cCommunity));
    expect(await idsOf(a, 'community', '?match[type]=identity')).toEqual([]);
    expect(await idsOf(a, 'community', '?match[type]=indicator&match[spec_version]=2.1')).toHaveLength(3);
    expect(await idsOf(a, 'community', '?match[spec_version]=2.0')).toEqual([]);
    const names = async (q: string) => (await objectsOf(a, 'community', `?match[id]=${x.v1.id}${q}`)).map((o) => o.name);
    expect(await names('')).toEqual(['versioned, second']);
    expect(await names('&match[version]=first')).toEqual(['versioned']);
    expect(await names('&match[version]=first,last')).toEqual(['versioned', 'versioned, second']);
    expect(await names('&match[version]=all')).toEqual(['versioned', 'versioned, second']);
    expect(await names('&match[version]=2025-01-01T00:00:00.000Z')).toEqual(['versioned']);
  });

  it('match[version] takes back exactly the version strings the versions and manifest endpoints give (microseconds, lists)', async () => {
    const id = coll.get(a.id)!.community;
    const stamps = ['2025-03-04T05:06:04.837209Z', '2025-03-04T05:06:04.837999Z', '2025-03-04T05:06:05.500Z'];
    const first = ind('micro', { created: stamps[0], modified: stamps[0] });
    for (const [i, modified] of stamps.entries()) {
      const res = await gql(
        api.baseUrl,
        PUBLISH,
        {
          b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [{ ...first, name: `micro ${i}`, modified }] },
          s: { distribution: 'COMMUNITY', tlp: 'CLEAR' },
        },
        { authorization: auth.get(a.id)! },
      );
      expect(res.errors).toBeUndefined();
    }
    const versions = (await call(`${ROOT}/collections/${id}/objects/${first.id}/versions/`)).body.versions as string[];
    expect(versions).toHaveLength(3);
    const manifest = (await call(`${ROOT}/collections/${id}/manifest/?match[id]=${first.id}&match[version]=all`)).body.objects as Array<{
      version: string;
    }>;
    expect(manifest.map((r) => r.version)).toEqual(versions);
    const names = async (q: string) =>
      ((await objectsOf(a, 'community', `?match[id]=${first.id}&${q}`)) as Array<{ name: string }>).map((o) => o.name).sort();
    // Each version string, as served, selects that version and only it (two differ below the millisecond).
    for (const [i, v] of versions.entries()) expect(await names(`match[version]=${encodeURIComponent(v)}`)).toEqual([`micro ${i}`]);
    // A comma-separated list, a repeated parameter and a mix with first/last all give the union.
    expect(await names(`match[version]=${versions[0]},${versions[1]}`)).toEqual(['micro 0', 'micro 1']);
    expect(await names(`match[version]=${versions[0]}&match[version]=${versions[2]}`)).toEqual(['micro 0', 'micro 2']);
    expect(await names(`match[version]=last,${versions[0]}`)).toEqual(['micro 0', 'micro 2']);
    // The same instant written another way is the same version (RFC 3339 compares instants).
    expect(await names('match[version]=2025-03-04T05:06:05.500000Z')).toEqual(['micro 2']);
    expect(await names('match[version]=2025-03-04T05:06:04.837Z')).toEqual([]);
  });

  it('manifest, object by id and versions', async () => {
    const id = coll.get(a.id)!.community;
    const manifest = await call(`${ROOT}/collections/${id}/manifest/?match[version]=all`);
    const records = manifest.body.objects as Array<Record<string, string>>;
    expect(records.filter((r) => r.id === x.v1.id).map((r) => r.version)).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
    expect(records[0]).toEqual({
      id: expect.any(String),
      date_added: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      version: expect.any(String),
      media_type: 'application/stix+json;version=2.1',
    });
    expect(manifest.headers.get('x-taxii-date-added-first')).toBe(records[0].date_added);
    expect(manifest.headers.get('x-taxii-date-added-last')).toBe(records[records.length - 1].date_added);
    const one = await call(`${ROOT}/collections/${id}/objects/${x.v1.id}/`);
    expect(one.body.objects.map((o: { modified: string }) => o.modified)).toEqual(['2025-02-01T00:00:00.000Z']);
    const versions = await call(`${ROOT}/collections/${id}/objects/${x.v1.id}/versions/`);
    expect(versions.body).toEqual({ more: false, versions: ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'] });
    const paged = await call(`${ROOT}/collections/${id}/objects/${x.v1.id}/versions/?limit=1`);
    expect(paged.body).toMatchObject({ more: true, versions: ['2025-01-01T00:00:00.000Z'] });
    const rest = await call(`${ROOT}/collections/${id}/objects/${x.v1.id}/versions/?limit=1&next=${paged.body.next}`);
    expect(rest.body).toEqual({ more: false, versions: ['2025-02-01T00:00:00.000Z'] });
    expectTaxiiError(await call(`${ROOT}/collections/${id}/objects/indicator--${randomUUID()}/`), 404);
    expectTaxiiError(await call(`${ROOT}/collections/${id}/objects/not-an-id/versions/`), 404);
    // An object the collection holds, filtered down to nothing, is an empty page, not a 404.
    const none = await call(`${ROOT}/collections/${id}/objects/${x.v1.id}/?added_after=2999-01-01T00:00:00Z`);
    expect(none.status).toBe(200);
    expect(none.body.objects ?? []).toEqual([]);
  });

  it('POST → 202 status → GET status; the objects appear in the right collections for the right tenants', async () => {
    const posted = ind('posted to the group');
    const res = await call(`${ROOT}/collections/${coll.get(a.id)![groupAlias(a)]}/objects/`, { body: { objects: [posted] } });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe(TAXII);
    expect(res.body).toMatchObject({
      status: 'complete',
      total_count: 1,
      success_count: 1,
      failure_count: 0,
      pending_count: 0,
      successes: [{ id: posted.id, version: posted.modified, message: 'created' }],
    });
    expect((await call(`${ROOT}/status/${res.body.id}/`)).body).toEqual(res.body);
    expectTaxiiError(await call(`${ROOT}/status/${res.body.id}/`, { auth: auth.get(b.id) }), 404);
    expect(await idsOf(c, groupAlias(c))).toContain(posted.id);
    expect(await idsOf(b, 'all')).not.toContain(posted.id);
    const [stored] = await objectsOf(a, groupAlias(a), `?match[id]=${posted.id}`);
    expect(stored.object_marking_refs).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']); // the tenant's default, TLP:AMBER

    // TLP from the objects' markings; SECTOR for a sector collection.
    const green = ind('green for healthcare', { object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] });
    expect(
      (await call(`${ROOT}/collections/${coll.get(a.id)!['sector-healthcare']}/objects/`, { body: { objects: [green] } })).body
        .success_count,
    ).toBe(1);
    expect(await idsOf(b, 'sector-healthcare')).toContain(green.id);
    expect(await idsOf(c, 'all')).not.toContain(green.id);
  });

  it('an envelope is stored whole or not at all; each failure says why', async () => {
    const good = ind('good');
    const bad = { ...ind('bad'), pattern: '[not a pattern' };
    const res = await call(`${ROOT}/collections/${coll.get(a.id)!.community}/objects/`, { body: { objects: [good, bad] } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ total_count: 2, success_count: 0, failure_count: 2, successes: [] });
    expect(res.body.failures[0]).toEqual({
      id: good.id,
      version: good.modified,
      message: 'not stored: another object in the envelope was rejected',
    });
    expect(res.body.failures[1].message).toMatch(/^rejected: .*\$\.objects\[1\]\.pattern/);
    expect(await idsOf(a, 'all', `?match[id]=${good.id}`)).toEqual([]);
    const red = ind('red', { object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'] });
    const refused = await call(`${ROOT}/collections/${coll.get(a.id)!.community}/objects/`, { body: { objects: [red] } });
    expect(refused.body.failures[0].message).toMatch(/TLP:RED/);
  });

  it('DELETE revokes the publisher’s own object; another member gets 403', async () => {
    const mine = ind('to be withdrawn');
    await call(`${ROOT}/collections/${coll.get(a.id)!.community}/objects/`, { body: { objects: [mine] } });
    expectTaxiiError(
      await call(`${ROOT}/collections/${coll.get(b.id)!.community}/objects/${mine.id}/`, { method: 'DELETE', auth: auth.get(b.id) }),
      403,
    );
    const del = await call(`${ROOT}/collections/${coll.get(a.id)!.community}/objects/${mine.id}/`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const [latest] = await objectsOf(b, 'community', `?match[id]=${mine.id}`);
    expect(latest.revoked).toBe(true);
    expectTaxiiError(await call(`${ROOT}/collections/${coll.get(a.id)!.community}/objects/${x.own.id}/`, { method: 'DELETE' }), 404);
  });

  it('accepts API keys as Basic (any user + key, or prefix + secret) and Bearer, and JWTs', async () => {
    const key = auth.get(a.id)!.slice('Bearer '.length);
    const [prefix, secret] = key.split('.');
    const jwt = (await signedInUser(api.app, api.baseUrl, a, 'reader')).authorization;
    for (const credential of [basic('sentinel', key), basic(prefix, secret), `Bearer ${key}`, jwt]) {
      expect((await call(`${ROOT}/collections/`, { auth: credential })).status).toBe(200);
    }
    expectTaxiiError(
      await call(`${ROOT}/collections/${coll.get(a.id)!.community}/objects/`, { auth: jwt, body: { objects: [ind('reader')] } }),
      403,
    );
  });

  it('answers every error as a TAXII error message, never with a stack trace', async () => {
    const id = coll.get(a.id)!.community;
    const none = await call('/taxii2/', { auth: null });
    expectTaxiiError(none, 401);
    expect(none.headers.get('www-authenticate')).toMatch(/Basic realm=/);
    expectTaxiiError(await call('/taxii2/', { auth: basic('x', 'cairn_AAAAAAAA.' + 'A'.repeat(43)) }), 401);
    expectTaxiiError(await call('/taxii2/', { auth: 'Bearer nonsense' }), 401);
    const intelOnly = await newApiKey(api.app, a, ['intel:read']);
    expectTaxiiError(await call(`${ROOT}/collections/`, { auth: intelOnly }), 403);
    expectTaxiiError(
      await call(`${ROOT}/collections/${id}/objects/`, {
        auth: await newApiKey(api.app, a, ['taxii:read']),
        body: { objects: [ind('x')] },
      }),
      403,
    );
    expectTaxiiError(await call(`${ROOT}/collections/${randomUUID()}/objects/`), 404);
    expectTaxiiError(await call(`${ROOT}/collections/not-a-uuid/`), 404);
    expectTaxiiError(await call(`${ROOT}/nowhere/`), 404);
    expectTaxiiError(await call(`${ROOT}/status/${randomUUID()}/`), 404);
    expectTaxiiError(await call(`${ROOT}/collections/`, { headers: { accept: 'text/html' } }), 406);
    expectTaxiiError(await call(`${ROOT}/collections/`, { headers: { accept: 'application/taxii+json;version=2.0' } }), 406);
    expectTaxiiError(
      await call(`${ROOT}/collections/${id}/objects/`, { body: { objects: [ind('x')] }, headers: { 'content-type': 'application/json' } }),
      415,
    );
    expectTaxiiError(
      await call(`${ROOT}/collections/${id}/objects/`, { raw: JSON.stringify({ objects: [ind('x'.repeat(70_000))] }) }),
      413,
    );
    expectTaxiiError(await call(`${ROOT}/collections/${id}/objects/`, { raw: '{"objects": [' }), 400);
    expectTaxiiError(await call(`${ROOT}/collections/${id}/objects/`, { body: { more: false } }), 422);
    expectTaxiiError(await call(`${ROOT}/collections/${id}/objects/`, { body: { objects: [] } }), 422);
    for (const q of [
      'added_after=yesterday',
      'limit=0',
      'limit=ten',
      'limit=-3',
      'next=bogus',
      'match[version]=newest',
      'match[colour]=red',
    ]) {
      expectTaxiiError(await call(`${ROOT}/collections/${id}/objects/?${q}`), 400);
    }
    const huge = await call(`${ROOT}/collections/${coll.get(a.id)!.all}/objects/?limit=1000000&match[version]=all`);
    expect(huge.status).toBe(200);
    expect(huge.body.objects.length).toBeLessThanOrEqual(50); // TAXII_MAX_PAGE
    expect(JSON.stringify(huge.body)).not.toMatch(/publisher_tenant|tenant_id/);
  });

  it('accepts the media types a client may ask for, and answers application/json only to those asking for it alone', async () => {
    for (const accept of [TAXII, 'application/taxii+json', '*/*', 'application/json, application/taxii+json;version=2.1']) {
      const res = await call(`${ROOT}/`, { headers: { accept } });
      expect([accept, res.status, res.headers.get('content-type')]).toEqual([accept, 200, TAXII]);
    }
    expect((await call(`${ROOT}/`, { headers: { accept: 'application/json' } })).headers.get('content-type')).toBe('application/json');
  });
});
