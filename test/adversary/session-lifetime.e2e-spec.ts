import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { UsersService } from '@cairn/auth';
import { TenancyService } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';

// A refresh token copied once (from the tab's storage, a proxy log, a shared machine) is renewed by
// its thief every few days. Reuse detection never fires if the victim just closes the tab, which is
// how most people leave: each new token slides the session on, so without a bound on the sign-in
// itself the copy is a session for ever. SESSION_MAX_SECONDS (default 30 days) bounds it.
const PASSWORD = 'correct horse battery staple';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken } }';
const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }';

describe('a sign-in does not outlive SESSION_MAX_SECONDS, however often it is refreshed', () => {
  let api: TestApp;
  let owner: Client;
  let email: string;

  beforeAll(async () => {
    api = await startTestApp();
    owner = new Client({ connectionString: api.databaseUrl });
    await owner.connect();
    const tenant = await api.app.get(TenancyService).createTenant({
      slug: `s-${randomBytes(4).toString('hex')}`,
      name: 'Scandium',
      country: 'GB',
      sectors: ['insurance'],
    });
    email = (
      await api.app
        .get(UsersService)
        .create({ tenantId: tenant.id, email: `ciso-${randomBytes(4).toString('hex')}@sc.example`, role: 'analyst', password: PASSWORD })
    ).email;
  });
  afterAll(async () => {
    await owner.end();
    await api.close();
  });

  /** A sign-in refreshed `times` times; returns its current refresh token and its family (the session). */
  async function signInRefreshed(times: number): Promise<{ token: string; family: string }> {
    let token = (await gql<{ login: { refreshToken: string } }>(api.baseUrl, LOGIN, { e: email, p: PASSWORD })).data!.login.refreshToken;
    for (let i = 0; i < times; i++)
      token = (await gql<{ refreshToken: { refreshToken: string } }>(api.baseUrl, REFRESH, { t: token })).data!.refreshToken.refreshToken;
    const hash = createHash('sha256').update(token).digest('hex'); // as stored: refresh-token.service.ts
    const { rows } = await owner.query<{ family_id: string }>('SELECT family_id FROM refresh_token WHERE token_hash = $1', [hash]);
    return { token, family: rows[0].family_id };
  }

  it('refreshes a sign-in that began within the bound', async () => {
    const { token } = await signInRefreshed(2);
    const res = await gql<{ refreshToken: { accessToken: string } }>(api.baseUrl, REFRESH, { t: token });
    expect(res.errors).toBeUndefined();
    expect(res.data?.refreshToken.accessToken).toEqual(expect.any(String));
  });

  it('refuses to refresh a sign-in that began longer ago, even with a fresh, unused refresh token', async () => {
    const { token, family } = await signInRefreshed(2);
    // As if the sign-in began 31 days ago and was renewed ever since: only the tokens already used are old.
    const max = api.config.auth.sessionMaxSeconds;
    await owner.query(
      `UPDATE refresh_token SET created_at = created_at - make_interval(secs => $2 + 86400) WHERE family_id = $1 AND consumed_at IS NOT NULL`,
      [family, max],
    );
    const res = await gql(api.baseUrl, REFRESH, { t: token });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });
});
