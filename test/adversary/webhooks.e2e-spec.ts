import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { WatchMatcher, WatchlistService, WebhookService, privateAddress } from '@cairn/watchlist';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { newApiKey, newTenant, signedInUser } from '../factories/tenancy.factory';
import { newIndicator, publishIndexed as publish } from '../factories/lookup.factory';

/**
 * A hostile member's webhook: can its URL reach the exchange's own network (SSRF) in production
 * through another spelling of a private address or a redirect, and does a suspended tenant keep
 * being sent its hits?
 */
const WATCH = `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }`;
const CREATE = `mutation($u: String!) { createWebhook(url: $u) { id } }`;
const freshEmail = () => `applicant-${randomUUID().slice(0, 8)}@example.org`;
const emailIndicator = (email: string) => newIndicator(`[email-addr:value = '${email}']`);

interface Receiver {
  server: Server;
  url: string;
  requests: IncomingMessage[];
}

async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Receiver> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests };
}
const close = (r?: Receiver) => (r ? new Promise((done) => r.server.close(done)) : undefined);

interface Setup {
  api: TestApp;
  watcher: TenantEntity;
  publisher: TenantEntity;
  key: string;
  admin: Record<string, string>;
}

async function setup(env: Record<string, string>): Promise<Setup> {
  const api = await startTestApp({ env: { WS_CREDENTIAL_RECHECK_MS: '0', ...env } });
  const watcher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
  const publisher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
  await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
  const key = await newApiKey(api.app, watcher, ['intel:read', 'intel:write', 'sightings:write']);
  const admin = await signedInUser(api.app, api.baseUrl, watcher, 'admin');
  return { api, watcher, publisher, key, admin };
}

/** The watcher watches a fresh value and the publisher publishes it: one hit, matched. */
async function oneHit(s: Setup): Promise<void> {
  const email = freshEmail();
  const res = await gql<{ watchIdentifiers: Array<{ error: string | null }> }>(
    s.api.baseUrl,
    WATCH,
    { e: [{ value: email, reference: 'applicant 1' }] },
    { authorization: s.key },
  );
  expect(res.data?.watchIdentifiers[0].error).toBeNull();
  await publish(s.api, s.publisher, [emailIndicator(email)], { distribution: 'COMMUNITY' });
  await s.api.app.get(WatchMatcher).drain();
}

/** Registers one webhook per URL, makes one hit and returns each webhook's first attempt. */
async function firstAttempts(s: Setup, urls: string[]) {
  const ids: string[] = [];
  for (const u of urls) {
    const res = await gql<{ createWebhook: { id: string } }>(s.api.baseUrl, CREATE, { u }, s.admin);
    expect(res.errors).toBeUndefined();
    ids.push(res.data!.createWebhook.id);
  }
  await oneHit(s);
  await s.api.app.get(WebhookService).kick();
  const log = await waitFor(
    async () => {
      const d = (await deliveries(s)).filter((x) => ids.includes(x.webhookId) && attempted(x));
      return d.length === urls.length && d;
    },
    { what: 'one attempt per webhook' },
  );
  return { ids, log };
}

/** An attempt was made and its outcome logged (kick() claims and starts sends; it does not wait for their answers). */
const attempted = (d: { attempts: number; lastStatus: number | null; lastError: string | null }) =>
  d.attempts > 0 && (d.lastStatus !== null || d.lastError !== null);
const deliveries = (s: Setup) => s.api.app.get(WebhookService).deliveries({ tenantId: s.watcher.id } as never, undefined, 100);

describe('adversary: webhooks', () => {
  describe('in production: no way to the exchange’s own network', () => {
    let s: Setup;
    let loop: Receiver;
    beforeAll(async () => {
      const secret = () => randomBytes(32).toString('hex');
      s = await setup({
        NODE_ENV: 'production',
        JWT_SECRET: secret(),
        IDENTIFIER_HMAC_SECRET: secret(),
        CURSOR_SECRET: secret(),
        WEBHOOK_RETRY_BASE_MS: '600000',
      });
      loop = await receiver((_req, res) => res.writeHead(204).end());
    }, 60_000);
    afterAll(async () => {
      await s?.api.close();
      await close(loop);
    });

    it('loopback spelt another way (IPv4-mapped IPv6, ::1, hex and integer IPv4, localhost) is refused at send, before any connection', async () => {
      const port = new URL(loop.url).port;
      const urls = [
        `https://[::ffff:127.0.0.1]:${port}/`,
        `https://[::ffff:7f00:1]:${port}/`,
        `https://[::1]:${port}/`,
        `https://0x7f.1:${port}/`,
        `https://2130706433:${port}/`,
        `https://localhost:${port}/`,
        `https://127.1:${port}/`,
      ];
      const { log } = await firstAttempts(s, urls);
      for (const d of log) expect(d.lastError).toBe('could not deliver: the receiver is not at a public address');
      expect(loop.requests).toHaveLength(0);
    });

    it('the delivery log does not map the exchange’s network: a name that does not resolve reads as one on a private network', async () => {
      const port = new URL(loop.url).port;
      const urls = [`https://localhost:${port}/exists`, `https://no-such-host-${randomBytes(4).toString('hex')}.invalid/`];
      const { ids, log } = await firstAttempts(s, urls);
      expect(new Set(log.map((d) => d.lastError))).toEqual(new Set(['could not deliver: the receiver is not at a public address']));
      for (const id of ids) await gql(s.api.baseUrl, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id }, s.admin);
    });

    it('DNS rebinding: a name that answered a public address when checked and a loopback one when dialled reaches nothing', async () => {
      // The check's resolver is made to answer a public address once; the connection resolves for
      // real (localhost). Either way nothing leaves the machine: the only real answer is loopback.
      const dns = jest.requireActual<typeof import('node:dns/promises')>('node:dns/promises');
      const spy = jest.spyOn(dns, 'lookup').mockImplementation((async () => [{ address: '93.184.216.34', family: 4 }]) as never);
      let connections = 0;
      loop.server.on('connection', () => connections++);
      try {
        const u = `https://localhost:${new URL(loop.url).port}/rebound`;
        const res = await gql<{ createWebhook: { id: string } }>(s.api.baseUrl, CREATE, { u }, s.admin);
        const id = res.data!.createWebhook.id;
        await oneHit(s);
        await s.api.app.get(WebhookService).kick();
        const d = await waitFor(async () => (await deliveries(s)).find((x) => x.webhookId === id && attempted(x)), {
          what: 'the attempt',
        });
        expect(connections).toBe(0);
        expect(d.lastError).toBe('could not deliver: the receiver is not at a public address');
        await gql(s.api.baseUrl, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id }, s.admin);
      } finally {
        spy.mockRestore();
      }
    });

    it('addresses that lead into private IPv4 through IPv6 translation, or into reserved ranges, count as private', () => {
      // Checked without sending anything: these must never be dialled from a test.
      const v6 = [
        '64:ff9b::a00:1',
        '64:ff9b::7f00:1',
        '64:ff9b:1::a00:1',
        '2002:a00:1::1',
        '2002:7f00:1::',
        '::7f00:1',
        '::a00:1',
        'fec0::1',
        'ff02::1',
        '::ffff:a9fe:a9fe',
        '100::1',
      ];
      const v4 = ['198.18.0.1', '192.0.0.1', '224.0.0.1', '240.0.0.1', '255.255.255.255', '192.0.2.1', '198.51.100.1', '203.0.113.1'];
      expect(v6.filter((a) => !privateAddress(a, 6))).toEqual([]);
      expect(v4.filter((a) => !privateAddress(a, 4))).toEqual([]);
      // Public addresses stay deliverable.
      expect(['93.184.216.34', '8.8.8.8'].filter((a) => privateAddress(a, 4))).toEqual([]);
      expect(['2606:4700:4700::1111', '2001:4860:4860::8888'].filter((a) => privateAddress(a, 6))).toEqual([]);
    });
  });

  describe('in test mode (loopback allowed)', () => {
    let s: Setup;
    let bounce: Receiver;
    let target: Receiver;
    let held: { hold: boolean; release?: () => void };
    let slow: Receiver;
    beforeAll(async () => {
      s = await setup({ WEBHOOK_RETRY_BASE_MS: '20' });
      target = await receiver((_req, res) => res.writeHead(204).end());
      bounce = await receiver((_req, res) => res.writeHead(307, { location: target.url }).end());
      // Holds its first request until the test fails it; answers every later one at once.
      held = { hold: true };
      slow = await receiver((_req, res) => {
        if (!held.hold) return void res.writeHead(204).end();
        held.hold = false;
        held.release = () => res.writeHead(500).end();
      });
    }, 60_000);
    afterAll(async () => {
      held?.release?.();
      await s?.api.close();
      await Promise.all([close(bounce), close(target), close(slow)]);
    });

    it('a redirect is not followed: the answer is logged and the redirect target is never called', async () => {
      const res = await gql<{ createWebhook: { id: string } }>(s.api.baseUrl, CREATE, { u: bounce.url }, s.admin);
      const id = res.data!.createWebhook.id;
      await oneHit(s);
      await s.api.app.get(WebhookService).kick();
      const d = await waitFor(async () => (await deliveries(s)).find((x) => x.webhookId === id && x.lastStatus === 307), {
        what: 'the redirect answer to be logged',
      });
      expect(d.lastError).toBe('receiver answered 307');
      expect(bounce.requests.length).toBeGreaterThan(0);
      expect(target.requests).toHaveLength(0);
      await gql(s.api.baseUrl, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id }, s.admin);
    });

    it('a suspended tenant is sent nothing more: neither new hits nor the retry of one that failed before', async () => {
      const res = await gql<{ createWebhook: { id: string } }>(s.api.baseUrl, CREATE, { u: slow.url }, s.admin);
      const id = res.data!.createWebhook.id;
      await oneHit(s);
      // kick() starts the attempt and does not wait for its answer, which the receiver holds until the test fails it.
      await s.api.app.get(WebhookService).kick();
      await waitFor(() => slow.requests.length === 1 && held.release, { what: 'the first attempt to reach the receiver' });

      // Suspended while the first attempt is in flight; the receiver then fails it, so it is due again.
      const tenancy = s.api.app.get(TenancyService);
      await tenancy.setStatus(s.watcher.id, 'suspended', undefined as never);
      const release = held.release!;
      held.release = undefined;
      release();

      const settled = await waitFor(async () => (await deliveries(s)).find((x) => x.webhookId === id && x.status !== 'PENDING'), {
        what: 'the delivery to settle',
      });
      expect(slow.requests.length).toBe(1);
      expect(settled).toMatchObject({ status: 'FAILED', lastError: 'the tenant is suspended' });

      // A hit published while suspended is not recorded at all (so nothing can be queued for it).
      const before = (await deliveries(s)).length;
      await oneHitAsSuspended(s);
      await s.api.app.get(WebhookService).kick();
      expect((await deliveries(s)).length).toBe(before);
      expect(slow.requests.length).toBe(1);
      await tenancy.setStatus(s.watcher.id, 'active', undefined as never);
    });
  });
});

/** Like oneHit, with the entry added directly (the suspended tenant's credentials no longer work). */
async function oneHitAsSuspended(s: Setup): Promise<void> {
  const email = freshEmail();
  await s.api.app
    .get(WatchlistService)
    .watch({ tenantId: s.watcher.id, kind: 'apiKey', operator: false, scopes: new Set() } as never, [
      { value: email, reference: 'applicant 2' },
    ]);
  await publish(s.api, s.publisher, [emailIndicator(email)], { distribution: 'COMMUNITY' });
  await s.api.app.get(WatchMatcher).drain();
}
