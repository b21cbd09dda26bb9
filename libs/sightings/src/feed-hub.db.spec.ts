import { ApiKeyService, parseAuthorization } from '@cairn/auth';
import { CAIRN_CONFIG, type CairnConfig, type Viewer } from '@cairn/common';
import { IntelService, type SharingRequest } from '@cairn/intel';
import { SharingGroupsService, type TenantEntity } from '@cairn/tenancy';
import { newIndicator } from '../../../test/factories/lookup.factory';
import { machineViewer, newGroup, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { waitFor } from '../../../test/support/wait';
import { FeedHub } from './feed-hub.service';
import { FeedService } from './feed.service';
import type { FeedRow } from './sighting-facts';

/** What a subscription has received so far, pulled as fast as it comes. */
interface Received {
  rows: FeedRow[];
  ended: boolean;
  error?: Error;
  stop(): Promise<unknown>;
}
function receive(it: AsyncIterableIterator<FeedRow>): Received {
  const got: Received = { rows: [], ended: false, stop: () => it.return!() };
  void (async () => {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        got.rows.push(r.value);
      }
    } catch (err) {
      got.error = err as Error;
    }
    got.ended = true;
  })();
  return got;
}

/**
 * FeedHub without a WebSocket: the real NOTIFY listener and delivery passes on the real database.
 * Nothing here waits for time: a row that must not arrive is proved absent by a later row that
 * must arrive on the same ordered subscription.
 */
describe('FeedHub live delivery on the real database (libs/sightings)', () => {
  let ctx: ServiceContext;
  let hub: FeedHub;
  let intel: IntelService;
  let a: TenantEntity;
  let b: TenantEntity;
  let c: TenantEntity;
  let groupId: string;
  const label = new Map<string, string>();
  const INDICATORS = { types: ['indicator'] };

  async function publish(name: string, sharing: SharingRequest, by: TenantEntity = a): Promise<string> {
    // One address for all: what differs between the rows is who may see them.
    const doc = newIndicator("[ipv4-addr:value = '198.51.100.9']", { name });
    const id = doc.id as string;
    label.set(id, name);
    await intel.storeObjects(machineViewer(by), [doc], sharing);
    return id;
  }
  /** A subscriber's viewer from a real API key: every delivery pass rechecks the credential (machineViewer's made-up key would be dropped). */
  async function keyViewer(t: TenantEntity): Promise<{ viewer: Viewer; keyId: string }> {
    const keys = ctx.app.get(ApiKeyService);
    const { apiKey, secret } = await keys.create({ tenantId: t.id, name: 'feed key', scopes: ['intel:read'] });
    return { viewer: (await keys.verify(parseAuthorization(`Bearer ${secret}`) as never)) as Viewer, keyId: apiKey.id };
  }
  const sub = async (t: TenantEntity, afterSeq?: string) => receive(await hub.subscribe((await keyViewer(t)).viewer, INDICATORS, afterSeq));
  const names = (got: Received) => got.rows.map((r) => label.get(r.id) ?? r.id);
  const until = (got: Received, name: string) =>
    waitFor(() => names(got).includes(name), { what: () => `"${name}" to be delivered (got ${JSON.stringify(names(got))})` });

  beforeAll(async () => {
    // Credentials are rechecked on every pass, so a revoked key is noticed by the next delivery.
    ctx = await startServiceContext({ env: { WS_CREDENTIAL_RECHECK_MS: '0' } });
    hub = ctx.app.get(FeedHub);
    intel = ctx.app.get(IntelService);
    a = await newTenant(ctx.app, { country: 'US', sectors: ['technology'] });
    b = await newTenant(ctx.app, { country: 'DE', sectors: ['financial-services'] });
    c = await newTenant(ctx.app, { country: 'FR', sectors: ['healthcare'] });
    groupId = await newGroup(ctx.app, a, [b]);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('delivers to each subscriber exactly what it may see, in commit order', async () => {
    const toB = await sub(b);
    const toC = await sub(c);
    await publish('community 1', { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    await publish('organisation', { distribution: 'ORGANISATION', tlp: 'AMBER' });
    await publish('group', { distribution: 'SHARING_GROUP', tlp: 'AMBER', groupId });
    await publish('recipients C', { distribution: 'RECIPIENTS', tlp: 'RED', recipientTenantIds: [c.id] });
    await publish('sector financial', { distribution: 'SECTOR', tlp: 'GREEN', sectors: ['financial-services'] });
    await publish('community DE only', { distribution: 'COMMUNITY', tlp: 'GREEN', countries: ['DE'] });
    await publish('community 2', { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    await until(toB, 'community 2');
    await until(toC, 'community 2');
    expect(names(toB)).toEqual(['community 1', 'group', 'sector financial', 'community DE only', 'community 2']);
    expect(names(toC)).toEqual(['community 1', 'recipients C', 'community 2']);
    const seqs = toB.rows.map((r) => BigInt(r.feedSeq));
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
    await toB.stop();
    await toC.stop();
    await waitFor(() => hub.subscriberCount === 0, { what: 'both subscriptions to be gone' });
  });

  it('resumes from a cursor with every row it missed, exactly once, then goes on live', async () => {
    const first = await sub(b);
    await publish('r1', { distribution: 'COMMUNITY' });
    await publish('r2', { distribution: 'COMMUNITY' });
    await until(first, 'r2');
    const cursor = first.rows.find((r) => label.get(r.id) === 'r1')!.feedSeq;
    await first.stop();
    // Missed while away (r2 was received, but after the cursor): r2, r3, r4, and nothing it may not see.
    await publish('r3', { distribution: 'COMMUNITY' });
    await publish('hidden', { distribution: 'ORGANISATION' });
    await publish('r4', { distribution: 'SHARING_GROUP', groupId });
    const resumed = await sub(b, cursor);
    await until(resumed, 'r4');
    await publish('r5', { distribution: 'COMMUNITY' });
    await until(resumed, 'r5');
    expect(names(resumed)).toEqual(['r2', 'r3', 'r4', 'r5']);
    await resumed.stop();
  });

  it('replays a backlog larger than its buffer at the pace of a reader that reads nothing until the replay has stopped', async () => {
    const from = await ctx.app.get(FeedService).headSeq();
    const buffer = ctx.app.get<CairnConfig>(CAIRN_CONFIG).limits.subscriberBufferEvents;
    const docs = Array.from({ length: 2 * buffer + 600 }, (_, i) =>
      newIndicator("[ipv4-addr:value = '198.51.100.9']", { name: `backlog ${i}` }),
    );
    await intel.storeObjects(machineViewer(a), docs, { distribution: 'COMMUNITY' });
    const it = await hub.subscribe((await keyViewer(b)).viewer, INDICATORS, from);
    // Nothing read: the replay fills the queue and waits (before, the next batch dropped it as too slow).
    await hub.settled();
    const ids: string[] = [];
    while (ids.length < docs.length) {
      const r = await it.next();
      if (r.done) break;
      ids.push(r.value.id);
    }
    expect(ids).toEqual(docs.map((d) => d.id));
    // Then it goes on live.
    await publish('after the backlog', { distribution: 'COMMUNITY' });
    expect(label.get((await it.next()).value.id)).toBe('after the backlog');
    await it.return!();
  });

  it('does not drop as too slow a replay that caught up with a full queue its reader has not read yet', async () => {
    const from = await ctx.app.get(FeedService).headSeq();
    const buffer = ctx.app.get<CairnConfig>(CAIRN_CONFIG).limits.subscriberBufferEvents;
    const docs = Array.from({ length: buffer }, (_, i) => newIndicator("[ipv4-addr:value = '198.51.100.9']", { name: `full ${i}` }));
    await intel.storeObjects(machineViewer(a), docs, { distribution: 'COMMUNITY' });
    const it = await hub.subscribe((await keyViewer(b)).viewer, INDICATORS, from);
    // The whole backlog fits its queue: the replay ends with the queue full and nothing read.
    await hub.settled();
    // One row more, before the reader reads (a live subscriber of the same tenant witnesses its pass):
    // the replay is no further behind than a replay may be.
    const witness = await sub(b);
    const last = await publish('one more', { distribution: 'COMMUNITY' });
    await until(witness, 'one more');
    await witness.stop();
    const got = receive(it);
    await waitFor(() => got.rows.length === docs.length + 1 || got.ended, {
      what: () => `the replay and the row after (got ${got.rows.length})`,
    });
    expect(got.error).toBeUndefined();
    expect(got.rows.map((r) => r.id)).toEqual([...docs.map((d) => d.id), last]);
    await got.stop();
  }, 120_000);

  it('resumes a held replay whose resuming pass failed, without waiting for anyone to publish', async () => {
    const from = await ctx.app.get(FeedService).headSeq();
    const buffer = ctx.app.get<CairnConfig>(CAIRN_CONFIG).limits.subscriberBufferEvents;
    const docs = Array.from({ length: 2 * buffer }, (_, i) => newIndicator("[ipv4-addr:value = '198.51.100.9']", { name: `retry ${i}` }));
    await intel.storeObjects(machineViewer(a), docs, { distribution: 'COMMUNITY' });
    const it = await hub.subscribe((await keyViewer(b)).viewer, INDICATORS, from);
    await hub.settled();
    // The pass its reader wakes by reading half its queue fails (the database went away for a moment).
    const feed = ctx.app.get(FeedService);
    const fail = jest.spyOn(feed, 'sinceEach').mockRejectedValueOnce(new Error('connection lost'));
    try {
      const got = receive(it);
      await waitFor(() => fail.mock.calls.length > 0, { what: 'the resuming pass to run' });
      await hub.settled();
      // Nothing is published from here on: the rest must come all the same.
      await waitFor(() => got.rows.length === docs.length, {
        what: () => `the whole replay (got ${got.rows.length} of ${docs.length})`,
        timeoutMs: 60_000,
      });
      expect(got.rows.map((r) => r.id)).toEqual(docs.map((d) => d.id));
      await got.stop();
    } finally {
      fail.mockRestore();
    }
  }, 120_000);

  it('stops delivering group rows to a subscriber whose tenant left the group, at once', async () => {
    const toB = await sub(b);
    await publish('group before', { distribution: 'SHARING_GROUP', groupId });
    await until(toB, 'group before');
    await ctx.app.get(SharingGroupsService).leave(groupId, machineViewer(b));
    await publish('group after', { distribution: 'SHARING_GROUP', groupId });
    await publish('community after', { distribution: 'COMMUNITY' });
    await until(toB, 'community after');
    expect(names(toB)).toEqual(['group before', 'community after']);
    await toB.stop();
  });

  it('drops a subscriber whose API key is revoked: its next delivery pass ends it, and the connection is closed as forbidden', async () => {
    const { viewer, keyId } = await keyViewer(c);
    const drops: Array<[number, string]> = [];
    const toC = receive(await hub.subscribe(viewer, INDICATORS, undefined, (code, reason) => drops.push([code, reason])));
    const other = await sub(c);
    await publish('while valid', { distribution: 'COMMUNITY' });
    await until(toC, 'while valid');
    await ctx.app.get(ApiKeyService).revokeByIdOrPrefix(keyId);
    await publish('after revocation', { distribution: 'COMMUNITY' });
    // The same tenant's other subscriber, on a valid credential, gets the row; the revoked one ends without it.
    await until(other, 'after revocation');
    await waitFor(() => toC.ended, { what: 'the revoked subscription to end' });
    expect({ rows: names(toC), drops, error: toC.error?.message }).toEqual({
      rows: ['while valid'],
      drops: [[4403, 'Credentials no longer valid']],
      error: undefined,
    });
    expect(hub.subscriberCount).toBe(1);
    await other.stop();
  });
});
