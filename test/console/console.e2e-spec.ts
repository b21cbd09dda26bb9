import { randomUUID } from 'node:crypto';
import type { Page, WebSocketRoute } from 'playwright-core';
import type { TenantEntity } from '@cairn/tenancy';
import { gql } from '../support/test-app';
import { waitFor } from '../support/wait';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { newPerson, openPage, shot, signIn, startConsoleRig, type ConsoleRig } from '../support/console';

// The web console end to end: a real browser (Chromium from the npm package), the real server and
// database, two member tenants that must never see each other's own objects anywhere in the UI.
// One browser for the file; each journey ends with a screenshot in the printed folder.
jest.setTimeout(120_000);

const T = '2025-06-02T09:00:00.000Z';
const tag = randomUUID().slice(0, 8);
const sdo = (type: string, props: Record<string, unknown>) => ({ type, spec_version: '2.1', id: `${type}--${randomUUID()}`, created: T, modified: T, ...props });
const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
const indicator = (name: string, ip: string) => sdo('indicator', { name, pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: T });

describe('the Cairn console in a browser', () => {
  let rig: ConsoleRig;
  let a: TenantEntity; // Umbrella Pharma, healthcare DE: the console user
  let b: TenantEntity; // healthcare FR: the other tenant
  const reporters: TenantEntity[] = [];
  const keys = new Map<string, string>();
  let pageA: Page;
  let pageB: Page;
  let emailA: string;
  let emailB: string;
  // Each tenant's organisation-only object: the other must never see it.
  const privateOf = { a: `A-only ${tag}`, b: `B-only ${tag}` };
  const errors: string[] = [];
  let ws: { blocked: boolean; current: WebSocketRoute | null } = { blocked: false, current: null };

  const as = (t: TenantEntity) => ({ authorization: keys.get(t.id)! });
  const publish = async (t: TenantEntity, objects: unknown[], sharing?: Record<string, unknown>) => {
    const res = await gql<{ publishBundle: { objects: Array<{ id: string }> } }>(rig.api.baseUrl, 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { objects { id } } }', { b: bundle(...objects), s: sharing }, as(t));
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.publishBundle.objects.map((o) => o.id);
  };
  /** Text of the whole page: nothing of the other tenant's own objects may be in it. */
  const expectNoTraceOf = async (page: Page, text: string) => expect(await page.locator('body').innerText()).not.toContain(text);

  beforeAll(async () => {
    rig = await startConsoleRig();
    a = await newTenant(rig.api.app, { name: 'Umbrella Pharma', country: 'DE', sectors: ['healthcare'], domains: ['umbrella-pharma.example'], redactionTerms: ['Project Hive'] });
    b = await newTenant(rig.api.app, { name: 'Blue Clinic', country: 'FR', sectors: ['healthcare'] });
    // Enough members for a healthcare / europe cell (k = 3), so sightings can be reported and counted.
    for (const country of ['DE', 'NL', 'ES']) reporters.push(await newTenant(rig.api.app, { country, sectors: ['healthcare'] }));
    for (const t of [a, b, ...reporters]) keys.set(t.id, await newApiKey(rig.api.app, t));
    emailA = await newPerson(rig, a, 'admin', 'Ada Admin');
    emailB = await newPerson(rig, b, 'admin', 'Bo Admin');
    await publish(a, [indicator(privateOf.a, '203.0.113.1')], { distribution: 'ORGANISATION' });
    await publish(b, [indicator(privateOf.b, '203.0.113.2')], { distribution: 'ORGANISATION' });
    const oa = await openPage(rig);
    const ob = await openPage(rig);
    pageA = oa.page;
    pageB = ob.page;
    pageA.on('pageerror', (e) => errors.push(e.message));
    pageB.on('pageerror', (e) => errors.push(e.message));
    // The live feed's socket goes through the test, so that it can drop it and hold it down.
    await pageA.routeWebSocket(/\/graphql$/, (route) => {
      if (ws.blocked) return void route.close({ code: 1013, reason: 'test: network down' });
      ws.current = route;
      route.connectToServer();
    });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('signs in with a password (a wrong one is refused), serves the page with a strict CSP, and signs out', async () => {
    const res = await fetch(`${rig.api.baseUrl}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');

    await pageA.goto('/');
    await pageA.getByLabel('E-mail address', { exact: true }).fill(emailA);
    await pageA.getByLabel('Password', { exact: true }).fill('not the password at all');
    await pageA.getByRole('button', { name: 'Sign in' }).click();
    await expect(pageA.getByRole('alert').textContent()).resolves.toContain('Wrong e-mail address or password');
    await shot(rig, pageA, '01-sign-in');
    await signIn(pageA, emailA);
    await expect(pageA.getByTestId('who').textContent()).resolves.toContain('Umbrella Pharma');

    // Signing out ends the session on the server too; signing in again works.
    await pageB.goto('/');
    await signIn(pageB, emailB);
    await pageB.getByRole('button', { name: 'Sign out' }).click();
    await pageB.getByRole('heading', { name: 'Sign in to Cairn' }).waitFor();
    await signIn(pageB, emailB);
  });

  it('refreshes the session before the access token expires, without signing the person out', async () => {
    const refreshTokenNow = () => pageA.evaluate<string>("JSON.parse(sessionStorage.getItem('cairn:session')).refreshToken");
    const before = await refreshTokenNow();
    // Pretend the token expires now: the console refreshes it on the next call.
    await pageA.evaluate("(() => { const s = JSON.parse(sessionStorage.getItem('cairn:session')); s.expiresAt = new Date(Date.now() + 1000).toISOString(); sessionStorage.setItem('cairn:session', JSON.stringify(s)); })()");
    await pageA.reload();
    await pageA.getByRole('heading', { name: 'Live feed' }).waitFor();
    await waitFor(async () => (await refreshTokenNow()) !== before, { what: 'a refreshed session' });
    await pageA.getByRole('link', { name: 'Explore' }).click();
    await pageA.getByRole('heading', { name: 'Explore' }).waitFor();
    await expect(pageA.getByTestId('who').textContent()).resolves.toContain('Ada Admin');
  });
});
