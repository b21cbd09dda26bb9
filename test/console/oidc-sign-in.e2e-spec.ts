import { createHash, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import type { TenantEntity } from '@cairn/tenancy';
import { gql } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { newPerson, openPage, shot, startConsoleRig, type ConsoleRig } from '../support/console';

// Sign-in at an identity provider from the console, in the real browser: authorization code flow
// with PKCE (S256) for a public client, against a small provider run by this test (discovery, JWKS,
// an authorize endpoint that signs the test person in at once, a token endpoint that checks the
// verifier). Its origin is not the API's, so the console's CSP must allow exactly it.
jest.setTimeout(120_000);

const CLIENT_ID = 'cairn-console';
const AUDIENCE = 'cairn-api-oidc-test';
const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** What the provider does wrong on purpose: send back a forged state, or issue a code for another verifier's challenge. */
type Mischief = 'none' | 'forged-state' | 'other-challenge';

interface Idp {
  issuer: string;
  server: Server;
  /** Who the next authorize request signs in, where it may send them back, and what goes wrong. */
  next: { email: string; redirectUri: string; mischief: Mischief };
  tokenRequests: number;
}

async function startIdp(): Promise<Idp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string; email: string }>();
  const sign = (claims: Record<string, unknown>) => {
    const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
  };
  const idp: Idp = {
    issuer: '',
    server: undefined as unknown as Server,
    next: { email: '', redirectUri: '', mischief: 'none' },
    tokenRequests: 0,
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    // The console calls discovery and the token endpoint from its own origin.
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', idp.issuer);
    if (url.pathname === '/.well-known/openid-configuration')
      return json(res, 200, {
        issuer: idp.issuer,
        authorization_endpoint: `${idp.issuer}/authorize`,
        token_endpoint: `${idp.issuer}/token`,
        jwks_uri: `${idp.issuer}/jwks`,
        code_challenge_methods_supported: ['S256'],
      });
    if (url.pathname === '/jwks')
      return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      const ok =
        q.get('client_id') === CLIENT_ID &&
        redirectUri === idp.next.redirectUri &&
        q.get('response_type') === 'code' &&
        q.get('code_challenge_method') === 'S256' &&
        /^[\w-]{43}$/.test(q.get('code_challenge') ?? '') &&
        q.get('scope')?.split(' ').includes('openid') &&
        q.get('state') &&
        q.get('nonce');
      if (!ok) return json(res, 400, { error: 'invalid_request' });
      const code = randomBytes(16).toString('hex');
      const challenge =
        idp.next.mischief === 'other-challenge'
          ? b64url(
              createHash('sha256')
                .update(b64url(randomBytes(32)))
                .digest(),
            )
          : q.get('code_challenge')!;
      codes.set(code, { challenge, nonce: q.get('nonce')!, redirectUri, email: idp.next.email });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', idp.next.mischief === 'forged-state' ? b64url(randomBytes(32)) : q.get('state')!);
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      idp.tokenRequests++;
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? ''); // a code is used once
      if (
        !grant ||
        form.get('grant_type') !== 'authorization_code' ||
        form.get('client_id') !== CLIENT_ID ||
        form.get('redirect_uri') !== grant.redirectUri
      )
        return json(res, 400, { error: 'invalid_grant', error_description: 'unknown code' });
      if (
        b64url(
          createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest(),
        ) !== grant.challenge
      )
        return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      const now = Math.floor(Date.now() / 1000);
      const common = { iss: idp.issuer, sub: grant.email, email: grant.email, email_verified: true, iat: now, exp: now + 3600 };
      // As many providers do: the ID token is for the client, the access token for the API (OIDC_AUDIENCE).
      return json(res, 200, {
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: sign({ ...common, aud: CLIENT_ID, nonce: grant.nonce }),
        access_token: sign({ ...common, aud: AUDIENCE, scope: 'openid email profile' }),
      });
    }
    json(res, 404, { error: 'not_found' });
  };
  idp.server = createServer((req, res) => void handle(req, res).catch(() => json(res, 500, { error: 'server_error' })));
  await new Promise<void>((resolve) => idp.server.listen(0, '127.0.0.1', resolve));
  idp.issuer = `http://127.0.0.1:${(idp.server.address() as { port: number }).port}`;
  return idp;
}

describe('console sign-in at an identity provider (authorization code + PKCE)', () => {
  let idp: Idp;
  let rig: ConsoleRig;
  let a: TenantEntity;
  let emailA: string;
  const tag = randomUUID().slice(0, 8);
  const own = { a: `A-only ${tag}`, b: `B-only ${tag}` };

  const session = (page: Page) => page.evaluate<string | null>("sessionStorage.getItem('cairn:session')");
  const startSignIn = async (page: Page) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in with your identity provider' }).click();
  };

  beforeAll(async () => {
    idp = await startIdp();
    rig = await startConsoleRig({
      OIDC_JWKS_URL: `${idp.issuer}/jwks`,
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_CLIENT_ID: CLIENT_ID,
    });
    idp.next.redirectUri = `${rig.api.baseUrl}/oidc/callback`;
    a = await newTenant(rig.api.app, { name: 'Umbrella Pharma', country: 'DE', sectors: ['healthcare'] });
    const b = await newTenant(rig.api.app, { name: 'Blue Clinic', country: 'FR', sectors: ['healthcare'] });
    emailA = await newPerson(rig, a, 'analyst', 'Ida Idp');
    for (const [t, name, ip] of [
      [a, own.a, '203.0.113.7'],
      [b, own.b, '203.0.113.8'],
    ] as const) {
      const T = '2025-06-02T09:00:00.000Z';
      const ind = {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${randomUUID()}`,
        created: T,
        modified: T,
        name,
        pattern: `[ipv4-addr:value = '${ip}']`,
        pattern_type: 'stix',
        valid_from: T,
      };
      const res = await gql(
        rig.api.baseUrl,
        'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { objects { id } } }',
        { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [ind] }, s: { distribution: 'ORGANISATION' } },
        { authorization: await newApiKey(rig.api.app, t) },
      );
      if (res.errors) throw new Error(JSON.stringify(res.errors));
    }
  });
  afterAll(async () => {
    await rig?.close();
    await new Promise((resolve) => idp?.server.close(resolve));
  });

  it('writes the issuer, client and scopes into the page, and lets it connect to exactly the issuer besides itself', async () => {
    const res = await fetch(`${rig.api.baseUrl}/`);
    const page = await res.text();
    expect(res.headers.get('content-security-policy')).toContain(`connect-src 'self' ${idp.issuer};`);
    expect(page).toContain(`<meta name="cairn-oidc-issuer" content="${idp.issuer}" />`);
    expect(page).toContain(`<meta name="cairn-oidc-client-id" content="${CLIENT_ID}" />`);
    expect(page).toContain('<meta name="cairn-oidc-scopes" content="openid email profile" />');
    expect((await fetch(`${rig.api.baseUrl}/oidc/callback?code=x&state=y`)).headers.get('content-security-policy')).toContain(idp.issuer);
  });

  it('signs in through the provider as its person’s tenant, shows that tenant’s data (not another’s), and signs out', async () => {
    const { context, page, errors } = await openPage(rig);
    idp.next = { ...idp.next, email: emailA, mischief: 'none' };
    await startSignIn(page);
    await page.getByRole('heading', { name: 'Live feed' }).waitFor();
    await expect(page.getByTestId('who').textContent()).resolves.toContain('Ida Idp · Umbrella Pharma · analyst');
    expect(new URL(page.url()).search).toBe(''); // the code and state left the address bar
    // The bearer the console keeps is the access token, the one with the API's audience.
    const kept = JSON.parse((await session(page))!) as { accessToken: string; refreshToken: null };
    expect(JSON.parse(Buffer.from(kept.accessToken.split('.')[1], 'base64url').toString()).aud).toBe(AUDIENCE);
    expect(kept.refreshToken).toBeNull();

    await page.getByRole('link', { name: 'Explore' }).click();
    await page.getByLabel('Words in name or description').fill(tag);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('results').getByRole('link', { name: own.a }).waitFor();
    expect(await page.locator('body').innerText()).not.toContain(own.b);
    await shot(rig, page, 'oidc-signed-in');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    expect(await session(page)).toBeNull();
    expect(rig.cspViolations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sends the person back to sign-in when the provider’s token expires (it cannot be refreshed here)', async () => {
    const { context, page } = await openPage(rig);
    idp.next = { ...idp.next, email: emailA, mischief: 'none' };
    await startSignIn(page);
    await page.getByRole('heading', { name: 'Live feed' }).waitFor();
    await page.evaluate(
      "(() => { const s = JSON.parse(sessionStorage.getItem('cairn:session')); s.expiresAt = new Date(Date.now() + 1000).toISOString(); sessionStorage.setItem('cairn:session', JSON.stringify(s)); })()",
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    expect(await session(page)).toBeNull();
    await context.close();
  });

  it('refuses a redirect back whose state is not the one this tab sent: a clear message, no session, no token request', async () => {
    const { context, page } = await openPage(rig);
    idp.next = { ...idp.next, email: emailA, mischief: 'forged-state' };
    const before = idp.tokenRequests;
    await startSignIn(page);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('its state does not match');
    await page.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    expect(await session(page)).toBeNull();
    expect(idp.tokenRequests).toBe(before);
    await context.close();
  });

  it('refuses a code the provider will not exchange for this tab’s verifier: its reason shown, no session', async () => {
    const { context, page } = await openPage(rig);
    idp.next = { ...idp.next, email: emailA, mischief: 'other-challenge' };
    await startSignIn(page);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'The identity provider refused the sign-in: PKCE verification failed',
    );
    expect(await session(page)).toBeNull();
    await expect(page.getByRole('button', { name: 'Sign in with your identity provider' }).isVisible()).resolves.toBe(true);
    await context.close();
  });

  it('refuses a provider sign-in for an e-mail address that is no person of Cairn', async () => {
    const { context, page } = await openPage(rig);
    idp.next = { ...idp.next, email: `nobody-${tag}@elsewhere.example`, mischief: 'none' };
    await startSignIn(page);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Cairn does not accept that sign-in');
    expect(await session(page)).toBeNull();
    await context.close();
  });
});
