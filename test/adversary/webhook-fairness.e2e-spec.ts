import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WatchMatcher } from '@cairn/watchlist';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { newApiKey, newTenant, signedInUser } from '../factories/tenancy.factory';
import { newIndicator, publishIndexed } from '../factories/lookup.factory';

/*
 * The webhook sender claimed up to 50 due deliveries and sent the next ones only once all 50 had
 * answered or timed out (10 s). So one member's deliveries waited for another's receivers: a
 * watcher whose receivers hold their answers (ten webhooks, five entries on one value: 50
 * deliveries of one publication) held up every other member's webhooks; and, reversed, a watcher
 * holding 50 of its own in flight saw one of them pushed to the next round exactly when someone
 * else's delivery was due in the same moment — with a colluding publisher, whether anyone else
 * watches the value it just published. A member's deliveries now wait only for its own.
 */
interface Held {
  req: IncomingMessage;
  res: ServerResponse;
  closed: boolean;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

describe('adversary: one member’s webhook receivers do not hold up another’s deliveries', () => {
  let api: TestApp;
  let attacker: TenantEntity;
  let honest: TenantEntity;
  let publisher: TenantEntity;
  const held: Held[] = [];
  const honestReceived: string[] = [];
  const servers: Server[] = [];
  let holdUrl: string;
  let okUrl: string;

  beforeAll(async () => {
    api = await startTestApp({ env: { MAX_CHECK_IDENTIFIERS: '150', LOOKUP_QUOTA_PER_MINUTE: '300' } });
    attacker = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    honest = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    publisher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    const hold = await listen((req, res) => {
      const h: Held = { req, res, closed: false };
      req.resume();
      res.on('close', () => (h.closed = true));
      held.push(h);
    });
    const ok = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        honestReceived.push(String(req.headers['x-cairn-delivery']));
        res.writeHead(204).end();
      });
    });
    servers.push(hold.server, ok.server);
    holdUrl = hold.url;
    okUrl = ok.url;
  }, 60_000);
  afterAll(async () => {
    for (const h of held) h.res.destroy();
    await api?.close();
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  const watchAs = async (t: TenantEntity, value: string, references: string[]) => {
    const res = await gql(
      api.baseUrl,
      `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }`,
      { e: references.map((reference) => ({ value, reference })) },
      { authorization: await newApiKey(api.app, t, ['intel:read']) },
    );
    expect(res.errors).toBeUndefined();
  };
  const webhook = async (admin: Record<string, string>, url: string) => {
    const res = await gql(api.baseUrl, `mutation($u: String!) { createWebhook(url: $u) { id } }`, { u: url }, admin);
    expect(res.errors).toBeUndefined();
  };
  const ip = () => `198.51.100.${1 + (randomBytes(1)[0] % 250)}`;

  it('while 50 of the attacker’s deliveries wait on its receivers, an honest member’s hit is delivered', async () => {
    const attackerAdmin = await signedInUser(api.app, api.baseUrl, attacker, 'admin');
    for (let i = 0; i < 10; i++) await webhook(attackerAdmin, `${holdUrl}/${i}`);
    const bait = ip();
    await watchAs(
      attacker,
      bait,
      Array.from({ length: 5 }, (_, i) => `applicant ${i}`),
    );
    await publishIndexed(api, publisher, [newIndicator(`[ipv4-addr:value = '${bait}']`)], { distribution: 'COMMUNITY' });
    await api.app.get(WatchMatcher).drain();
    // The sender's share for the attacker is full: on the old sender all 50 were in flight, now at most twice PER_TENANT.
    await waitFor(() => held.length >= 10, { what: () => `the attacker’s deliveries to be in flight (${held.length})` });

    await webhook(await signedInUser(api.app, api.baseUrl, honest, 'admin'), okUrl);
    let value = ip();
    while (value === bait) value = ip();
    await watchAs(honest, value, ['candidate 1']);
    await publishIndexed(api, publisher, [newIndicator(`[ipv4-addr:value = '${value}']`)], { distribution: 'COMMUNITY' });
    await api.app.get(WatchMatcher).drain();
    await waitFor(() => honestReceived.length === 1, { what: 'the honest member’s delivery' });
    // It came while every one of the attacker's requests was still waiting for its answer (not after they timed out).
    expect(held.filter((h) => h.closed).length).toBe(0);
  }, 60_000);
});
