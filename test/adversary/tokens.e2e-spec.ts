import { randomBytes } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { UsersService } from '@cairn/auth';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { collect, wsClient } from '../support/ws';
import { until, wsRun } from '../support/ws-ops';
import { newTenant, TEST_PASSWORD } from '../factories/tenancy.factory';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }';
const REFRESH = 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }';
const LOGOUT = 'mutation($r: String!) { logout(refreshToken: $r) }';
const ME = '{ me { kind } }';
const SUB = 'subscription { sightingReported { id } }';

interface Pair {
  accessToken: string;
  refreshToken: string;
}

describe('adversary: access tokens outlive no sign-in', () => {
  let api: TestApp;
  let second: TestApp;
  let tenantA: TenantEntity;
  let tenantB: TenantEntity;
  const clients: Client[] = [];

  beforeAll(async () => {
    api = await startTestApp();
    // A second API instance on the same database: revocation must not live in one process's memory.
    second = await startTestApp({ databaseUrl: api.databaseUrl });
    tenantA = await newTenant(api.app);
    tenantB = await newTenant(api.app);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => {
    await second.close();
    await api.close();
  });

  async function newUser(tenant: TenantEntity): Promise<string> {
    const email = `u-${randomBytes(5).toString('hex')}@${tenant.slug}.example`;
    await api.app.get(UsersService).create({ tenantId: tenant.id, email, role: 'analyst', password: TEST_PASSWORD });
    return email;
  }
  async function login(email: string): Promise<Pair> {
    const res = await gql<{ login: Pair }>(api.baseUrl, LOGIN, { e: email, p: TEST_PASSWORD });
    return res.data!.login;
  }
  const meOn = async (app: TestApp, token: string) =>
    (await gql(app.baseUrl, ME, {}, { authorization: `Bearer ${token}` })).errors?.[0]?.extensions?.code ?? 'OK';
  function socket(token: string) {
    const c = wsClient(api.baseUrl, `Bearer ${token}`);
    clients.push(c);
    return c;
  }

  it('logout ends the access token at once, on HTTP (both instances) and on an open socket; other sessions live on', async () => {
    const email = await newUser(tenantA);
    const session = await login(email);
    const otherSession = await login(email);
    const otherTenant = await login(await newUser(tenantB));
    const c = socket(session.accessToken);
    expect((await wsRun(c, ME)).errors).toBeUndefined();
    const sub = collect(c, SUB);
    expect([await meOn(api, session.accessToken), await meOn(second, session.accessToken)]).toEqual(['OK', 'OK']);

    expect((await gql(api.baseUrl, LOGOUT, { r: session.refreshToken })).data).toEqual({ logout: true });

    expect(await meOn(api, session.accessToken)).toBe('UNAUTHENTICATED');
    expect(await meOn(second, session.accessToken)).toBe('UNAUTHENTICATED');
    const afterLogout = await wsRun(c, ME);
    expect(afterLogout.data ?? null).toBeNull();
    await until(() => c.closeCodes.includes(4403), 'the socket to close with 4403');
    expect(sub.events).toEqual([]);
    // A new socket with the logged-out token is refused too.
    const again = socket(session.accessToken);
    expect((await wsRun(again, ME)).closed).toBe(4403);
    expect([await meOn(api, otherSession.accessToken), await meOn(second, otherTenant.accessToken)]).toEqual(['OK', 'OK']);
  });

  it('refresh-token reuse revokes every access token of the family at once, on both doors', async () => {
    const email = await newUser(tenantB);
    const first = await login(email);
    const rotated = (await gql<{ refreshToken: Pair }>(api.baseUrl, REFRESH, { r: first.refreshToken })).data!.refreshToken;
    const bystander = await login(email);
    const c = socket(rotated.accessToken);
    expect((await wsRun(c, ME)).errors).toBeUndefined();
    expect([await meOn(api, first.accessToken), await meOn(api, rotated.accessToken)]).toEqual(['OK', 'OK']);

    // The stolen copy of the first refresh token comes back: the family is revoked.
    expect((await gql(second.baseUrl, REFRESH, { r: first.refreshToken })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');

    for (const app of [api, second]) {
      expect(await meOn(app, first.accessToken)).toBe('UNAUTHENTICATED');
      expect(await meOn(app, rotated.accessToken)).toBe('UNAUTHENTICATED');
    }
    expect((await wsRun(c, ME)).data ?? null).toBeNull();
    await until(() => c.closeCodes.includes(4403), 'the socket to close with 4403');
    expect((await gql(api.baseUrl, REFRESH, { r: rotated.refreshToken })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(await meOn(api, bystander.accessToken)).toBe('OK');
  });
});
