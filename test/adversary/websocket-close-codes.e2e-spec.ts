import { JwtService } from '@nestjs/jwt';
import { createClient, type Client } from 'graphql-ws';
import { Client as Pg } from 'pg';
import WebSocket from 'ws';
import { ApiKeyService } from '@cairn/auth';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { collect } from '../support/ws';
import { rawWs, until } from '../support/ws-ops';
import { newApiKey, newTenant, signedInUser } from '../factories/tenancy.factory';

/*
 * The WebSocket door tells a client what to do when it refuses or ends a socket: 4401 "authenticate
 * again" (missing, invalid or expired credentials; a changed role) and 4403 "forbidden" (a once-valid
 * credential whose key was revoked, user disabled or tenant suspended). graphql-ws clients do not
 * retry 4401, so an expired token closed with 4403 made clients reconnect with it for ever.
 */
describe('adversary: WebSocket close codes', () => {
  let api: TestApp;
  let operator: Record<string, string>;
  const clients: Client[] = [];

  beforeAll(async () => {
    api = await startTestApp();
    operator = await signedInUser(api.app, api.baseUrl, await newTenant(api.app, { kind: 'exchange' }), 'admin', { operator: true });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => {
    await api.close();
  });

  /** The close code a fresh socket gets at connection_init (a bare socket: the close event, nothing else). */
  async function closeAtConnect(authorization: string): Promise<number | undefined> {
    const ws = await rawWs(api.baseUrl, authorization);
    for (;;) {
      const m = await ws.next();
      if (m.closed !== undefined) return m.closed;
      if (m.message?.type === 'connection_ack') {
        ws.close();
        return undefined;
      }
    }
  }

  /** A genuine access token of a signed-in user, re-signed with another expiry (the server's own key). */
  function resigned(authorization: string, exp: number): string {
    const jwt = new JwtService({ secret: api.config.auth.jwtSecret });
    const claims = jwt.decode(authorization.slice('Bearer '.length)) as Record<string, unknown>;
    return `Bearer ${jwt.sign({ ...claims, exp, iat: Math.floor(Date.now() / 1000) - 60 })}`;
  }

  const meOverHttp = async (authorization: string) =>
    (await gql(api.baseUrl, '{ me { kind } }', {}, { authorization })).errors?.[0]?.extensions?.code ?? 'OK';

  it('at connection_init: an expired access token, an expired key, a forged or missing credential → 4401', async () => {
    const tenant = await newTenant(api.app);
    const user = await signedInUser(api.app, api.baseUrl, tenant, 'analyst');
    const expired = resigned(user.authorization, Math.floor(Date.now() / 1000) - 5);
    expect(await meOverHttp(expired)).toBe('UNAUTHENTICATED');
    expect(await closeAtConnect(expired)).toBe(4401);

    const forged = new JwtService({ secret: 'x'.repeat(40) }).sign({ sub: 'nobody' });
    expect(await closeAtConnect(`Bearer ${forged}`)).toBe(4401);
    expect(await closeAtConnect('Bearer nonsense')).toBe(4401);
    expect(await closeAtConnect('')).toBe(4401);

    const key = await newApiKey(api.app, tenant);
    await expireKeys(tenant.id);
    expect(await meOverHttp(key)).toBe('UNAUTHENTICATED');
    expect(await closeAtConnect(key)).toBe(4401);
    // The same user's valid token still gets in.
    expect(await closeAtConnect(user.authorization)).toBeUndefined();
  });

  it('at connection_init: a revoked key, a disabled user, a suspended tenant → 4403', async () => {
    const tenant = await newTenant(api.app);
    const revoked = await newApiKey(api.app, tenant);
    await api.app.get(ApiKeyService).revokeByIdOrPrefix(revoked.slice('Bearer '.length).split('.')[0]);
    expect(await closeAtConnect(revoked)).toBe(4403);

    const admin = await signedInUser(api.app, api.baseUrl, tenant, 'admin');
    const analyst = await signedInUser(api.app, api.baseUrl, tenant, 'analyst');
    const me = await gql<{ me: { user: { id: string } } }>(api.baseUrl, '{ me { user { id } } }', {}, analyst);
    const disabled = await gql(
      api.baseUrl,
      'mutation($id: ID!) { updateUser(id: $id, input: { disabled: true }) { id } }',
      { id: me.data!.me.user.id },
      admin,
    );
    expect(disabled.errors).toBeUndefined();
    expect(await closeAtConnect(analyst.authorization)).toBe(4403);

    const other = await newTenant(api.app);
    const otherKey = await newApiKey(api.app, other);
    const otherUser = await signedInUser(api.app, api.baseUrl, other, 'reader');
    expect(await closeAtConnect(otherKey)).toBeUndefined();
    expect(
      (await gql(api.baseUrl, 'mutation($id: ID!) { suspendTenant(id: $id) { id } }', { id: other.id }, operator)).errors,
    ).toBeUndefined();
    expect(await closeAtConnect(otherKey)).toBe(4403);
    expect(await closeAtConnect(otherUser.authorization)).toBe(4403);
  });

  it('on an open socket: the access token expiring ends it and its subscription with 4401, a graphql-ws client does not retry it', async () => {
    const user = await signedInUser(api.app, api.baseUrl, await newTenant(api.app), 'analyst');
    // Valid for two more seconds: the socket is admitted, then its credential runs out.
    const shortLived = resigned(user.authorization, Math.floor(Date.now() / 1000) + 2);
    const closeCodes: number[] = [];
    let connecting = 0;
    // A client as applications configure it: it retries what it may retry.
    const c = createClient({
      url: api.baseUrl.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: shortLived },
      retryAttempts: 5,
      retryWait: () => new Promise((r) => setTimeout(r, 50)),
      on: { connecting: () => connecting++, closed: (e) => closeCodes.push((e as { code: number }).code) },
    });
    clients.push(c);
    const sub = collect(c, 'subscription { sightingReported { id } }');
    // The client gives up (the subscription errors) only once it will not retry.
    await until(() => sub.errors.length > 0, 'the client to give up', 15_000);
    expect(closeCodes).toEqual([4401]);
    expect(connecting).toBe(1);
    expect(sub.events).toEqual([]);
  });

  async function expireKeys(tenantId: string): Promise<void> {
    const pg = new Pg({ connectionString: api.databaseUrl });
    await pg.connect();
    try {
      await pg.query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE tenant_id = $1`, [tenantId]);
    } finally {
      await pg.end();
    }
  }
});
