import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApiKeyService } from '@cairn/auth';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { WatchHub, WatchMatcher, signWebhook } from '@cairn/watchlist';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { collect, wsClient } from './support/ws';
import { waitFor } from './support/wait';
import { newApiKey, newTenant, signedInUser } from './factories/tenancy.factory';
import { newIndicator, publishIndexed as publish } from './factories/lookup.factory';

const WATCH = `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { value reference entryId kind expiresAt error } }`;
const HITS = `query($after: String) { watchlistHits(first: 50, after: $after) { hits { cursor entryId reference kind event cell { sector area } hitAt } hasNextPage endCursor } }`;
const LIVE = `subscription($after: String) { watchlistHits(after: $after) { cursor reference kind event cell { sector area } } }`;

interface Hit {
  cursor: string;
  entryId: string | null;
  reference: string;
  kind: string;
  event: 'PUBLISHED' | 'SIGHTED';
  cell: { sector: string; area: string } | null;
}

/** A fresh applicant address per use: tests never see each other's data. */
const freshEmail = () => `applicant-${randomUUID().slice(0, 8)}@example.org`;
const emailIndicator = (email: string) => newIndicator(`[email-addr:value = '${email}']`);

describe('watchlists: told when someone later publishes or sights a watched identifier, never who', () => {
  let api: TestApp;
  let a: TenantEntity; // the watcher: healthcare, DE
  let b: TenantEntity; // a publisher: healthcare, DE
  let c: TenantEntity; // another member: financial services, US
  const key = new Map<TenantEntity, string>();
  /** Webhooks are a tenant admin's: they hold a secret and send the tenant's hits out. */
  const admin = new Map<TenantEntity, Record<string, string>>();
  const asAdmin = async <T>(t: TenantEntity, query: string, variables: Record<string, unknown> = {}) =>
    gql<T>(api.baseUrl, query, variables, admin.get(t)!);
  const okAdmin = async <T>(t: TenantEntity, query: string, variables: Record<string, unknown> = {}) => {
    const res = await asAdmin<T>(t, query, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const receiver: {
    server?: Server;
    url?: string;
    requests: Array<{ headers: IncomingMessage['headers']; body: string }>;
    failNext: number;
  } = {
    requests: [],
    failNext: 0,
  };

  const as = async <T>(t: TenantEntity, query: string, variables: Record<string, unknown> = {}) => {
    const res = await gql<T>(api.baseUrl, query, variables, { authorization: key.get(t)! });
    return res;
  };
  const ok = async <T>(t: TenantEntity, query: string, variables: Record<string, unknown> = {}) => {
    const res = await as<T>(t, query, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const watch = async (t: TenantEntity, entries: Array<{ value: string; reference: string; expiresAt?: string }>) =>
    (await ok<{ watchIdentifiers: Array<{ entryId: string | null; kind: string | null; error: string | null }> }>(t, WATCH, { e: entries }))
      .watchIdentifiers;
  const hits = async (t: TenantEntity) => (await ok<{ watchlistHits: { hits: Hit[] } }>(t, HITS)).watchlistHits.hits;
  /** Everything stored so far is matched: the pass the server runs on its own notification, awaited. */
  const matched = () => api.app.get(WatchMatcher).drain();

  beforeAll(async () => {
    api = await startTestApp({
      env: { WS_CREDENTIAL_RECHECK_MS: '0', WEBHOOK_RETRY_BASE_MS: '20', MAX_CHECK_IDENTIFIERS: '150', LOOKUP_QUOTA_PER_MINUTE: '300' },
    });
    a = await newTenant(api.app, { name: 'Alpha Klinik', country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { name: 'Beta Praxis', country: 'DE', sectors: ['healthcare'] });
    await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    c = await newTenant(api.app, { name: 'Gamma Bank', country: 'US', sectors: ['financial-services'] });
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    key.set(a, await newApiKey(api.app, a, ['intel:read', 'intel:write', 'sightings:write']));
    key.set(b, await newApiKey(api.app, b, ['intel:read', 'intel:write', 'sightings:write']));
    admin.set(a, await signedInUser(api.app, api.baseUrl, a, 'admin'));
    admin.set(b, await signedInUser(api.app, api.baseUrl, b, 'admin'));
    key.set(c, await newApiKey(api.app, c, ['intel:read', 'intel:write', 'sightings:write']));

    receiver.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        receiver.requests.push({ headers: req.headers, body });
        if (receiver.failNext > 0) {
          receiver.failNext--;
          res.writeHead(500).end('not now');
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.server!.listen(0, '127.0.0.1', r));
    receiver.url = `http://127.0.0.1:${(receiver.server!.address() as AddressInfo).port}/cairn`;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    if (receiver.server) await new Promise((r) => receiver.server!.close(r));
  });

  it('a hit arrives once, live and in the list, naming the reference, the kind, the crowd cell and the event — not the publisher', async () => {
    const email = freshEmail();
    const [entry] = await watch(a, [{ value: email.toUpperCase(), reference: 'applicant 4411' }]);
    expect(entry).toMatchObject({ kind: 'EMAIL', error: null });

    const client = wsClient(api.baseUrl, key.get(a));
    const live = collect<{ watchlistHits: Hit }>(client, LIVE);
    await waitFor(() => api.app.get(WatchHub).subscriberCount === 1, { what: 'the live subscription to be registered' });

    await publish(api, b, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    const [event] = await live.waitFor(1);
    expect(event.watchlistHits).toMatchObject({ reference: 'applicant 4411', kind: 'EMAIL', event: 'PUBLISHED' });
    expect(event.watchlistHits.cell).toEqual(expect.objectContaining({ sector: expect.any(String), area: expect.any(String) }));

    const listed = await hits(a);
    expect(listed.filter((h) => h.entryId === entry.entryId)).toHaveLength(1);
    const text = JSON.stringify(listed);
    for (const secret of [b.id, b.name, b.slug, email]) expect(text).not.toContain(secret);

    // Matching the same versions again (another pass, another instance) tells nothing new.
    await matched();
    expect((await hits(a)).filter((h) => h.entryId === entry.entryId)).toHaveLength(1);
    expect(live.events).toHaveLength(1);
    live.stop();
    await client.dispose();
  });

  it('nothing for a watcher who may not see the object; the same value shared with it does hit', async () => {
    const email = freshEmail();
    const [entry] = await watch(a, [{ value: email, reference: 'applicant 5120' }]);
    await publish(api, b, [emailIndicator(email)], { distribution: 'RECIPIENTS', recipientTenantIds: [c.id] });
    await publish(api, c, [emailIndicator(email)], { distribution: 'SECTOR', sectors: ['financial-services'] });
    await matched();
    expect((await hits(a)).filter((h) => h.entryId === entry.entryId)).toEqual([]);

    await publish(api, c, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    expect((await hits(a)).filter((h) => h.entryId === entry.entryId)).toHaveLength(1);
  });

  it("a watcher's own publications are not news to it", async () => {
    const email = freshEmail();
    const [entry] = await watch(a, [{ value: email, reference: 'applicant 77' }]);
    await publish(api, a, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    expect((await hits(a)).filter((h) => h.entryId === entry.entryId)).toEqual([]);
  });

  it('a sighting by another member of an object carrying the identifier is a SIGHTED hit', async () => {
    const email = freshEmail();
    const indicator = emailIndicator(email);
    await publish(api, b, [indicator], { distribution: 'COMMUNITY' });
    await matched();
    const [entry] = await watch(a, [{ value: email, reference: 'applicant 901' }]);
    const report = async (sharing: string) => {
      const res = await as(c, `mutation($i: [ReportSightingInput!]!) { reportSightings(inputs: $i, sharing: ${sharing}) { id } }`, {
        i: [{ sightingOf: indicator.id, firstSeen: '2025-06-02T09:00:00Z', interviewStage: 'INTERVIEW', roleCategory: 'SOFTWARE' }],
      });
      expect(res.errors).toBeUndefined();
      await matched();
    };
    // A sighting the watcher may not see tells it nothing, though it may see what was sighted.
    await report('{ distribution: SECTOR, sectors: ["financial-services"] }');
    expect((await hits(a)).filter((h) => h.entryId === entry.entryId)).toEqual([]);
    await report('{ distribution: COMMUNITY }');
    const got = (await hits(a)).filter((h) => h.entryId === entry.entryId);
    expect(got).toEqual([expect.objectContaining({ event: 'SIGHTED', reference: 'applicant 901' })]);
    expect(JSON.stringify(got)).not.toContain(c.name);
  });

  it('an expired entry matches nothing', async () => {
    const email = freshEmail();
    const [entry] = await watch(a, [{ value: email, reference: 'applicant 31' }]);
    await api.app
      .get(TenancyService)
      .asViewer(a.id, (m) => m.query(`UPDATE watch_entry SET expires_at = now() - interval '1 second' WHERE id = $1`, [entry.entryId]));
    await publish(api, b, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    expect((await hits(a)).filter((h) => h.entryId === entry.entryId)).toEqual([]);
    expect(
      (await ok<{ watchlist: Array<{ id: string }> }>(a, `{ watchlist(first: 500) { id } }`)).watchlist.map((e) => e.id),
    ).not.toContain(entry.entryId);
  });

  it('an open subscription whose key is revoked gets no further hit, and its socket is closed (4403)', async () => {
    const revocable = await newApiKey(api.app, a, ['intel:read']);
    const email = freshEmail();
    await watch(a, [{ value: email, reference: 'applicant 44' }]);
    const client = wsClient(api.baseUrl, revocable);
    const live = collect<{ watchlistHits: Hit }>(client, LIVE);
    await waitFor(() => api.app.get(WatchHub).subscriberCount === 1, { what: 'the live subscription to be registered' });
    await api.app.get(ApiKeyService).revokeByIdOrPrefix(revocable.replace(/^Bearer /, '').split('.')[0]);
    await publish(api, b, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    await waitFor(() => client.closeCodes.length > 0, { what: 'the server to close the revoked subscriber’s socket' });
    expect(client.closeCodes).toEqual([4403]);
    expect(live.events).toEqual([]);
    live.stop();
    await client.dispose();
  });

  it('registering is not a lookup: a known and an unknown value answer alike, and what was stored before is no hit', async () => {
    const known = freshEmail();
    const unknown = freshEmail();
    await publish(api, b, [emailIndicator(known)], { distribution: 'COMMUNITY' });
    await matched();
    const [k, u] = await watch(a, [
      { value: known, reference: 'applicant k' },
      { value: unknown, reference: 'applicant u' },
    ]);
    const strip = (r: Record<string, unknown>) => ({ ...r, value: undefined, reference: undefined, entryId: typeof r.entryId });
    expect(strip(k)).toEqual(strip(u));
    await matched();
    expect((await hits(a)).filter((h) => h.entryId === k.entryId || h.entryId === u.entryId)).toEqual([]);
  });

  it('the matcher learns nothing: no table of watches or hits is readable to it, and its answer is the same', async () => {
    const watched = freshEmail();
    const unwatched = freshEmail();
    await watch(a, [{ value: watched, reference: 'applicant 3' }]);
    const shape = (r: { data?: unknown; errors?: unknown }) => JSON.stringify(r).replace(/"[a-z-]+--[0-9a-f-]{36}"/g, '"ID"');
    const publishOne = (email: string) =>
      as(b, `mutation($b: JSON!) { publishBundle(bundle: $b, sharing: { distribution: COMMUNITY }) { created objects { id } } }`, {
        b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [emailIndicator(email)] },
      });
    const [w, u] = [await publishOne(watched), await publishOne(unwatched)];
    expect(w.errors).toBeUndefined();
    expect(shape(w)).toBe(shape(u));
    await matched();
    const seen = await api.app.get(TenancyService).asViewer(b.id, async (m) => {
      const out: Record<string, number> = {};
      for (const table of ['watch_entry', 'watch_key', 'watch_hit', 'webhook', 'webhook_delivery']) {
        out[table] = Number((await m.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
      }
      return out;
    });
    expect(seen).toEqual({ watch_entry: 0, watch_key: 0, watch_hit: 0, webhook: 0, webhook_delivery: 0 });
    await expect(api.app.get(TenancyService).asViewer(b.id, (m) => m.query(`SELECT * FROM watch_outbox`))).rejects.toThrow(
      /permission denied/,
    );
  });

  it('entries hold no value: only keyed hashes, the kind and the reference', async () => {
    const email = freshEmail();
    await watch(a, [{ value: email, reference: 'applicant 12' }]);
    const rows = await api.app
      .get(TenancyService)
      .asViewer(a.id, (m) =>
        m.query(`SELECT e.*, k.hash FROM watch_entry e JOIN watch_key k ON k.entry_id = e.id WHERE e.reference = 'applicant 12'`),
      );
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(email);
    expect(JSON.stringify(rows)).not.toContain(email.split('@')[0]);
  });

  it('bad values are reported per value and the rest are watched; a bad reference or expiry changes nothing', async () => {
    const good = freshEmail();
    const res = await watch(a, [
      { value: good, reference: 'applicant 1' },
      { value: 'not an identifier at all', reference: 'applicant 2' },
    ]);
    expect(res[0]).toMatchObject({ kind: 'EMAIL', error: null });
    expect(res[1]).toMatchObject({ entryId: null, error: expect.stringContaining('not a recognised identifier') });

    const before = (await ok<{ watchlist: unknown[] }>(a, `{ watchlist(first: 500) { id } }`)).watchlist.length;
    const bad = await as(a, WATCH, {
      e: [
        { value: freshEmail(), reference: 'fine' },
        { value: good, reference: `applicant ${good}` },
        { value: freshEmail(), reference: 'past', expiresAt: '2020-01-01T00:00:00Z' },
      ],
    });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const problems = (bad.errors?.[0].extensions as { problems: Array<{ argument: string }> }).problems.map((p) => p.argument);
    expect(problems).toEqual(['entries[1].reference', 'entries[2].expiresAt']);
    expect((await ok<{ watchlist: unknown[] }>(a, `{ watchlist(first: 500) { id } }`)).watchlist.length).toBe(before);
  });

  it('watching is charged to the lookup quota: over it, RATE_LIMITED and nothing is watched', async () => {
    // A tenant of its own: the quota it runs out of is not the one the other tests watch with.
    const q = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    key.set(q, await newApiKey(api.app, q, ['intel:read', 'intel:write']));
    const batch = (n: number) => Array.from({ length: 150 }, (_, i) => ({ value: `10.77.${n}.${i + 1}`, reference: `batch ${n} r${i}` }));
    const newest = async () =>
      (await ok<{ watchlist: Array<{ reference: string }> }>(q, `{ watchlist(first: 1) { reference } }`)).watchlist;
    let refused: Awaited<ReturnType<typeof as>> | undefined;
    let before: Array<{ reference: string }> = [];
    // 300 values a minute: the third batch of 150 in one minute is over. A minute that ends between
    // two batches starts the count again, so a refusal comes within eight batches whenever they run.
    for (let n = 0; n < 8 && !refused; n++) {
      before = await newest();
      const res = await as(q, WATCH, { e: batch(n) });
      if (res.errors) refused = res;
    }
    expect(refused?.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    // Nothing of the refused batch was watched: the newest entry is still the last accepted batch's.
    expect(before).toHaveLength(1);
    expect(await newest()).toEqual(before);
  });

  it('a hit cursor opens only for its tenant, and a subscription resumed after one gets each later hit exactly once', async () => {
    const email = freshEmail();
    const [entry] = await watch(a, [{ value: email, reference: 'applicant 600' }]);
    await publish(api, b, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    const first = (await hits(a)).find((h) => h.entryId === entry.entryId)!;
    const foreign = await as(b, HITS, { after: first.cursor });
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });

    await publish(api, c, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    const client = wsClient(api.baseUrl, key.get(a));
    const live = collect<{ watchlistHits: Hit }>(client, LIVE, { after: first.cursor });
    const [resumed] = await live.waitFor(1);
    expect(resumed.watchlistHits).toMatchObject({ reference: 'applicant 600' });
    expect(resumed.watchlistHits.cursor).not.toBe(first.cursor);
    await matched();
    expect(live.events).toHaveLength(1);
    live.stop();
    await client.dispose();
  });

  it("a subscription from the first page's head cursor gets a hit recorded between the read and the subscribe, once — even with no hits yet", async () => {
    const d = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    key.set(d, await newApiKey(api.app, d, ['intel:read', 'intel:write']));
    const page = async (after?: string) =>
      (await ok<{ watchlistHits: { hits: Hit[]; headCursor: string | null } }>(d, HEAD, { after })).watchlistHits;
    const HEAD = `query($after: String) { watchlistHits(first: 1, after: $after) { hits { cursor } headCursor } }`;

    const empty = await page();
    expect(empty.hits).toHaveLength(0);
    expect(empty.headCursor).toEqual(expect.any(String));
    const foreign = await as(a, HITS, { after: empty.headCursor });
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });

    // The hit is recorded after the page was read and before anyone subscribes: the race a console has.
    const email = freshEmail();
    await watch(d, [{ value: email, reference: 'applicant 77' }]);
    await publish(api, b, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    const client = wsClient(api.baseUrl, key.get(d));
    const live = collect<{ watchlistHits: Hit }>(client, LIVE, { after: empty.headCursor });
    const [caught] = await live.waitFor(1);
    expect(caught.watchlistHits).toMatchObject({ reference: 'applicant 77', event: 'PUBLISHED' });

    // With hits, the head is the newest one; later pages have none.
    const second = freshEmail();
    await watch(d, [{ value: second, reference: 'applicant 78' }]);
    await publish(api, b, [emailIndicator(second)], { distribution: 'COMMUNITY' });
    await live.waitFor(2);
    const full = await page();
    expect(full.headCursor).toBe(full.hits[0].cursor);
    expect(live.events.at(-1)!.watchlistHits.cursor).toBe(full.hits[0].cursor);
    expect((await page(full.hits[0].cursor)).headCursor).toBeNull();
    await matched();
    expect(live.events.map((e) => e.watchlistHits.reference)).toEqual(['applicant 77', 'applicant 78']);
    live.stop();
    await client.dispose();
  });

  it('webhooks: signed, retried after a receiver failure, logged, and replayed by id', async () => {
    const created = await okAdmin<{ createWebhook: { id: string; secret: string } }>(
      a,
      `mutation($u: String!) { createWebhook(url: $u) { id secret } }`,
      { u: receiver.url },
    );
    const { id: webhookId, secret } = created.createWebhook;
    // An analyst's key may watch, not send the tenant's hits to a URL.
    expect(
      (await as(a, `mutation($u: String!) { createWebhook(url: $u) { id } }`, { u: receiver.url })).errors?.[0].extensions,
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect((await okAdmin<{ webhooks: Array<Record<string, unknown>> }>(a, `{ webhooks { id url } }`)).webhooks).toEqual([
      { id: webhookId, url: receiver.url },
    ]);
    expect(JSON.stringify(await okAdmin(b, `{ webhooks { id url } }`))).not.toContain(webhookId);

    receiver.requests.length = 0;
    receiver.failNext = 1;
    const email = freshEmail();
    await watch(a, [{ value: email, reference: 'applicant 808' }]);
    await publish(api, b, [emailIndicator(email)], { distribution: 'COMMUNITY' });
    await matched();
    await waitFor(() => receiver.requests.length >= 2, { what: 'the failed delivery to be retried' });

    const delivered = receiver.requests[1];
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(delivered.headers['x-cairn-signature']))!;
    expect(v1).toBe(signWebhook(secret, Number(t), delivered.body));
    expect(signWebhook('whsec_wrong', Number(t), delivered.body)).not.toBe(v1);
    expect(delivered.headers['x-cairn-event']).toBe('watchlist.hit');
    const payload = JSON.parse(delivered.body);
    expect(payload.hit).toMatchObject({ reference: 'applicant 808', event: 'PUBLISHED', kind: 'EMAIL' });
    expect(delivered.body).not.toContain(b.name);
    expect(receiver.requests[0].headers['x-cairn-delivery']).toBe(delivered.headers['x-cairn-delivery']);

    const LOG = `{ webhookDeliveries { id status attempts lastStatus lastError } }`;
    const log = await waitFor(
      async () =>
        (await okAdmin<{ webhookDeliveries: Array<{ id: string; status: string; attempts: number }> }>(a, LOG)).webhookDeliveries.find(
          (d) => d.id === delivered.headers['x-cairn-delivery'] && d.status !== 'PENDING',
        ),
      { what: 'the delivery to be logged as delivered' },
    );
    expect(log).toMatchObject({ status: 'DELIVERED', attempts: 2 });

    const replay = await okAdmin<{ replayWebhookDelivery: { id: string } }>(
      a,
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }`,
      { id: log.id },
    );
    await waitFor(() => receiver.requests.some((r) => r.headers['x-cairn-delivery'] === replay.replayWebhookDelivery.id), {
      what: 'the replayed delivery',
    });
    const foreign = await asAdmin(b, `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }`, { id: log.id });
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(await okAdmin(a, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: webhookId })).toEqual({ deleteWebhook: true });
  });
});

describe('watchlists: a tenant holds at most WATCH_MAX_ENTRIES unexpired entries', () => {
  let api: TestApp;
  afterAll(async () => api?.close());

  it('over the cap: WATCHLIST_FULL, nothing stored and nothing charged; another tenant is not counted; expired entries free room', async () => {
    // Quota of 10 values a minute: four refused calls of 2 would use it up if refusals were charged.
    api = await startTestApp({ env: { WATCH_MAX_ENTRIES: '3', MAX_CHECK_IDENTIFIERS: '10', LOOKUP_QUOTA_PER_MINUTE: '10' } });
    const x = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    const y = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    const keys = new Map([
      [x, await newApiKey(api.app, x, ['intel:read', 'intel:write'])],
      [y, await newApiKey(api.app, y, ['intel:read', 'intel:write'])],
    ]);
    const watch = (t: TenantEntity, n: number) =>
      gql<{ watchIdentifiers: Array<{ entryId: string | null }> }>(
        api.baseUrl,
        WATCH,
        { e: Array.from({ length: n }, (_, i) => ({ value: freshEmail(), reference: `r${i}` })) },
        { authorization: keys.get(t)! },
      );
    const held = async (t: TenantEntity) =>
      (
        await gql<{ watchlist: Array<{ id: string }> }>(
          api.baseUrl,
          `{ watchlist(first: 500) { id } }`,
          {},
          { authorization: keys.get(t)! },
        )
      ).data!.watchlist;

    expect((await watch(x, 2)).errors).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      const refused = await watch(x, 2);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WATCHLIST_FULL', field: 'entries' });
      expect(refused.errors?.[0].message).toMatch(/at most 3 unexpired entries \(2 now, 2 more asked\)/);
    }
    expect(await held(x)).toHaveLength(2);
    expect((await watch(y, 3)).errors).toBeUndefined();

    const [oldest] = await held(x);
    await api.app
      .get(TenancyService)
      .asViewer(x.id, (m) => m.query(`UPDATE watch_entry SET expires_at = now() - interval '1 second' WHERE id = $1`, [oldest.id]));
    expect((await watch(x, 2)).errors).toBeUndefined();
    expect(await held(x)).toHaveLength(3);
  });
});
