import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { IntelService } from '@cairn/intel';
import { startTestApp, type TestApp } from '../support/test-app';
import { untilSubscriptions, waitFor } from '../support/wait';
import { FeedHub, SightingsService } from '@cairn/sightings';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';

describe('a subscriber that stops reading', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { WS_SUBSCRIBER_BUFFER: '200', K_ANONYMITY: '1' } }); // One or two members only, and this test is not about small crowds: k = 1 lets them report.
  });
  afterAll(async () => {
    await api.close();
  });

  it('is dropped with close code 4499 and a reason once it falls WS_SUBSCRIBER_BUFFER events behind; the server stays healthy', async () => {
    const tenant = await newTenant(api.app, { sectors: ['technology'] });
    const key = await newApiKey(api.app, tenant);
    const subject = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      pattern: "[ipv4-addr:value = '203.0.113.50']",
      pattern_type: 'stix',
      valid_from: '2025-01-01T00:00:00Z',
    };
    await api.app.get(IntelService).storeObjects(machineViewer(tenant), [subject], { distribution: 'COMMUNITY', tlp: 'GREEN' });

    // A raw graphql-transport-ws client, so the test can stop reading from its TCP socket.
    const socket = new WebSocket(api.baseUrl.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise((r) => socket.on('open', r));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: key } }));
    await new Promise<void>((resolve) => socket.on('message', (m) => JSON.parse(m.toString()).type === 'connection_ack' && resolve()));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { sightingReported { id object } }' } }));
    await untilSubscriptions(api.app, 1);
    (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    const sightings = api.app.get(SightingsService);
    const report = Array.from({ length: 1000 }, (_, i) => ({
      sightingOf: subject.id,
      firstSeen: '2025-06-01T00:00:00.000Z',
      count: i + 1,
    }));
    for (let round = 0; round < 3; round++) await sightings.report(machineViewer(tenant), report);
    // The server drops the subscriber once it falls behind (its subscription is gone), whatever the socket does.
    const hub = api.app.get(FeedHub);
    await waitFor(() => hub.subscriberCount === 0, { what: 'the server to drop the subscriber that stopped reading' });
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();

    const { code, reason } = await closed;
    expect(code).toBe(4499);
    expect(reason).toContain('too slow');
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  }, 60_000);
});
