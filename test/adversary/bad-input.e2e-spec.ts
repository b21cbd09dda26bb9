import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

const NO_LEAK = /stacktrace|\bat .*\.[jt]s:\d+|node_modules|invalid input syntax|out of range|QueryFailedError|SQLSTATE/i;
const PROD_SECRETS = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  IDENTIFIER_HMAC_SECRET: randomBytes(32).toString('hex'),
  CURSOR_SECRET: randomBytes(32).toString('hex'),
};

type Res = Awaited<ReturnType<typeof gql>>;

/** A clear BAD_USER_INPUT that names the argument, and nothing the database said. */
function expectBadInput(res: Res, names: RegExp): void {
  expect(res.errors).toBeDefined();
  const [e] = res.errors!;
  expect(e.extensions?.code).toBe('BAD_USER_INPUT');
  expect(`${e.message} ${JSON.stringify(e.extensions)}`).toMatch(names);
  expect(JSON.stringify(res)).not.toMatch(NO_LEAK);
}

describe('adversary: bad input that used to give 500', () => {
  let api: TestApp;
  let key: string;
  let keyB: string;

  beforeAll(async () => {
    api = await startTestApp();
    key = await newApiKey(api.app, await newTenant(api.app));
    keyB = await newApiKey(api.app, await newTenant(api.app, { sectors: ['healthcare'] }));
  });
  afterAll(async () => {
    await api.close();
  });

  const OBJECTS = 'query($f: ObjectFilterInput) { objects(filter: $f) { edges { node { id } } } }';
  const EXPORT = 'query($f: ObjectFilterInput) { exportBundle(filter: $f) { bundle } }';

  it.each(['2025-13-45T99:99:99Z', '2025-02-30T00:00:00Z', '2025-06-02T24:00:00Z', '2025-06-02T10:00:00+25:00'])(
    'refuses the impossible date %s in every time filter of objects and exportBundle, naming it',
    async (date) => {
      for (const field of ['addedAfter', 'addedBefore', 'modifiedAfter', 'modifiedBefore']) {
        for (const [q, who] of [
          [OBJECTS, key],
          [EXPORT, keyB],
        ] as const) {
          const res = await gql(api.baseUrl, q, { f: { [field]: date } }, { authorization: who });
          expectBadInput(res, new RegExp(field));
        }
      }
    },
  );

  it('refuses an impossible added_after over TAXII with a 400 TAXII error', async () => {
    const collections = (await (await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { authorization: key } })).json()) as {
      collections: Array<{ id: string }>;
    };
    const id = collections.collections[0].id;
    for (const date of ['2025-13-45T99:99:99Z', '2025-02-30T00:00:00Z']) {
      const res = await fetch(`${api.baseUrl}/taxii2/api/collections/${id}/objects/?added_after=${encodeURIComponent(date)}`, {
        headers: { authorization: key },
      });
      expect(res.status).toBe(400);
      const body = await res.text();
      expect(body).toMatch(/added_after/);
      expect(body).not.toMatch(NO_LEAK);
    }
  });

  it('refuses non-UUID group ids in an objects filter and in publish sharing, storing nothing', async () => {
    expectBadInput(await gql(api.baseUrl, OBJECTS, { f: { groupIds: ['not-a-uuid'] } }, { authorization: key }), /groupIds/);
    const ds = api.app.get(DataSource);
    const [{ n: before }] = await ds.query(`SELECT count(*)::int AS n FROM stix_object`);
    const publish =
      'mutation($s: SharingInput) { publishIndicators(indicators: [{ type: IP, value: "198.51.100.77" }], sharing: $s) { objects { id } } }';
    expectBadInput(
      await gql(
        api.baseUrl,
        publish,
        { s: { distribution: 'SHARING_GROUP', groupId: 'not-a-uuid', tlp: 'AMBER' } },
        { authorization: key },
      ),
      /groupId/,
    );
    expectBadInput(
      await gql(
        api.baseUrl,
        publish,
        { s: { distribution: 'RECIPIENTS', recipientTenantIds: ['nope'], tlp: 'AMBER' } },
        { authorization: key },
      ),
      /recipientTenantIds/,
    );
    const [{ n: after }] = await ds.query(`SELECT count(*)::int AS n FROM stix_object`);
    expect(after).toBe(before);
  });

  it('refuses a GET /graphql whose variables hold NUL with a 400 naming the variable', async () => {
    const url = `${api.baseUrl}/graphql?query=${encodeURIComponent(OBJECTS)}&variables=${encodeURIComponent(JSON.stringify({ f: { search: 'a\u0000b' } }))}`;
    const res = await fetch(url, { headers: { authorization: key, 'apollo-require-preflight': 'true' } });
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(body).toMatch(/BAD_USER_INPUT/);
    expect(body).toMatch(/variables\.f\.search/);
    expect(body).not.toMatch(NO_LEAK);
  });

  describe('in production', () => {
    let prod: TestApp;
    let prodKey: string;
    beforeAll(async () => {
      prod = await startTestApp({ env: { NODE_ENV: 'production', ...PROD_SECRETS } });
      prodKey = await newApiKey(prod.app, await newTenant(prod.app));
    });
    afterAll(async () => {
      await prod.close();
    });

    it('serves no GraphiQL page', async () => {
      const res = await fetch(`${prod.baseUrl}/graphql`, { headers: { accept: 'text/html' } });
      const body = await res.text();
      expect(body).not.toMatch(/graphiql/i);
      const dev = await (await fetch(`${api.baseUrl}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(dev).toMatch(/graphiql/i);
    });

    it('suggests no field names, and refuses introspection over HTTP', async () => {
      const typo = await gql(prod.baseUrl, '{ serverInf { name } }', {}, { authorization: prodKey });
      expect(typo.errors![0].message).not.toMatch(/Did you mean/);
      const devTypo = await gql(api.baseUrl, '{ serverInf { name } }', {}, { authorization: key });
      expect(devTypo.errors![0].message).toMatch(/Did you mean/);
      const intro = await gql(prod.baseUrl, '{ __schema { types { name } } }', {}, { authorization: prodKey });
      expect(intro.data).toBeUndefined();
      expect(intro.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });
});
