import { gql, startTestApp, type TestApp } from './support/test-app';
import { collect, wsClient } from './support/ws';
import { untilSubscriptions, waitFor } from './support/wait';
import { newApiKey, newTenant } from './factories/tenancy.factory';

const NO_STACK = /stacktrace|\bat .*\.[jt]s:\d+|node_modules/;

describe('abuse limits', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    api = await startTestApp({
      env: {
        GRAPHQL_MAX_DEPTH: '3',
        GRAPHQL_MAX_ALIASES: '2',
        RATE_LIMIT_PRINCIPAL_PER_MINUTE: '8',
        WS_MAX_CONNECTIONS_PER_TENANT: '1',
      },
    });
    key = await newApiKey(api.app, await newTenant(api.app), ['intel:read']);
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses a document nested deeper than GRAPHQL_MAX_DEPTH before running it', async () => {
    const res = await gql(api.baseUrl, '{ objects { edges { node { id } } } }', {}, { authorization: key });
    expect(res.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0].message).toBe('The operation is nested 4 levels deep; the limit is 3');
    expect(JSON.stringify(res)).not.toMatch(NO_STACK);
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES', async () => {
    const res = await gql(api.baseUrl, '{ a: serverInfo { name } b: serverInfo { name } c: serverInfo { name } }');
    expect(res.errors![0].message).toBe('The operation uses 3 aliases; the limit is 2');
  });

  it('refuses batched operations in one HTTP request', async () => {
    const res = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ serverInfo { name } }' }, { query: '{ serverInfo { name } }' }]),
    });
    expect(res.status).toBe(400);
  });

  it('answers RATE_LIMITED with a retry time once a key has spent its per-minute budget', async () => {
    const q = '{ sharingGroups { id } }';
    const codes: unknown[] = [];
    for (let i = 0; i < 10; i++) codes.push((await gql(api.baseUrl, q, {}, { authorization: key })).errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.slice(0, 8)).toEqual(Array(8).fill('OK'));
    expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    const limited = await gql(api.baseUrl, q, {}, { authorization: key });
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('closes a tenant’s WebSocket beyond WS_MAX_CONNECTIONS_PER_TENANT with code 4429', async () => {
    const other = await newApiKey(api.app, await newTenant(api.app), ['intel:read']);
    const first = wsClient(api.baseUrl, other);
    const second = wsClient(api.baseUrl, other);
    const sub = 'subscription { sightingReported { id } }';
    collect(first, sub);
    // The first connection is accepted (its subscription is live) before the second one asks.
    await untilSubscriptions(api.app, 1);
    collect(second, sub);
    await waitFor(() => second.closeCodes.length > 0, { what: 'the server to close the second connection' });
    expect(second.closeCodes).toContain(4429);
    expect(first.closeCodes).toEqual([]);
    await first.dispose();
    await second.dispose();
  });
});
