import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  AUTHENTICATOR,
  CAIRN_CONFIG,
  JsonLogger,
  LiveCredentials,
  PushIterator,
  unauthenticated,
  type Authenticator,
  type CairnConfig,
  type SocketDropper,
  type Viewer,
} from '@cairn/common';
import { WatchMatcher } from './watch-matcher.service';
import { WebhookService } from './webhook.service';
import { WatchlistError, WatchlistErrorCode } from './watchlist.errors';
import { WatchlistService, type WatchHit } from './watchlist.service';

interface Subscriber {
  viewer: Viewer;
  drop?: SocketDropper;
  position: string;
  out: PushIterator<WatchHit>;
  /** Its queue holds WS_SUBSCRIBER_BUFFER hits: left out of delivery until its reader has taken half (its position is where the queue ends). */
  held: boolean;
}

const CATCH_UP_PAGE = 200;

/**
 * The watchlist's live side on an API instance: one LISTEN connection for "something was stored"
 * (cairn_watch_outbox: run the matcher) and "a tenant has new hits" (cairn_watch_hit: wake that
 * tenant's subscriptions and send webhooks), a safety-net timer for both, and the watchlistHits
 * subscriptions. A subscriber reads its own tenant's hits after its position, so nothing is missed
 * or repeated across a reconnect that resumes from the last cursor.
 */
@Injectable()
export class WatchHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private stopping = false;
  private readonly byTenant = new Map<string, Set<Subscriber>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  /** Tenants whose last pass failed: the timer wakes them again (a replay woken by its reader has no new hit to wait for). */
  private readonly failed = new Set<string>();
  private readonly credentials: LiveCredentials;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    private readonly matcher: WatchMatcher,
    private readonly webhooks: WebhookService,
    private readonly watchlist: WatchlistService,
    private readonly logger: JsonLogger,
    @Inject(AUTHENTICATOR) auth: Authenticator,
  ) {
    this.credentials = new LiveCredentials(auth, config.credentialRecheckMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.listen();
    this.timer = setInterval(() => this.tick(), this.config.watchPassMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    clearTimeout(this.reconnectTimer);
    await this.listener?.end().catch(() => undefined);
    for (const subs of this.byTenant.values()) for (const s of subs) s.out.end();
  }

  /** The viewer's hits after `afterPosition` (or from now), then each new one as it is recorded. */
  async subscribe(viewer: Viewer, afterPosition?: string, drop?: SocketDropper): Promise<AsyncIterableIterator<WatchHit>> {
    const { subscriptionsPerTenant, subscriberBufferEvents } = this.config.limits;
    // Read before the count, which is checked and taken with no await between: subscriptions asked
    // for together (a socket's operations run concurrently) must not all pass it before any is added.
    const position = afterPosition ?? (await this.watchlist.head(viewer));
    // As many as the feed allows: each holds up to a buffer of hits in memory.
    if ((this.byTenant.get(viewer.tenantId)?.size ?? 0) >= subscriptionsPerTenant)
      throw new WatchlistError(
        WatchlistErrorCode.TOO_MANY_SUBSCRIPTIONS,
        `At most ${subscriptionsPerTenant} live watchlist subscriptions per tenant`,
        undefined,
        { retryAfterSeconds: 60 },
      );
    const sub: Subscriber = {
      viewer,
      drop,
      position,
      held: false,
      out: new PushIterator<WatchHit>(
        () => this.remove(sub),
        (backlog) => {
          if (sub.held && backlog <= subscriberBufferEvents / 2) {
            sub.held = false;
            this.wake(viewer.tenantId);
          }
        },
      ),
    };
    let subs = this.byTenant.get(viewer.tenantId);
    if (!subs) this.byTenant.set(viewer.tenantId, (subs = new Set()));
    subs.add(sub);
    if (afterPosition !== undefined) this.wake(viewer.tenantId);
    return sub.out;
  }

  /** Live subscriptions on this instance (tests wait for it instead of sleeping). */
  get subscriberCount(): number {
    let n = 0;
    for (const subs of this.byTenant.values()) n += subs.size;
    return n;
  }

  /** Resolves when no delivery pass is running (tests: everything woken so far has been pushed). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /** Matches what is queued and sends what is due now (tests and the timer). */
  async tick(): Promise<void> {
    for (const tenantId of this.failed) {
      this.failed.delete(tenantId);
      if (this.byTenant.has(tenantId)) this.wake(tenantId);
    }
    await this.matcher.drain();
    await this.webhooks.kick();
  }

  private async listen(): Promise<void> {
    const options = this.dataSource.driver.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'cairn-watch-listener', options: '-c role=cairn_app' });
    client.on('notification', (n) => (n.channel === 'cairn_watch_outbox' ? void this.matcher.drain() : this.onHits(n.payload)));
    client.on('error', (err) => this.logger.warn(`watch listener error: ${err.message}`, 'WatchHub'));
    client.on('end', () => {
      if (this.stopping) return;
      this.reconnectTimer = setTimeout(() => void this.listen(), Math.min(this.config.dbRetryDelayMs, 1000));
      this.reconnectTimer.unref();
    });
    try {
      await client.connect();
      await client.query('LISTEN cairn_watch_outbox');
      await client.query('LISTEN cairn_watch_hit');
      this.listener = client;
      // Whatever was stored or hit while no one listened.
      void this.tick();
      for (const tenantId of this.byTenant.keys()) this.wake(tenantId);
    } catch (err) {
      this.logger.warn(`watch listener could not connect: ${(err as Error).message}`, 'WatchHub');
      await client.end().catch(() => undefined);
    }
  }

  private onHits(tenantId: string | undefined): void {
    void this.webhooks.kick();
    if (tenantId && this.byTenant.has(tenantId)) this.wake(tenantId);
  }

  /** At most one read pass per tenant at a time; a wake during one runs one more. */
  private wake(tenantId: string): void {
    if (this.running.has(tenantId)) {
      this.dirty.add(tenantId);
      return;
    }
    const pass = this.deliver(tenantId)
      .catch((err: Error) => {
        this.failed.add(tenantId);
        this.logger.warn(`watch hit delivery failed (the next wake or tick retries): ${err.message}`, 'WatchHub');
      })
      .finally(() => {
        this.running.delete(tenantId);
        if (this.dirty.delete(tenantId)) this.wake(tenantId);
      });
    this.running.set(tenantId, pass);
  }

  private async deliver(tenantId: string): Promise<void> {
    for (const sub of [...(this.byTenant.get(tenantId) ?? [])]) {
      // Revoked, expired, disabled or suspended since the socket authenticated: nothing more, and the socket closes.
      if (!(await this.credentials.admit(sub.viewer, sub.drop))) {
        sub.out.end(unauthenticated());
        continue;
      }
      // At the reader's pace: a subscriber that does not read (a replay from an old cursor, or a
      // socket that stopped) holds at most a buffer of hits; the rest stay in the table until it reads.
      const buffer = this.config.limits.subscriberBufferEvents;
      while (!sub.held && !sub.out.isClosed) {
        const room = buffer - sub.out.backlog;
        if (room <= 0) {
          sub.held = true;
          break;
        }
        const page = Math.min(CATCH_UP_PAGE, room);
        const hits = await this.watchlist.hitsSince(sub.viewer, sub.position, page);
        if (sub.out.isClosed) break;
        for (const { position: _position, ...hit } of hits) sub.out.push(hit);
        if (hits.length > 0) sub.position = hits[hits.length - 1].position;
        if (hits.length < page) break;
      }
    }
  }

  private remove(sub: Subscriber): void {
    const subs = this.byTenant.get(sub.viewer.tenantId);
    subs?.delete(sub);
    if (subs && subs.size === 0) this.byTenant.delete(sub.viewer.tenantId);
  }
}
