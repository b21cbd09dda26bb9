import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { UsersService } from '@cairn/auth';
import { TenancyService } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';

// An identity provider may hand out tokens whose `email` the person typed in and nobody checked
// (self sign-up, a user-editable mail attribute: the "nOAuth" class). Such an e-mail is not proof
// of being the Cairn person who owns it. OpenID Connect Core §5.1: only `email_verified: true`
// says the provider checked it; absent, or anything else, must not sign anyone in as that person.
const IDP = { issuer: 'https://idp.example.test/', audience: 'cairn-via-idp', kid: 'idp-key-1' };
const ME = `{ me { kind tenant { id } user { id email } } }`;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function idpToken(key: KeyObject, payload: Record<string, unknown>): string {
  const data = `${b64({ alg: 'RS256', typ: 'JWT', kid: IDP.kid })}.${b64(payload)}`;
  return `${data}.${createSign('RSA-SHA256').update(data).sign(key, 'base64url')}`;
}

describe('OIDC sign-in with an e-mail address the identity provider did not verify', () => {
  let api: TestApp;
  let jwks: Server;
  let victim: { id: string; email: string; tenantId: string };
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    const jwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: IDP.kid, use: 'sig', alg: 'RS256' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/jwks.json`;
    api = await startTestApp({ env: { OIDC_JWKS_URL: jwksUrl, OIDC_ISSUER: IDP.issuer, OIDC_AUDIENCE: IDP.audience } });
    const tenant = await api.app.get(TenancyService).createTenant({
      slug: `v-${randomBytes(4).toString('hex')}`,
      name: 'Vanadium',
      country: 'DE',
      sectors: ['financial-services'],
    });
    const user = await api.app.get(UsersService).create({
      tenantId: tenant.id,
      email: `ciso-${randomBytes(4).toString('hex')}@vanadium.example`,
      role: 'admin',
      password: 'correct horse battery staple',
    });
    victim = { id: user.id, email: user.email, tenantId: tenant.id };
  });
  afterAll(async () => {
    await api.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const meWith = (over: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'attacker-at-idp', email: victim.email, iss: IDP.issuer, aud: IDP.audience, iat: now, exp: now + 300, ...over };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete (claims as Record<string, unknown>)[k];
    return gql(api.baseUrl, ME, {}, { authorization: `Bearer ${idpToken(rsa.privateKey, claims)}` });
  };

  it('signs in as the person only when the provider says it verified the address', async () => {
    const verified = await meWith({ email_verified: true });
    expect(verified.data).toEqual({ me: { kind: 'USER', tenant: { id: victim.tenantId }, user: { id: victim.id, email: victim.email } } });
  });

  it.each([
    ['no email_verified claim', { email_verified: undefined }],
    ['email_verified "false" (a string, as some providers send it)', { email_verified: 'false' }],
    ['email_verified 0', { email_verified: 0 }],
    ['email_verified null', { email_verified: null }],
  ])('refuses a token with %s: no session as the victim', async (_what, over) => {
    const res = await meWith(over);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });
});
