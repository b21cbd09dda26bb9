import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { audienceReaches, type AccessScope, type Audience, type Distribution } from '@cairn/access';
import {
  AUTHENTICATOR,
  CAIRN_CONFIG,
  LiveCredentials,
  Metrics,
  unauthenticated,
  type Authenticator,
  type CairnConfig,
  type Viewer,
} from '@cairn/common';
import { TenancyService } from '@cairn/tenancy';
import { SightingError, SightingErrorCode } from './sightings.errors';
import { FeedService } from './feed.service';
import type { FeedFilter, FeedRow } from './sighting-facts';

/** WebSocket close code for a subscriber dropped for reading too slowly; it may resubscribe with its cursor. */
export const WS_TOO_SLOW = 4499;
const FETCH_BATCH = 500;

/**
 * A tenant is woken only for rows its last-read access scope may see. Scopes change (a tenant joins
 * a group, an operator edits its sectors), so one older than this is not trusted to skip a wake,
 * and a tenant skipped meanwhile gets a catch-up pass once it is this old: a change of scope delays
 * live delivery by at most about twice this, and loses nothing (delivery is by cursor).
 */
export const SCOPE_TRUST_MS = 5000;

interface Subscriber {
  viewer: Viewer;
  /** Closes the subscriber's connection with a reason (WebSocket close code). */
  drop?: (code: number, reason: string) => void;
  filter: FeedFilter;
  cursor: bigint;
  queue: FeedRow[];
  /** Caught up with the feed: what it receives now is live, and its lag is measured (a replay's is not). */
  live: boolean;
  /**
   * Catching up with a full queue: left out of delivery passes, its cursor where its queue ends,
   * until it has read half the queue. A replay goes at the reader's pace, so only a live subscriber
   * can fall too far behind.
   */
  held: boolean;
  waiting?: (r: IteratorResult<FeedRow>) => void;
  failed?: Error;
  closed: boolean;
}

/**
 * Live delivery for subscriptions, on every API instance alike. A commit into stix_object
 * NOTIFYs `cairn_feed`; each instance then runs one delivery pass for every tenant woken: in one
 * transaction and one round trip, it reads for each of them (per filter) what is new since its
 * slowest subscriber's cursor — each read as that tenant, through the same visibility predicate and
 * RLS as every other read — and hands each subscriber the rows after its own cursor that match its
 * filter. Cursors only move forward, over commit-ordered sequence numbers, so nothing is skipped or
 * repeated. At most one pass runs at a time; tenants woken meanwhile go in the next.
 */
@Injectable()
export class FeedHub implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('FeedHub');
  private readonly byTenant = new Map<string, Set<Subscriber>>();
  /** Tenants woken since the running pass took its list: the next pass delivers to them. */
  private readonly woken = new Set<string>();
  private pass?: Promise<void>;
  /** Re-checked at most every WS_CREDENTIAL_RECHECK_MS per credential, so a busy feed does not query per event. */
  private readonly credentials: LiveCredentials;
  /** Each tenant's access scope as its last delivery pass read it. */
  private readonly scopes = new Map<string, { at: number; scope: AccessScope }>();
  /** Tenants not woken for some rows on the strength of their cached scope, since their last pass. */
  private readonly skipped = new Set<string>();
  private listener?: Client;
  private stopping = false;
  private reconnectTimer?: NodeJS.Timeout;
  private catchUpTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly feed: FeedService,
    private readonly tenancy: TenancyService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    @Inject(AUTHENTICATOR) auth: Authenticator,
    private readonly metrics: Metrics,
  ) {
    this.credentials = new LiveCredentials(auth, config.credentialRecheckMs);
  }

  async onModuleInit(): Promise<void> {
    if (this.dataSource.isInitialized) await this.listen();
    this.catchUpTimer = setInterval(() => this.catchUp(), SCOPE_TRUST_MS);
    this.catchUpTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.catchUpTimer);
    for (const subs of this.byTenant.values()) for (const s of subs) this.finish(s, new Error('Server shutting down'));
    await this.listener?.end().catch(() => undefined);
  }

  /** Subscribes from `afterSeq` (replaying what was missed, exactly once) or from now. */
  async subscribe(
    viewer: Viewer,
    filter: FeedFilter,
    afterSeq?: string,
    drop?: Subscriber['drop'],
  ): Promise<AsyncIterableIterator<FeedRow>> {
    // Read before the count, which is checked and taken with no await between: subscriptions asked
    // for together (a socket's operations run concurrently) must not all pass it before any is added.
    const cursor = BigInt(afterSeq ?? (await this.feed.headSeq()));
    if ((this.byTenant.get(viewer.tenantId)?.size ?? 0) >= this.config.limits.subscriptionsPerTenant) {
      throw new SightingError(
        SightingErrorCode.TOO_MANY_SUBSCRIPTIONS,
        `At most ${this.config.limits.subscriptionsPerTenant} live subscriptions per tenant`,
        undefined,
        { retryAfterSeconds: 60 },
      );
    }
    const sub: Subscriber = {
      viewer,
      drop,
      filter,
      cursor,
      queue: [],
      live: afterSeq === undefined,
      held: false,
      closed: false,
    };
    let subs = this.byTenant.get(viewer.tenantId);
    if (!subs) this.byTenant.set(viewer.tenantId, (subs = new Set()));
    subs.add(sub);
    if (afterSeq !== undefined) this.wake(viewer.tenantId);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the iterator object below has its own `this`
    const hub = this;
    const iterator: AsyncIterableIterator<FeedRow> = {
      [Symbol.asyncIterator]: () => iterator,
      next(): Promise<IteratorResult<FeedRow>> {
        if (sub.queue.length) {
          const value = sub.queue.shift()!;
          if (sub.held && sub.queue.length <= hub.config.limits.subscriberBufferEvents / 2) {
            sub.held = false;
            hub.wake(sub.viewer.tenantId);
          }
          return Promise.resolve({ value, done: false });
        }
        if (sub.failed) return Promise.reject(sub.failed);
        if (sub.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (sub.waiting = resolve));
      },
      return(): Promise<IteratorResult<FeedRow>> {
        hub.remove(sub);
        return Promise.resolve({ value: undefined, done: true });
      },
      throw(err?: unknown): Promise<IteratorResult<FeedRow>> {
        hub.remove(sub);
        return Promise.reject(err);
      },
    };
    return iterator;
  }

  /** Resolves when no delivery pass is running (for tests: everything woken so far has been delivered). */
  async settled(): Promise<void> {
    while (this.pass) await this.pass;
  }

  /** Subscribers on this instance, for metrics and tests. */
  get subscriberCount(): number {
    let n = 0;
    for (const subs of this.byTenant.values()) n += subs.size;
    return n;
  }

  private async listen(): Promise<void> {
    const options = this.dataSource.driver.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'cairn-feed-listener', options: '-c role=cairn_app' });
    client.on('notification', (n) => this.onNotify(n.payload));
    client.on('error', (err) => this.logger.warn(`feed listener error: ${err.message}`));
    client.on('end', () => {
      if (this.stopping) return;
      this.logger.warn('feed listener disconnected; reconnecting');
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query('LISTEN cairn_feed');
      this.listener = client;
      // Anything committed while we were not listening is picked up from the cursors.
      this.wakeAll();
    } catch (err) {
      this.logger.warn(`feed listener could not connect: ${(err as Error).message}`);
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.listen(), Math.min(this.config.dbRetryDelayMs, 1000));
    this.reconnectTimer.unref();
  }

  private wakeAll(): void {
    for (const tenantId of this.byTenant.keys()) this.wake(tenantId);
  }

  /** A commit NOTIFYs the audiences of its new rows (migration FeedNotifyAudience): wake whom they may reach. */
  private onNotify(payload: string | undefined): void {
    const audiences = parseAudiences(payload);
    if (!audiences) return this.wakeAll();
    const now = Date.now();
    for (const tenantId of this.byTenant.keys()) {
      const known = this.scopes.get(tenantId);
      if (!known || now - known.at > SCOPE_TRUST_MS || audiences.some((a) => audienceReaches(a, known.scope))) this.wake(tenantId);
      else this.skipped.add(tenantId);
    }
  }

  /** A skipped tenant whose scope was since changed still gets the rows it may now see. */
  private catchUp(): void {
    const now = Date.now();
    // (A tenant whose last subscriber left is no longer in `skipped`: see forget.)
    for (const tenantId of this.skipped) if (now - (this.scopes.get(tenantId)?.at ?? 0) > SCOPE_TRUST_MS) this.wake(tenantId);
  }

  /** At most one delivery pass at a time, for every tenant woken before it started; a wake during a pass runs one more. */
  private wake(tenantId: string): void {
    this.woken.add(tenantId);
    this.pass ??= this.passes();
  }

  private async passes(): Promise<void> {
    try {
      // Started on the first wake: let the rest of this turn's wake-ups (one NOTIFY wakes several
      // tenants; several NOTIFYs arrive in one read) join this pass rather than the next.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.woken.size > 0) {
        const tenants = [...this.woken];
        this.woken.clear();
        await this.deliver(tenants).catch((err: Error) => {
          // Unknown scope: the next commit of anyone's wakes these tenants again, and the catch-up
          // timer does if none comes (a replay woken by its reader, a new one, has no commit to wait for).
          for (const t of tenants) {
            this.scopes.delete(t);
            this.skipped.add(t);
          }
          this.logger.warn(`feed delivery failed (will retry on next wake): ${err.message}`);
        });
      }
    } finally {
      this.pass = undefined;
    }
  }

  private async deliver(tenantIds: string[]): Promise<void> {
    const tenants: Array<Set<Subscriber>> = [];
    for (const tenantId of tenantIds) {
      const subs = this.byTenant.get(tenantId);
      if (!subs?.size) {
        this.scopes.delete(tenantId);
        this.skipped.delete(tenantId);
        continue;
      }
      this.skipped.delete(tenantId);
      tenants.push(subs);
    }
    // A WebSocket is authenticated once: a key revoked or expired, a user disabled or a tenant
    // suspended since then must stop receiving (and the socket is closed, so it cannot subscribe again).
    // Checked before the pass's transaction, which must not wait for a second pool connection.
    const all = tenants.flatMap((subs) => [...subs]);
    // LiveCredentials closes a refused socket with the door's code (expired 4401, otherwise 4403).
    const admitted = await Promise.all(all.map((s) => this.credentials.admit(s.viewer, s.drop)));
    all.forEach((s, i) => {
      if (!admitted[i]) this.finish(s, unauthenticated());
    });
    // Subscribers of a tenant with the same filter share one read; the filter means exactly what feed() means.
    // (finish() took the refused subscribers out of their tenant's set.)
    const groups: Array<{ tenantId: string; subs: Subscriber[] }> = [];
    for (const subs of tenants) {
      const byFilter = new Map<string, Subscriber[]>();
      for (const s of subs) {
        const key = JSON.stringify(s.filter);
        const group = byFilter.get(key);
        if (group) group.push(s);
        else byFilter.set(key, [s]);
      }
      for (const group of byFilter.values()) groups.push({ tenantId: group[0].viewer.tenantId, subs: group });
    }
    if (groups.length === 0) return;
    // One transaction per pass: the scopes are read in one statement, then every group's read in
    // one round trip (another for the groups that had a full batch to catch up on, and so on).
    const at = Date.now();
    await this.dataSource.transaction(async (m) => {
      const scopes = await this.tenancy.accessScopes([...new Set(groups.map((g) => g.tenantId))], m);
      for (const [tenantId, scope] of scopes) this.scopes.set(tenantId, { at, scope });
      let round = groups.filter((g) => scopes.has(g.tenantId));
      while (round.length > 0) round = await this.deliverRound(m, scopes, round);
    });
  }

  /** One read per group, all in one round trip; returns the groups that got a full batch and have more to read. */
  private async deliverRound(m: EntityManager, scopes: Map<string, AccessScope>, round: Array<{ tenantId: string; subs: Subscriber[] }>) {
    const reads = round
      .map((g) => ({ group: g, live: g.subs.filter((s) => !s.closed && !s.held) }))
      .filter((r) => r.live.length > 0)
      .map((r) => ({ ...r, from: r.live.reduce((min, s) => (s.cursor < min ? s.cursor : min), r.live[0].cursor) }));
    const results = await this.feed.sinceEach(
      m,
      reads.map((r) => ({
        scope: scopes.get(r.group.tenantId)!,
        filter: r.live[0].filter,
        afterSeq: r.from.toString(),
        limit: FETCH_BATCH,
      })),
    );
    const more: Array<{ tenantId: string; subs: Subscriber[] }> = [];
    reads.forEach(({ group, live }, i) => {
      const rows = results[i];
      for (const row of rows) {
        const seq = BigInt(row.feedSeq);
        for (const s of live) {
          if (s.closed || s.held || seq <= s.cursor) continue;
          if (this.push(s, row)) s.cursor = seq;
        }
      }
      const reading = live.filter((s) => !s.closed && !s.held);
      // Caught up: live, unless its reader has yet to read most of the replay (then a burst would drop
      // at once a subscriber no further behind than a replay may be); it stays paced until a later pass.
      const room = this.config.limits.subscriberBufferEvents / 2;
      if (rows.length < FETCH_BATCH) for (const s of reading) s.live ||= s.queue.length <= room;
      else if (reading.length > 0) more.push(group);
    });
    return more;
  }

  /** Hands a row to a subscriber; false when it was not taken (the subscriber is held, or was dropped). */
  private push(sub: Subscriber, row: FeedRow): boolean {
    if (sub.live) this.metrics.feedLag.observe(Math.max(0, Date.now() - Date.parse(row.dateAdded)) / 1000);
    if (sub.waiting) {
      const resolve = sub.waiting;
      sub.waiting = undefined;
      resolve({ value: row, done: false });
      return true;
    }
    // graphql-ws waits for each send to flush, so a client that stops reading leaves events here.
    if (sub.queue.length >= this.config.limits.subscriberBufferEvents) {
      // A replay waits for its reader: the rest is read from its cursor once it has read half the queue.
      if (!sub.live) {
        sub.held = true;
        return false;
      }
      // A live subscriber past the limit is dropped with a reason rather than growing memory without bound.
      const err = new SlowSubscriberError(this.config.limits.subscriberBufferEvents);
      this.finish(sub, err);
      sub.queue.length = 0;
      sub.drop?.(WS_TOO_SLOW, err.message);
      return false;
    }
    sub.queue.push(row);
    return true;
  }

  private finish(sub: Subscriber, err: Error): void {
    sub.failed = err;
    sub.closed = true;
    this.forget(sub);
    if (sub.waiting) {
      const resolve = sub.waiting;
      sub.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  private remove(sub: Subscriber): void {
    sub.closed = true;
    sub.queue.length = 0;
    this.forget(sub);
  }

  /** A tenant without subscribers is no longer woken (nor its scope kept). */
  private forget(sub: Subscriber): void {
    const subs = this.byTenant.get(sub.viewer.tenantId);
    if (!subs?.delete(sub) || subs.size > 0) return;
    this.byTenant.delete(sub.viewer.tenantId);
    this.scopes.delete(sub.viewer.tenantId);
    this.skipped.delete(sub.viewer.tenantId);
  }
}

/** The NOTIFY payload: a JSON list of audiences, or '*' / anything unexpected, meaning "wake everyone". */
function parseAudiences(payload: string | undefined): Audience[] | undefined {
  if (!payload || payload === '*') return undefined;
  try {
    const list = JSON.parse(payload) as Array<{
      p: string;
      d: Distribution;
      s: string[] | null;
      c: string[] | null;
      g: string | null;
      r: string[] | null;
    }>;
    if (!Array.isArray(list)) return undefined;
    return list.map((a) => ({
      publisherTenantId: a.p,
      distribution: a.d,
      sectors: a.s ?? [],
      countries: a.c ?? [],
      groupId: a.g,
      recipients: a.r ?? [],
    }));
  } catch {
    return undefined;
  }
}

export class SlowSubscriberError extends Error {
  constructor(limit: number) {
    super(`Subscriber too slow: fell ${limit} events behind; resubscribe with your last cursor`);
  }
}
