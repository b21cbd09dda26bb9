import { createHmac, createSign, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Client } from 'pg';
import { ApiKeyService, PasswordService, UsersService } from '@cairn/auth';
import type { Role } from '@cairn/common';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase } from './support/database';

const PASSWORD = 'correct horse battery staple';
const NO_STACK = /stacktrace|\bat .*\.[jt]s:\d+|node_modules/;
const ME = `{ me { kind tenant { id } user { id email } } }`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken user { id } } }`;
const IDP = { issuer: 'https://idp.example.test/', audience: 'cairn-via-idp', kid: 'idp-key-1' };

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Builds a JWT by hand, so a test can make exactly the token an attacker would. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (data: string) => string): string {
  const data = `${b64(header)}.${b64(payload)}`;
  return `${data}.${sign(data)}`;
}
const hs256 = (secret: string | Buffer) => (data: string) => createHmac('sha256', secret).update(data).digest('base64url');
const rs256 = (key: KeyObject) => (data: string) => createSign('RSA-SHA256').update(data).sign(key, 'base64url');

type GqlResult = Awaited<ReturnType<typeof gql>>;
function expectUnauthenticated(res: GqlResult): void {
  expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.errors?.[0]?.message).toBe('Invalid or missing credentials');
  expect(res.data ?? null).toBeNull();
  expect(JSON.stringify(res)).not.toMatch(NO_STACK);
}

async function startJwks(publicKey: KeyObject): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: IDP.kid, use: 'sig', alg: 'RS256' };
  const server = createServer((req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/.well-known/jwks.json`, hits: () => hits };
}

describe('attacks on tokens and keys', () => {
  let api: TestApp;
  let jwks: Awaited<ReturnType<typeof startJwks>>;
  let tenantA: TenantEntity;
  let tenantB: TenantEntity;
  let user: { id: string; email: string; sid: string };
  let userB: { id: string; email: string; sid: string };
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;

  /** A user with one live sign-in: `sid` is its session (refresh-token family), which every Cairn token must name. */
  async function newUser(tenant: TenantEntity, role: Role = 'analyst'): Promise<{ id: string; email: string; sid: string }> {
    const created = await api.app
      .get(UsersService)
      .create({ tenantId: tenant.id, email: `u-${randomBytes(4).toString('hex')}@example.com`, role, password: PASSWORD });
    const signedIn = await gql<{ login: { accessToken: string } }>(
      api.baseUrl,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      { e: created.email, p: PASSWORD },
    );
    const { sid } = JSON.parse(Buffer.from(signedIn.data!.login.accessToken.split('.')[1], 'base64url').toString()) as { sid: string };
    return { id: created.id, email: created.email, sid };
  }

  /** Claims of a valid Cairn access token for `user`, to be altered one at a time. */
  function claims(over: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: user.id,
      tid: tenantA.id,
      sid: user.sid,
      jti: randomUUID(),
      iss: api.config.auth.jwtIssuer,
      aud: api.config.auth.jwtAudience,
      iat: now,
      exp: now + 300,
      ...over,
    };
  }
  function idpClaims(over: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: 'idp-subject-1',
      email: user.email,
      email_verified: true,
      iss: IDP.issuer,
      aud: IDP.audience,
      iat: now,
      exp: now + 300,
      ...over,
    };
  }
  const me = (token: string) => gql(api.baseUrl, ME, {}, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    jwks = await startJwks(rsa.publicKey);
    api = await startTestApp({ env: { OIDC_JWKS_URL: jwks.url, OIDC_ISSUER: IDP.issuer, OIDC_AUDIENCE: IDP.audience } });
    const tenancy = api.app.get(TenancyService);
    tenantA = await tenancy.createTenant({
      slug: `x-${randomBytes(4).toString('hex')}`,
      name: 'Xenon',
      country: 'DE',
      sectors: ['technology'],
    });
    tenantB = await tenancy.createTenant({
      slug: `y-${randomBytes(4).toString('hex')}`,
      name: 'Yttrium',
      country: 'US',
      sectors: ['technology'],
    });
    user = await newUser(tenantA);
    userB = await newUser(tenantB);
  });
  afterAll(async () => {
    await api.close();
    await new Promise((resolve) => jwks.server.close(resolve));
  });

  it('accepts a token it signed itself (the baseline the attacks below alter)', async () => {
    const res = await me(forge({ alg: 'HS256', typ: 'JWT' }, claims(), hs256(api.config.auth.jwtSecret)));
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: { kind: 'USER', tenant: { id: tenantA.id }, user: { id: user.id, email: user.email } } });
  });

  it('rejects alg "none" (with and without a signature part)', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      expectUnauthenticated(await me(forge({ alg, typ: 'JWT' }, claims(), () => '')));
      expectUnauthenticated(await me(forge({ alg, typ: 'JWT' }, claims(), hs256(api.config.auth.jwtSecret))));
    }
  });

  it('rejects a token signed with another HMAC key', async () => {
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, claims(), hs256('some-other-secret-0123456789abcdef0123'))));
  });

  it('rejects HS/RS confusion: an HS256 token keyed with the IdP public key, and an RS256 token keyed with the shared secret', async () => {
    for (const payload of [claims(), idpClaims()]) {
      expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT', kid: IDP.kid }, payload, hs256(publicPem))));
      expectUnauthenticated(
        await me(
          forge(
            { alg: 'HS256', typ: 'JWT', kid: IDP.kid },
            payload,
            hs256(Buffer.from(JSON.stringify(rsa.publicKey.export({ format: 'jwk' })))),
          ),
        ),
      );
    }
    // The other direction: claim RS256 but "sign" with the HMAC secret.
    expectUnauthenticated(await me(forge({ alg: 'RS256', typ: 'JWT', kid: IDP.kid }, idpClaims(), hs256(api.config.auth.jwtSecret))));
    // And algorithms outside both lists.
    expectUnauthenticated(
      await me(
        forge({ alg: 'HS512', typ: 'JWT' }, claims(), (d) => createHmac('sha512', api.config.auth.jwtSecret).update(d).digest('base64url')),
      ),
    );
  });

  it("accepts a genuine RS256 token of the IdP for an existing user's e-mail (any case)", async () => {
    const res = await me(
      forge({ alg: 'RS256', typ: 'JWT', kid: IDP.kid }, idpClaims({ email: user.email.toUpperCase() }), rs256(rsa.privateKey)),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: { kind: 'USER', tenant: { id: tenantA.id }, user: { id: user.id, email: user.email } } });
    expect(jwks.hits()).toBeGreaterThan(0);
  });

  it('rejects IdP tokens for unknown e-mails, unverified e-mails, other audiences/issuers, without expiry, or signed by another key', async () => {
    const sign = rs256(rsa.privateKey);
    const header = { alg: 'RS256', typ: 'JWT', kid: IDP.kid };
    expectUnauthenticated(await me(forge(header, idpClaims({ email: 'nobody@example.com' }), sign)));
    expectUnauthenticated(await me(forge(header, idpClaims({ email_verified: false }), sign)));
    expectUnauthenticated(await me(forge(header, idpClaims({ aud: api.config.auth.jwtAudience }), sign)));
    expectUnauthenticated(await me(forge(header, idpClaims({ iss: api.config.auth.jwtIssuer }), sign)));
    expectUnauthenticated(await me(forge(header, idpClaims({ exp: undefined }), sign)));
    expectUnauthenticated(await me(forge(header, idpClaims({ exp: Math.floor(Date.now() / 1000) - 60 }), sign)));
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expectUnauthenticated(await me(forge(header, idpClaims(), rs256(stranger.privateKey))));
    expectUnauthenticated(await me(forge({ ...header, kid: 'unknown-kid' }, idpClaims(), rs256(stranger.privateKey))));
  });

  it('rejects expired tokens, wrong audience, wrong issuer, and missing claims', async () => {
    const sign = hs256(api.config.auth.jwtSecret);
    const header = { alg: 'HS256', typ: 'JWT' };
    const past = Math.floor(Date.now() / 1000) - 120;
    expectUnauthenticated(await me(forge(header, claims({ iat: past - 300, exp: past }), sign)));
    expectUnauthenticated(await me(forge(header, claims({ aud: 'someone-else' }), sign)));
    expectUnauthenticated(await me(forge(header, claims({ iss: 'evil' }), sign)));
    expectUnauthenticated(await me(forge(header, claims({ aud: IDP.audience, iss: IDP.issuer }), sign)));
    expectUnauthenticated(await me(forge(header, claims({ exp: undefined }), sign)));
    expectUnauthenticated(await me(forge(header, claims({ tid: undefined }), sign)));
    expectUnauthenticated(await me(forge(header, claims({ sub: 'not-a-uuid' }), sign)));
  });

  it('rejects a tampered payload (tid changed to another tenant, signature kept)', async () => {
    const genuine = forge({ alg: 'HS256', typ: 'JWT' }, claims(), hs256(api.config.auth.jwtSecret));
    const [header, , signature] = genuine.split('.');
    const tampered = `${header}.${b64(claims({ tid: tenantB.id }))}.${signature}`;
    expectUnauthenticated(await me(tampered));
    const userSwap = `${header}.${b64(claims({ sub: userB.id, tid: tenantB.id }))}.${signature}`;
    expectUnauthenticated(await me(userSwap));
  });

  it("rejects a validly signed token without a session, or naming another user's or no live session", async () => {
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, claims({ sid: undefined }), hs256(api.config.auth.jwtSecret))));
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, claims({ sid: randomUUID() }), hs256(api.config.auth.jwtSecret))));
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, claims({ sid: userB.sid }), hs256(api.config.auth.jwtSecret))));
  });

  it('rejects a validly signed token whose tid does not match the user', async () => {
    expectUnauthenticated(await me(forge({ alg: 'HS256', typ: 'JWT' }, claims({ tid: tenantB.id }), hs256(api.config.auth.jwtSecret))));
  });

  it('rejects the token of a disabled user and of a suspended tenant', async () => {
    const victim = await newUser(tenantB);
    const token = forge(
      { alg: 'HS256', typ: 'JWT' },
      claims({ sub: victim.id, tid: tenantB.id, sid: victim.sid }),
      hs256(api.config.auth.jwtSecret),
    );
    expect((await me(token)).errors).toBeUndefined();
    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      await client.query(`UPDATE app_user SET disabled = true WHERE id = $1`, [victim.id]);
      expectUnauthenticated(await me(token));
      await client.query(`UPDATE app_user SET disabled = false WHERE id = $1`, [victim.id]);
      expect((await me(token)).errors).toBeUndefined();
      await client.query(`UPDATE tenant SET status = 'suspended' WHERE id = $1`, [tenantB.id]);
      expectUnauthenticated(await me(token));
    } finally {
      await client.query(`UPDATE tenant SET status = 'active' WHERE id = $1`, [tenantB.id]);
      await client.end();
    }
  });
});

describe('brute force', () => {
  let api: TestApp;
  let tenant: TenantEntity;

  beforeEach(async () => {
    // A fresh instance per test: the limits are per instance, in memory.
    api = await startTestApp({ databaseUrl: await createTestDatabase() });
    tenant = await api.app
      .get(TenancyService)
      .createTenant({ slug: `z-${randomBytes(4).toString('hex')}`, name: 'Zinc', country: 'DE', sectors: ['technology'] });
  });
  afterEach(async () => {
    await api.close();
  });

  const login = (email: string, password: string) => gql(api.baseUrl, LOGIN, { email, password });

  it('locks an account after 5 failures: RATE_LIMITED even with the right password, recorded in the database', async () => {
    const user = await api.app
      .get(UsersService)
      .create({ tenantId: tenant.id, email: `v-${randomBytes(4).toString('hex')}@example.com`, role: 'reader', password: PASSWORD });
    for (let i = 0; i < 5; i++) expectUnauthenticated(await login(user.email, `wrong password ${i}!!`));
    const locked = await login(user.email, PASSWORD);
    expect(locked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(locked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(JSON.stringify(locked)).not.toMatch(NO_STACK);

    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT locked_until > now() AS locked FROM app_user WHERE id = $1`, [user.id]);
    await client.end();
    expect(rows[0].locked).toBe(true);

    // A restarted (or second) instance has empty memory, but the lock in the database still holds.
    const other = await startTestApp({ databaseUrl: api.databaseUrl });
    try {
      const again = await gql(other.baseUrl, LOGIN, { email: user.email, password: PASSWORD });
      expect(again.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await other.close();
    }
  });

  it('treats an unknown e-mail exactly like a known one: same errors, same lock-out, same password work', async () => {
    const known = await api.app
      .get(UsersService)
      .create({ tenantId: tenant.id, email: `k-${randomBytes(4).toString('hex')}@example.com`, role: 'reader', password: PASSWORD });
    const unknown = `ghost-${randomBytes(4).toString('hex')}@example.com`;
    // What makes the time: the scrypt runs of each attempt, with their cost parameters (scrypt$N$r$p).
    // Counted on the real service rather than timed, so a loaded machine cannot fail the test
    // (the time itself is measured by `npm run bench -- login`).
    const passwords = api.app.get(PasswordService);
    const verify = jest.spyOn(passwords, 'verify');
    const hash = jest.spyOn(passwords, 'hash');
    const work: Record<string, string[]> = { known: [], unknown: [] };
    const answers: Record<string, unknown[]> = { known: [], unknown: [] };
    try {
      for (let i = 0; i < 6; i++) {
        for (const [label, email] of [
          ['known', known.email],
          ['unknown', unknown],
        ] as const) {
          verify.mockClear();
          hash.mockClear();
          const res = await login(email, `wrong password ${i}!!`);
          // One-off per process: the dummy hash unknown e-mails are verified against is made on first use.
          const made = i === 0 && label === 'unknown' ? hash.mock.calls.length - 1 : hash.mock.calls.length;
          work[label].push(
            [...verify.mock.calls.map(([, encoded]) => encoded.split('$').slice(0, 4).join('$')), ...Array(made).fill('hash')].join(
              ' + ',
            ) || 'none',
          );
          // retryAfterSeconds may differ by a second between the two; everything else must not.
          answers[label].push({ message: res.errors?.[0]?.message, code: res.errors?.[0]?.extensions?.code, data: res.data ?? null });
        }
      }
    } finally {
      verify.mockRestore();
      hash.mockRestore();
    }
    expect(answers.known).toEqual(answers.unknown);
    expect(answers.known.map((a) => (a as { code: string }).code)).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'RATE_LIMITED']);
    // Both paths run exactly one scrypt verification at the known hash's cost; the locked-out attempt none.
    const cost = (await api.app.get(UsersService).loadPrincipalByEmail(known.email))!.passwordHash.split('$').slice(0, 4).join('$');
    expect(work.known).toEqual([...Array(5).fill(cost), 'none']);
    expect(work.unknown).toEqual(work.known);
  });

  it('limits failures per client address across many e-mails (20 a minute)', async () => {
    for (let i = 0; i < 20; i++) expectUnauthenticated(await login(`spray-${i}@example.com`, 'password spraying!!'));
    const res = await login('spray-new@example.com', 'password spraying!!');
    expect(res.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  const meWith = (key: string) => gql(api.baseUrl, ME, {}, { authorization: `Bearer ${key}` });
  const newKey = async (tenantId = tenant.id) =>
    api.app.get(ApiKeyService).create({ tenantId, name: `siem-${randomBytes(3).toString('hex')}`, scopes: ['taxii:read'] });
  const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;

  it('limits guessing at API keys per client address: then a key not yet seen here is RATE_LIMITED, even with its right secret', async () => {
    const { secret, apiKey } = await newKey();
    for (let i = 0; i < 10; i++) {
      const guess =
        i % 2
          ? `${apiKey.prefix}.${randomBytes(32).toString('base64url')}`
          : `cairn_${randomBytes(4).toString('hex')}.${randomBytes(32).toString('base64url')}`;
      expectUnauthenticated(await meWith(guess));
    }
    const limited = await meWith(secret);
    expect(code(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions).toEqual({
      code: 'RATE_LIMITED',
      reason: 'TOO_MANY_FAILED_ATTEMPTS',
      retryAfterSeconds: expect.any(Number),
    });
    expect(JSON.stringify(limited)).not.toMatch(NO_STACK);
  });

  it('a stranger guessing from a shared address does not stop keys already working from it, of any tenant', async () => {
    const other = await api.app
      .get(TenancyService)
      .createTenant({ slug: `y-${randomBytes(4).toString('hex')}`, name: 'Yew', country: 'FR', sectors: ['financial-services'] });
    const mine = await newKey();
    const theirs = await newKey(other.id);
    expect((await meWith(mine.secret)).errors).toBeUndefined();
    expect((await meWith(theirs.secret)).errors).toBeUndefined();
    for (let i = 0; i < 12; i++) await meWith(`${mine.apiKey.prefix}.${randomBytes(32).toString('base64url')}`);
    // The guesser is held up, the right prefix does not help it, and the two working keys still answer.
    expect(code(await meWith(`${mine.apiKey.prefix}.${randomBytes(32).toString('base64url')}`))).toBe('RATE_LIMITED');
    const [a, b] = [await meWith(mine.secret), await meWith(theirs.secret)];
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data).toEqual({ me: { kind: 'API_KEY', tenant: { id: tenant.id }, user: null } });
    expect(b.data).toEqual({ me: { kind: 'API_KEY', tenant: { id: other.id }, user: null } });
    // The same key by id (HTTP Basic) has not been seen working here: it waits like any other.
    const basic = Buffer.from(`${mine.apiKey.id}:${mine.secret.split('.')[1]}`).toString('base64');
    expect(code(await gql(api.baseUrl, ME, {}, { authorization: `Basic ${basic}` }))).toBe('RATE_LIMITED');
  });

  it("one tenant's revoked key, retried without end, does not lock out another tenant's new key at the same address", async () => {
    const dead = await newKey();
    expect((await meWith(dead.secret)).errors).toBeUndefined();
    await api.app.get(ApiKeyService).revokeByIdOrPrefix(dead.apiKey.id);
    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      const expired = await newKey();
      await client.query(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.apiKey.id]);
      for (let i = 0; i < 15; i++) {
        expectUnauthenticated(await meWith(dead.secret));
        expectUnauthenticated(await meWith(expired.secret));
      }
    } finally {
      await client.end();
    }
    const fresh = await newKey();
    const res = await meWith(fresh.secret);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: { kind: 'API_KEY', tenant: { id: tenant.id }, user: null } });
  });
});
