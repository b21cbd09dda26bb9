import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { IntelService } from '@cairn/intel';
import { FeedHub, SightingsService, WS_TOO_SLOW } from '@cairn/sightings';
import { startTestApp, type TestApp } from '../support/test-app';
import { untilSubscriptions, waitFor } from '../support/wait';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';

const SUB = 'subscription($after: String) { sightingReported(after: $after) { id cursor } }';

/** A raw graphql-transport-ws subscriber whose TCP socket the test can stop reading from. */
async function subscriber(baseUrl: string, key: string, after?: string) {
  const socket = new WebSocket(baseUrl.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
  const got: Array<{ id: string; cursor: string }> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((r) => socket.on('open', r));
  socket.on('message', (m) => {
    const msg = JSON.parse(m.toString()) as { type: string; payload?: { data?: { sightingReported: { id: string; cursor: string } } } };
    if (msg.type === 'next' && msg.payload?.data) got.push(msg.payload.data.sightingReported);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: key } }));
  await new Promise<void>((resolve) => socket.on('message', (m) => JSON.parse(m.toString()).type === 'connection_ack' && resolve()));
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUB, variables: after ? { after } : {} } }));
  const tcp = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { got, closed, pause: () => tcp.pause(), resume: () => tcp.resume(), close: () => socket.close(1000) };
}

describe('a slow subscriber among fast ones', () => {
  let api: TestApp;

  beforeAll(async () => {
    // A buffer above the hub's read batch (500), as by default: a burst of one read fits a reader's queue.
    api = await startTestApp({ env: { WS_SUBSCRIBER_BUFFER: '600', K_ANONYMITY: '1' } }); // k = 1: one member may report; this is not about small crowds.
  });
  afterAll(async () => {
    await api.close();
  });

  it('is dropped without holding up the fast one, and resumes from its last cursor with no gap and no duplicate', async () => {
    const tenant = await newTenant(api.app, { sectors: ['technology'] });
    const key = await newApiKey(api.app, tenant);
    const subject = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      pattern: "[ipv4-addr:value = '203.0.113.51']",
      pattern_type: 'stix',
      valid_from: '2025-01-01T00:00:00Z',
    };
    await api.app.get(IntelService).storeObjects(machineViewer(tenant), [subject], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const sightings = api.app.get(SightingsService);
    const reported: string[] = [];
    const report = async (n: number) => {
      const batch = Array.from({ length: n }, (_, i) => ({ sightingOf: subject.id, firstSeen: '2025-06-01T00:00:00.000Z', count: i + 1 }));
      reported.push(...(await sightings.report(machineViewer(tenant), batch)).map((s) => s.id));
    };

    const fast = await subscriber(api.baseUrl, key);
    const slow = await subscriber(api.baseUrl, key);
    await untilSubscriptions(api.app, 2);
    await report(1);
    await waitFor(() => fast.got.length === 1 && slow.got.length === 1, { what: 'both subscribers to receive the first sighting' });
    slow.pause();

    // Until the network's buffers are full and the slow one falls the buffer behind, the server cannot
    // tell it from a reader: report until it is dropped, the fast one keeping up all along.
    const hub = api.app.get(FeedHub);
    await waitFor(
      async () => {
        await report(500);
        await waitFor(() => fast.got.length === reported.length, {
          what: () => `the fast subscriber to receive all ${reported.length} (has ${fast.got.length})`,
        });
        return hub.subscriberCount === 1;
      },
      { what: 'the server to drop the slow subscriber', timeoutMs: 60_000 },
    );
    expect(fast.got.map((e) => e.id)).toEqual(reported);
    slow.resume();
    // Its close frame queues behind everything it did not read: it reads 4499 if the connection lasts
    // until it resumes reading, or the connection is cut (1006) when it answered no keep-alive ping meanwhile.
    const { code } = await slow.closed;
    expect([WS_TOO_SLOW, 1006]).toContain(code);

    // What it had received before the close is a prefix of the feed; resuming from its last cursor gives exactly the rest.
    const before = slow.got.map((e) => e.id);
    expect(before).toEqual(reported.slice(0, before.length));
    expect(before.length).toBeLessThan(reported.length);
    const resumed = await subscriber(api.baseUrl, key, slow.got[slow.got.length - 1].cursor);
    await waitFor(() => before.length + resumed.got.length >= reported.length, {
      what: () => `the resumed subscriber to catch up (has ${before.length} + ${resumed.got.length} of ${reported.length})`,
      timeoutMs: 60_000,
    });
    await report(1);
    await waitFor(() => fast.got.length === reported.length && before.length + resumed.got.length === reported.length, {
      what: 'both to receive a live sighting after the catch-up',
    });
    expect([...before, ...resumed.got.map((e) => e.id)]).toEqual(reported);
    fast.close();
    resumed.close();
  }, 120_000);
});
