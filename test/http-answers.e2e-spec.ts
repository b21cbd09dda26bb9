import { startTestApp, type TestApp } from './support/test-app';
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

  it('nor are the other routes answered through res.send', async () => {
    const res = await fetch(`${api.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
  });
});
