import { readFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
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
const sdo = (type: string, props: Record<string, unknown>) => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T,
  modified: T,
  ...props,
});
const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
const indicator = (name: string, ip: string) =>
  sdo('indicator', { name, pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: T });

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
  const ws: { blocked: boolean; current: WebSocketRoute | null } = { blocked: false, current: null };

  const as = (t: TenantEntity) => ({ authorization: keys.get(t.id)! });
  const publish = async (t: TenantEntity, objects: unknown[], sharing?: Record<string, unknown>) => {
    const res = await gql<{ publishBundle: { objects: Array<{ id: string }> } }>(
      rig.api.baseUrl,
      'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { objects { id } } }',
      { b: bundle(...objects), s: sharing },
      as(t),
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.publishBundle.objects.map((o) => o.id);
  };
  /** Text of the whole page: nothing of the other tenant's own objects may be in it. */
  const expectNoTraceOf = async (page: Page, text: string) => expect(await page.locator('body').innerText()).not.toContain(text);

  beforeAll(async () => {
    rig = await startConsoleRig();
    a = await newTenant(rig.api.app, {
      name: 'Umbrella Pharma',
      country: 'DE',
      sectors: ['healthcare'],
      domains: ['umbrella-pharma.example'],
      redactionTerms: ['Project Hive'],
    });
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
  // What the page looked like when a journey failed (and after each one), for whoever reads the failure.
  afterEach(async () => {
    const name = (expect.getState().currentTestName ?? 'test').replace(/\W+/g, '-').slice(0, 60);
    await pageA?.screenshot({ path: `${rig.shots}/after-${name}.png`, fullPage: true }).catch(() => undefined);
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
    // Only the build's own files are served from the assets path, by name.
    for (const path of ['/console-assets/..%2F..%2Fpackage.json', '/console-assets/index.html'])
      expect((await fetch(`${rig.api.baseUrl}${path}`)).status).toBe(404);

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
    await pageA.evaluate(
      "(() => { const s = JSON.parse(sessionStorage.getItem('cairn:session')); s.expiresAt = new Date(Date.now() + 1000).toISOString(); sessionStorage.setItem('cairn:session', JSON.stringify(s)); })()",
    );
    await pageA.reload();
    await pageA.getByRole('heading', { name: 'Live feed' }).waitFor();
    await waitFor(async () => (await refreshTokenNow()) !== before, { what: 'a refreshed session' });
    await pageA.getByRole('link', { name: 'Explore' }).click();
    await pageA.getByRole('heading', { name: 'Explore' }).waitFor();
    await expect(pageA.getByTestId('who').textContent()).resolves.toContain('Ada Admin');
  });

  it('live feed: another tenant’s indicator arrives live; after a dropped socket nothing is missed or doubled; "new since your last visit"', async () => {
    await pageA.getByRole('link', { name: 'Live feed' }).click();
    await pageA.getByTestId('live-status').filter({ hasText: 'Live:' }).waitFor();
    const feed = pageA.getByTestId('feed-list');
    await publish(b, [indicator(`Laptop farm exit ${tag}`, '198.51.100.10')], { distribution: 'SECTOR' });
    await feed.getByText(`Laptop farm exit ${tag}`).waitFor();

    // The socket drops and stays down while B publishes; the console resumes from its last cursor.
    ws.blocked = true;
    await ws.current!.close({ code: 4499, reason: 'test: dropped' });
    await pageA.getByTestId('live-status').filter({ hasText: 'Reconnecting' }).waitFor();
    await publish(b, [indicator(`During the gap ${tag}`, '198.51.100.11')], { distribution: 'SECTOR' });
    ws.blocked = false;
    await feed.getByText(`During the gap ${tag}`).waitFor();
    await publish(b, [indicator(`After the gap ${tag}`, '198.51.100.12')], { distribution: 'SECTOR' });
    await feed.getByText(`After the gap ${tag}`).waitFor();
    for (const name of ['Laptop farm exit', 'During the gap', 'After the gap'])
      expect(await feed.getByText(`${name} ${tag}`).count()).toBe(1);
    await expectNoTraceOf(pageA, privateOf.b);

    // Filters: indicators only of a type the page shows; sightings only → none of these indicators.
    await pageA.getByLabel('Type', { exact: true }).selectOption('SIGHTING');
    await pageA.getByRole('button', { name: 'Apply filters' }).click();
    await pageA.getByTestId('live-status').filter({ hasText: 'Live:' }).waitFor();
    expect(await feed.getByText(`After the gap ${tag}`).count()).toBe(0);
    await pageA.getByRole('button', { name: 'Clear' }).click();
    await feed.getByText(`After the gap ${tag}`).waitFor();

    // Away from the feed, B publishes once more: back on it, that one is new since the last visit.
    await pageA.getByRole('link', { name: 'Explore' }).click();
    await publish(b, [indicator(`While you were away ${tag}`, '198.51.100.13')], { distribution: 'SECTOR' });
    await pageA.getByRole('link', { name: 'Live feed' }).click();
    await pageA.getByTestId('new-since').filter({ hasText: '1 new since your last visit' }).waitFor();
    expect(await pageA.locator('ol.feed li.new').innerText()).toContain(`While you were away ${tag}`);
    await shot(rig, pageA, '02-live-feed');
  });

  it('sector dashboard: figures from sectorStats over a chosen window, charts, PNG and CSV export', async () => {
    const [subject] = await publish(b, [indicator(`Persona VPN ${tag}`, '198.51.100.20')], { distribution: 'SECTOR' });
    const stages = ['APPLICATION', 'INTERVIEW', 'OFFER'];
    // All three in last week (its Wednesday, an hour apart): a week is shown only when k members
    // stand behind it, and so are the window's figures, which add up the weeks shown.
    const lastWednesday = Date.now() - (((new Date().getUTCDay() + 6) % 7) + 5) * 86400_000;
    for (const [i, t] of reporters.entries()) {
      const res = await gql(
        rig.api.baseUrl,
        'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }',
        {
          i: {
            sightingOf: subject,
            firstSeen: new Date(lastWednesday + i * 3600_000).toISOString(),
            interviewStage: stages[i],
            roleCategory: 'SOFTWARE',
          },
        },
        as(t),
      );
      expect(res.errors).toBeUndefined();
    }
    await pageA.getByRole('link', { name: 'Sector dashboard' }).click();
    await pageA.getByLabel('Time window').selectOption('1y');
    await pageA
      .getByTestId('total-sightings')
      .filter({ hasText: /Healthcare: \d+ sightings/ })
      .waitFor();
    expect(await pageA.locator('canvas').count()).toBeGreaterThanOrEqual(5);
    await pageA.getByRole('heading', { name: 'Top personas and identities' }).waitFor();

    const [csvFile] = await Promise.all([
      pageA.waitForEvent('download'),
      pageA.getByRole('button', { name: 'Download Sightings over time by sector as CSV' }).click(),
    ]);
    const csvText = readFileSync((await csvFile.path())!, 'utf8');
    expect(csvText.split('\n')[0]).toBe(',Healthcare');
    // Several sectors side by side: one series each, in the chart and its CSV.
    await pageA.getByLabel('Sectors').selectOption(['healthcare', 'financial-services']);
    await pageA.getByTestId('total-sightings').filter({ hasText: 'Financial services' }).waitFor();
    const [both] = await Promise.all([
      pageA.waitForEvent('download'),
      pageA.getByRole('button', { name: 'Download Sightings over time by sector as CSV' }).click(),
    ]);
    const bothRows = readFileSync((await both.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(bothRows[0]).toBe(',Financial services,Healthcare');
    expect(bothRows.length).toBe(csvText.trim().split('\n').length); // healthcare's weeks all kept beside the other sector's
    await pageA.getByLabel('Sectors').selectOption(['healthcare']);
    await pageA.getByTestId('total-sightings').filter({ hasText: 'Healthcare' }).waitFor();
    const [png] = await Promise.all([
      pageA.waitForEvent('download'),
      pageA.getByRole('button', { name: 'Download By interview stage as PNG' }).click(),
    ]);
    expect(
      readFileSync((await png.path())!)
        .subarray(0, 4)
        .toString('hex'),
    ).toBe('89504e47');
    await expectNoTraceOf(pageA, privateOf.b);
    await shot(rig, pageA, '03-dashboard');
  });

  it('publish: every problem of a dropped bundle at once, a preview showing the redaction, then publishing what was previewed', async () => {
    await pageA.getByRole('link', { name: 'Publish' }).click();
    await pageA.getByRole('button', { name: 'STIX bundle' }).click();
    // Dropped as a file onto the drop zone, as a person drags it from their desktop.
    const bad = bundle(
      sdo('indicator', { pattern: '[nonsense', pattern_type: 'stix', valid_from: 'yesterday' }),
      sdo('malware', { name: 'X', is_family: 'yes' }),
    );
    await pageA.getByTestId('drop-zone').evaluate((zone, text) => {
      // In the page (the test's TypeScript has no DOM types).
      const w = globalThis as unknown as {
        DataTransfer: new () => { items: { add(f: unknown): void } };
        File: new (parts: string[], name: string, o: object) => unknown;
        DragEvent: new (t: string, o: object) => unknown;
      };
      const dt = new w.DataTransfer();
      dt.items.add(new w.File([text], 'bad-bundle.json', { type: 'application/json' }));
      (zone as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(
        new w.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
    }, JSON.stringify(bad));
    await waitFor(async () => (await pageA.getByLabel('Bundle JSON').inputValue()).includes('nonsense'), {
      what: 'the dropped file in the bundle field',
    });
    await pageA.getByRole('button', { name: 'Preview' }).click();
    const issues = pageA.getByTestId('issues');
    await issues.waitFor();
    const issueText = await issues.innerText();
    for (const expected of ['Object 1', 'Object 2', '$.objects[0].valid_from', '$.objects[0].pattern', '$.objects[1].is_family'])
      expect(issueText).toContain(expected);
    expect(await pageA.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);

    const email = { type: 'email-addr', spec_version: '2.1', value: `jane.doe.${tag}@mail.example` };
    const good = bundle(
      { ...email, id: `email-addr--${randomUUID()}` },
      sdo('indicator', {
        name: `Applicant contact ${tag}`,
        description: 'Seen by the Umbrella Pharma SOC for Project Hive',
        pattern: `[email-addr:value = '${email.value}']`,
        pattern_type: 'stix',
        valid_from: T,
      }),
    );
    await pageA.getByLabel('Bundle JSON').fill(JSON.stringify(good, null, 2));
    await pageA.getByRole('button', { name: 'Preview' }).click();
    const preview = pageA.getByTestId('preview');
    await preview.getByText('No problems').waitFor();
    const seen =
      (await preview.locator('td.redacted').allInnerTexts()).join('\n') + (await preview.locator('pre.json').allTextContents()).join('\n');
    expect(seen).toContain('[redacted]');
    expect(seen).not.toMatch(/umbrella|project hive/i);
    expect(seen).not.toContain(email.value);
    await shot(rig, pageA, '04-publish-preview');
    await pageA.getByRole('button', { name: 'Publish', exact: true }).click();
    await pageA.getByTestId('published').getByText('2 created').waitFor();

    // Typed indicator form: personal data is flagged, previewed protected, then published.
    await pageA.getByRole('button', { name: 'Indicators' }).click();
    await pageA.getByLabel('Value type 1').selectOption('PHONE');
    await pageA.getByLabel('Value 1').fill('+49 30 901820');
    await pageA.getByRole('button', { name: 'Preview' }).click();
    await pageA.getByTestId('preview').getByText('No problems').waitFor();
    expect(await pageA.getByTestId('preview').innerText()).not.toContain('901820');
    await pageA.getByRole('button', { name: 'Publish', exact: true }).click();
    await pageA.getByTestId('published').waitFor();
    await shot(rig, pageA, '04-publish');
  });

  it('explore: finds what the viewer may see (never the other tenant’s own), an object page with JSON, versions, graph, sightings; revoke', async () => {
    const actor = sdo('threat-actor', { name: `Famous Chollima ${tag}`, threat_actor_types: ['nation-state'] });
    const ind = indicator(`Farm IP ${tag}`, '198.51.100.30');
    const rel = sdo('relationship', { relationship_type: 'indicates', source_ref: ind.id, target_ref: actor.id });
    await publish(b, [actor, ind, rel], { distribution: 'SECTOR' });
    for (const t of reporters)
      await gql(
        rig.api.baseUrl,
        'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }',
        { i: { sightingOf: ind.id, firstSeen: T } },
        as(t),
      );

    await pageA.getByRole('link', { name: 'Explore' }).click();
    await pageA.getByRole('heading', { name: 'Explore' }).waitFor();
    const search = async (words: string) => {
      await pageA.getByLabel('Words in name or description').fill(words);
      await pageA.getByRole('button', { name: 'Search' }).click();
    };
    await search(`"Farm IP ${tag}"`);
    await pageA
      .getByTestId('results')
      .getByRole('link', { name: `Farm IP ${tag}` })
      .waitFor();
    await search(`"${privateOf.b}"`);
    await pageA.getByRole('status').filter({ hasText: '0 versions' }).waitFor();

    await search(`"Farm IP ${tag}"`);
    await pageA
      .getByTestId('results')
      .getByRole('link', { name: `Farm IP ${tag}` })
      .click();
    await pageA.getByRole('heading', { name: 'Relationships' }).waitFor();
    await pageA
      .locator('svg.graph')
      .getByRole('link', { name: new RegExp(`Famous Chollima ${tag}`) })
      .waitFor();
    await pageA.getByRole('heading', { name: 'Sightings over time' }).waitFor();
    await pageA.locator('#object-sightings-title').waitFor();
    expect(await pageA.getByLabel(`STIX JSON of ${ind.id}`).innerText()).toContain('"pattern"');
    expect(await pageA.getByRole('button', { name: 'Revoke…' }).count()).toBe(0); // not the publisher
    await shot(rig, pageA, '05-object');

    // Its own indicator: the publisher revokes it, and a second version appears.
    await pageA.getByRole('link', { name: 'Back to Explore' }).click();
    await search(`"Applicant contact ${tag}"`);
    await pageA
      .getByTestId('results')
      .getByRole('link', { name: `Applicant contact ${tag}` })
      .click();
    await pageA.getByRole('button', { name: 'Revoke…' }).click();
    await pageA.getByRole('button', { name: 'Yes, revoke it' }).click();
    await pageA.getByTestId('revoked-state').filter({ hasText: 'Revoked' }).waitFor();
    await waitFor(async () => (await pageA.locator('ol.versions li').count()) === 2, { what: 'two versions listed' });

    // The other tenant, at the address of A's organisation-only object: nothing of it.
    const [privateId] = (
      await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(
        rig.api.baseUrl,
        'query($s: String!) { objects(filter: { search: $s }) { edges { node { id } } } }',
        { s: `"${privateOf.a}"` },
        as(a),
      )
    ).data!.objects.edges.map((e) => e.node.id);
    await pageB.goto(`/#/object/${encodeURIComponent(privateId)}`);
    await pageB.getByRole('alert').waitFor();
    await expectNoTraceOf(pageB, privateOf.a);
    await shot(rig, pageA, '05-explore');
  });

  it('admin: people and roles, an API key shown once with its TAXII URLs, a sharing group accepted by the other tenant, the audit log', async () => {
    await pageA.getByRole('link', { name: 'Admin' }).click();
    await pageA.getByRole('heading', { name: 'Users and roles' }).waitFor();
    const form = pageA.getByRole('form', { name: 'Add a person' });
    await form.getByLabel('E-mail address').fill(`carl.${tag}@umbrella-pharma.example`);
    await form.getByLabel('Name').fill('Carl Analyst');
    await form.getByLabel('Initial password').fill('a long enough password');
    await form.getByRole('button', { name: 'Add person' }).click();
    await pageA.getByRole('cell', { name: /Carl Analyst/ }).waitFor();
    await expectNoTraceOf(pageA, emailB);

    const keyForm = pageA.getByRole('form', { name: 'Create an API key' });
    await keyForm.getByLabel('Key name').fill('Sentinel');
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    const secret = await pageA.getByTestId('secret').innerText();
    expect(secret).toMatch(/^cairn_/);
    const apiRoot = await pageA.getByTestId('api-root').innerText();
    expect(apiRoot).toBe(`${rig.api.baseUrl}/taxii2/api/`);
    await pageA.getByRole('table', { name: 'Collections this key reads' }).waitFor();
    const taxii = await fetch(`${apiRoot}collections/`, {
      headers: {
        authorization: `Basic ${Buffer.from(`sentinel:${secret}`).toString('base64')}`,
        accept: 'application/taxii+json;version=2.1',
      },
    });
    expect(taxii.status).toBe(200);
    await shot(rig, pageA, '06-admin-key');
    await pageA.getByRole('button', { name: 'I have stored it' }).click();
    await pageA.reload();
    await pageA.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(await pageA.locator('body').innerText()).not.toContain(secret);

    const groups = pageA.getByRole('form', { name: 'Create a sharing group' });
    await groups.getByLabel('Group name').fill(`DPRK watch ${tag}`);
    await groups.getByLabel('Short name').fill(`dprk-${tag}`);
    await groups.getByLabel('Invite members').selectOption({ label: 'Blue Clinic (France)' });
    await groups.getByRole('button', { name: 'Create group' }).click();
    await pageA.getByText(/invited: Blue Clinic/).waitFor();

    await pageB.goto('/#/admin');
    await pageB.getByTestId('invitations').getByText(`DPRK watch ${tag}`, { exact: true }).waitFor();
    await pageB.getByRole('button', { name: `Accept DPRK watch ${tag}` }).click();
    await pageB.getByRole('button', { name: `Leave DPRK watch ${tag}` }).waitFor();
    await expectNoTraceOf(pageB, 'Carl Analyst');

    await pageA.reload();
    const audit = pageA.getByTestId('audit');
    await audit.getByText('apikey.created').first().waitFor();
    await audit.getByText('group.created').first().waitFor();
    await shot(rig, pageA, '06-admin');
  });

  it('screening: pasted applicants and a résumé hashed in the browser, matches and signals per applicant, one-click sighting', async () => {
    const value = `alex.kim.${tag}@mail.example`;
    const res = await gql(
      rig.api.baseUrl,
      'mutation($i: [IndicatorInput!]!) { publishIndicators(indicators: $i, sharing: { distribution: SECTOR }) { created } }',
      { i: [{ type: 'EMAIL', value, threatActor: `Famous Chollima ${tag}` }] },
      as(b),
    );
    expect(res.errors).toBeUndefined();
    await pageA.getByRole('link', { name: 'Screening' }).click();
    await pageA
      .getByRole('textbox', { name: 'Applicants' })
      .fill(`name,email,other\nAlex Kim,${value},+1 415 555 0100\nSam Lee,sam.lee.${tag}@mail.example,203.0.113.2`);
    const cv = Buffer.from(`résumé of Alex Kim ${tag}`);
    await pageA.getByLabel('Choose files').setInputFiles({ name: 'alex-kim.pdf', mimeType: 'application/pdf', buffer: cv });
    await pageA.getByText(createHash('sha256').update(cv).digest('hex')).waitFor();
    await pageA.getByRole('button', { name: 'Screen' }).click();
    const results = pageA.getByTestId('screening-results');
    await results.getByRole('heading', { name: 'Alex Kim: seen by members' }).waitFor();
    await results.getByRole('heading', { name: 'Sam Lee: no match' }).waitFor(); // B's organisation-only IP is not a match for A
    await results.getByText(`linked to Famous Chollima ${tag}`).waitFor();
    const report = results.getByRole('form', { name: `Report a sighting of Famous Chollima ${tag}` });
    await report.getByLabel('Interview stage').selectOption('OFFER');
    await report.getByLabel('Role category').selectOption('PAYROLL_ACCOUNTING');
    await report.getByRole('button', { name: 'Report sighting' }).click();
    await report.getByText(/Reported as .* never your name/).waitFor();

    // Watch the applicant nobody has seen yet; when another member publishes their e-mail, the hit arrives live.
    await results.getByRole('button', { name: 'Add Sam Lee to the watchlist' }).click();
    await results.getByText(/Watching \d+ identifiers? of Sam Lee/).waitFor();
    await pageA
      .getByTestId('watchlist')
      .getByText(/Sam Lee · /)
      .first()
      .waitFor();
    const later = await gql(
      rig.api.baseUrl,
      'mutation($i: [IndicatorInput!]!) { publishIndicators(indicators: $i, sharing: { distribution: SECTOR }) { created } }',
      { i: [{ type: 'EMAIL', value: `sam.lee.${tag}@mail.example` }] },
      as(b),
    );
    expect(later.errors).toBeUndefined();
    await pageA
      .getByTestId('watch-hits')
      .getByText(/Sam Lee: email published by/)
      .first()
      .waitFor();
    // Each hit once: as many in the page as the server records (the observable and the indicator each carry the value).
    const recorded = async () =>
      (
        await gql<{ watchlistHits: { hits: unknown[] } }>(
          rig.api.baseUrl,
          'query { watchlistHits(first: 500) { hits { cursor } } }',
          {},
          as(a),
        )
      ).data!.watchlistHits.hits.length;
    await waitFor(async () => (await pageA.getByTestId('watch-hits').locator('li').count()) === (await recorded()), {
      what: 'the page to list exactly the recorded hits',
    });
    await expectNoTraceOf(pageA, 'Blue Clinic');
    await shot(rig, pageA, '07-screening');
  });

  it('reads at tablet width, and no page broke the Content-Security-Policy or threw', async () => {
    const { context, page } = await openPage(rig, { width: 820, height: 1180 });
    await signIn(page, emailA);
    await page.getByRole('link', { name: 'Sector dashboard' }).click();
    await page.getByTestId('total-sightings').waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(rig, page, '08-dashboard-tablet');
    await context.close();
    expect(rig.cspViolations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
