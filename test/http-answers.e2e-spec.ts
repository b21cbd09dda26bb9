import { randomUUID } from 'node:crypto';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';

/** What the HTTP layer adds to each answer: no work whose result no client can use. */
describe('HTTP answers', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    api = await startTestApp();
    key = await newApiKey(api.app, await newTenant(api.app), ['intel:read']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('GraphQL answers are not hashed for an ETag (each is for one viewer, and a POST is never revalidated)', async () => {
    const res = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: key },
      body: JSON.stringify({
        query: 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known } }',
        variables: { v: ['a@example.com', '10.0.0.1'] },
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { checkIdentifiers: unknown[] } }).data.checkIdentifiers).toHaveLength(2);
    expect(res.headers.get('etag')).toBeNull();
  });

  // Guards against a compiled executor (graphql-jit was tried and taken out, 6e1317a): a client
  // must not be able to tell a document's first call from its later ones, and no text it sends may
  // ever run as code or change what a document does on a later call.
  it('an operation answers the same on its first call and on every later one: data, refusals, bad variables', async () => {
    const narrow = await newApiKey(api.app, await newTenant(api.app), ['sightings:write']);
    // A document of its own per case, so that each case's first call is the document's first sight.
    const fourCalls = async (fields: string, variables: Record<string, unknown>, authorization: string) => {
      const answers: Array<{ status: number; body: string }> = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${api.baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query: `query($v: [String!]!) { checkIdentifiers(values: $v) { ${fields} } }`, variables }),
        });
        answers.push({ status: res.status, body: await res.text() });
      }
      return answers;
    };
    const ok = await fourCalls(
      'value type normalised known reporters error',
      { v: ['a@example.com', '10.0.0.1', 'not an identifier'] },
      key,
    );
    const refused = await fourCalls('value known', { v: ['10.0.0.1'] }, narrow);
    const bad = await fourCalls('value', { v: ['10.0.0.1', 7, null] }, key);
    for (const answers of [ok, refused, bad]) for (const a of answers) expect(a).toEqual(answers[0]);
    expect(ok[0].status).toBe(200);
    expect(JSON.parse(ok[0].body).data.checkIdentifiers).toHaveLength(3);
    expect(JSON.parse(refused[0].body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(bad[0].status).toBe(400);
    expect(JSON.parse(bad[0].body).errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
  });

  it('a string literal is never run as code, on the first call or any later one (graphql-jit did, unauthenticated)', async () => {
    delete process.env.CAIRN_LITERAL_RAN;
    const payload = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d(process.env.CAIRN_LITERAL_RAN=42)';
    const query = `mutation { login(email: "${payload}", password: "x") { accessToken } }`;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await gql(api.baseUrl, query));
    expect(process.env.CAIRN_LITERAL_RAN).toBeUndefined();
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0].errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a mutation after a failed one runs on no call (graphql-jit ran it from the second)', async () => {
    const auth = { authorization: await newApiKey(api.app, await newTenant(api.app)) };
    const doc = `mutation($r: String!) {
      a: revoke(id: "indicator--${randomUUID()}") { id }
      b: watchIdentifiers(entries: [{ value: "a@example.com", reference: $r }]) { entryId }
    }`;
    const answers = [];
    for (const r of ['first', 'second', 'third']) answers.push(await gql(api.baseUrl, doc, { r }, auth));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0].errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const list = await gql<{ watchlist: Array<{ reference: string }> }>(api.baseUrl, '{ watchlist { reference } }', undefined, auth);
    expect(list.data!.watchlist).toEqual([]);
  });

  it('a path that is not percent-encoded UTF-8 is a 400 on the routes with a path parameter, never a 500 or a stack', async () => {
    for (const path of ['/console-assets/%FF', '/console-assets/%C0%80', '/console-assets/%ED%A0%80', '/graphiql-assets/%FF']) {
      const res = await fetch(`${api.baseUrl}${path}`);
      const text = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(text).not.toMatch(/\bat .*\.[jt]s:\d+|node_modules|URIError/);
    }
    // A well-formed name of no asset stays a 404.
    expect((await fetch(`${api.baseUrl}/console-assets/none.js`)).status).toBe(404);
  });

  it('nor are the other routes answered through res.send', async () => {
    const res = await fetch(`${api.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
  });
});
