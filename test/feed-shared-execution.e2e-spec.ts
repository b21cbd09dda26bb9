import { randomUUID } from 'node:crypto';
import { FeedCursors, IntelService } from '@cairn/intel';
import { startTestApp, type TestApp } from './support/test-app';
import { collect, wsClient } from './support/ws';
import { untilSubscriptions } from './support/wait';
import { machineViewer, newApiKey, newTenant } from './factories/tenancy.factory';

const SUB = `subscription { indicatorPublished { id cursor } }`;

/**
 * A row delivered to several subscribers of one tenant with the same operation is prepared once:
 * its cursor sealed once and one event object handed on, so the WebSocket door executes the
 * operation once for all of them. Another tenant's subscriber gets the row with its own cursor.
 */
describe('one feed row, many subscribers', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.close();
  });

  it('seals a row’s cursor once per tenant, not once per subscriber, and each tenant gets its own', async () => {
    const a = await newTenant(api.app);
    const b = await newTenant(api.app);
    const [keyA, keyB] = [await newApiKey(api.app, a, ['intel:read']), await newApiKey(api.app, b, ['intel:read'])];
    const clients = [wsClient(api.baseUrl, keyA), wsClient(api.baseUrl, keyA), wsClient(api.baseUrl, keyA), wsClient(api.baseUrl, keyB)];
    const got = clients.map((c) => collect<{ indicatorPublished: { id: string; cursor: string } }>(c, SUB));
    const cursors = api.app.get(FeedCursors);
    const encode = cursors.encode.bind(cursors);
    const sealed: string[] = [];
    const spy = jest.spyOn(cursors, 'encode').mockImplementation((viewer, seq) => {
      sealed.push(`${viewer.tenantId}|${seq}`);
      return encode(viewer, seq);
    });
    try {
      await untilSubscriptions(api.app, 4);
      const id = `indicator--${randomUUID()}`;
      const doc = {
        type: 'indicator',
        spec_version: '2.1',
        id,
        created: '2025-01-01T00:00:00.000Z',
        modified: '2025-01-01T00:00:00.000Z',
        pattern: "[ipv4-addr:value = '203.0.113.60']",
        pattern_type: 'stix',
        valid_from: '2025-01-01T00:00:00Z',
      };
      await api.app.get(IntelService).storeObjects(machineViewer(a), [doc], { distribution: 'COMMUNITY', tlp: 'CLEAR' });
      const events = (await Promise.all(got.map((g) => g.waitFor(1)))).map(([e]) => e.indicatorPublished);
      expect(events.map((e) => e.id)).toEqual([id, id, id, id]);
      // a's three subscribers share one sealed cursor; b's is sealed for b.
      expect(new Set(events.slice(0, 3).map((e) => e.cursor)).size).toBe(1);
      expect(events[3].cursor).not.toBe(events[0].cursor);
      const forRow = sealed.filter((k) => k.startsWith(`${a.id}|`) || k.startsWith(`${b.id}|`));
      expect(forRow.filter((k) => k.startsWith(`${a.id}|`))).toHaveLength(1);
      expect(forRow.filter((k) => k.startsWith(`${b.id}|`))).toHaveLength(1);
    } finally {
      spy.mockRestore();
      got.forEach((g) => g.stop());
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});
