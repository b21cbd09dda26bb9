import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DataSource } from 'typeorm';
import { CAIRN_CONFIG, CoalescingRunner, JsonLogger, isUuid, type CairnConfig, type Viewer } from '@cairn/common';
import { AuditService } from '@cairn/audit';
import { TenancyService } from '@cairn/tenancy';
import { WatchlistService } from './watchlist.service';
import { WatchlistError, WatchlistErrorCode } from './watchlist.errors';

/**
 * Deliveries of one tenant this sender has in flight at most (a claim may add up to as many again
 * to a tenant below it); how long a claimed delivery is reserved for its sender.
 */
const PER_TENANT = 10;
const LEASE = '60 seconds';
const SEND_TIMEOUT_MS = 10_000;
const MAX_WEBHOOKS = 10;

export interface Webhook {
  id: string;
  url: string;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/**
 * Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE: the exchange's own network, and
 * whatever is not a public unicast host. IPv6 forms that carry an IPv4 address (NAT64 64:ff9b::/96
 * and /48, 6to4 2002::/16, IPv4-compatible ::/96) are refused whole: a NAT64 or 6to4 gateway would
 * carry them into private IPv4. IPv4-mapped ones (::ffff:a.b.c.d) BlockList checks against the IPv4
 * rules itself (a ::ffff:0:0/96 rule would match every IPv4 address).
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/**
 * Signed webhooks for watchlist hits. Each delivery is a POST of one hit as JSON with
 * `X-Cairn-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>" under the webhook's
 * secret>` (the receiver checks it and the timestamp's age), `X-Cairn-Delivery` (the delivery id,
 * for de-duplication) and `X-Cairn-Event: watchlist.hit`. A failure is retried with exponential
 * back-off (WEBHOOK_RETRY_BASE_MS, doubling, WEBHOOK_MAX_ATTEMPTS), every attempt is in the
 * delivery log, and a delivery can be replayed by id.
 */
@Injectable()
export class WebhookService implements OnApplicationShutdown {
  private readonly sender = new CoalescingRunner(
    async () => {
      while ((await this.sendDue()) > 0);
    },
    (err) => this.logger.warn(`webhook delivery failed (will retry): ${err.message}`, 'Webhooks'),
  );
  /** Deliveries in flight per tenant: each is sent on its own, so a tenant's wait only for its own receivers. */
  private readonly inFlight = new Map<string, number>();
  private readonly stop = new AbortController();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    private readonly tenancy: TenancyService,
    private readonly watchlist: WatchlistService,
    private readonly audit: AuditService,
    private readonly logger: JsonLogger,
  ) {}

  /** Registers a webhook; its secret is returned this once and never shown again. */
  async create(viewer: Viewer, url: string): Promise<Webhook & { secret: string }> {
    const problem = webhookUrlProblem(url, this.config.env === 'production' && !this.config.webhooks.allowPrivate);
    if (problem) throw new WatchlistError(WatchlistErrorCode.INVALID_WEBHOOK_URL, `url ${problem}`, 'url');
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    return this.tenancy.asViewer(viewer.tenantId, async (m) => {
      const [{ n }]: Array<{ n: number }> = await m.query(`SELECT count(*)::int AS n FROM webhook WHERE tenant_id = $1`, [viewer.tenantId]);
      if (n >= MAX_WEBHOOKS)
        throw new WatchlistError(WatchlistErrorCode.TOO_MANY_WEBHOOKS, `At most ${MAX_WEBHOOKS} webhooks per tenant`, 'url');
      const [row]: Array<{ id: string; created_at: Date }> = await m.query(
        `INSERT INTO webhook (tenant_id, url, secret) VALUES ($1, $2, $3) RETURNING id, created_at`,
        [viewer.tenantId, url, secret],
      );
      await this.audit.record({ viewer, action: 'webhook.created', targetType: 'webhook', targetId: row.id, details: { url } }, m);
      return { id: row.id, url, createdAt: row.created_at.toISOString(), secret };
    });
  }

  async list(viewer: Viewer): Promise<Webhook[]> {
    const rows: Array<{ id: string; url: string; created_at: Date }> = await this.tenancy.asViewer(viewer.tenantId, (m) =>
      m.query(`SELECT id, url, created_at FROM webhook WHERE tenant_id = $1 ORDER BY created_at`, [viewer.tenantId]),
    );
    return rows.map((r) => ({ id: r.id, url: r.url, createdAt: r.created_at.toISOString() }));
  }

  async remove(viewer: Viewer, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.tenancy.asViewer(viewer.tenantId, async (m) => {
      const rows: unknown[] = await m.query(`DELETE FROM webhook WHERE tenant_id = $1 AND id = $2 RETURNING id`, [viewer.tenantId, id]);
      if (rows.length) await this.audit.record({ viewer, action: 'webhook.deleted', targetType: 'webhook', targetId: id }, m);
      return rows.length > 0;
    });
  }

  /** The delivery log of the viewer's webhooks, newest first. */
  async deliveries(viewer: Viewer, webhookId: string | undefined, first: number): Promise<WebhookDelivery[]> {
    const rows: DeliveryRow[] = await this.tenancy.asViewer(viewer.tenantId, (m) =>
      m.query(
        `SELECT id, webhook_id, status, attempts, last_status, last_error, next_attempt_at, delivered_at, created_at FROM webhook_delivery
          WHERE tenant_id = $1 AND ($2::uuid IS NULL OR webhook_id = $2::uuid) ORDER BY created_at DESC, id LIMIT $3`,
        [viewer.tenantId, webhookId && isUuid(webhookId) ? webhookId : null, Math.min(Math.max(first, 1), 500)],
      ),
    );
    return rows.map(toDelivery);
  }

  /** Sends a delivery's hit again, as a new delivery (the log keeps both); NOT_FOUND for anyone else's id. */
  async replay(viewer: Viewer, deliveryId: string): Promise<WebhookDelivery> {
    const row = await this.tenancy.asViewer(viewer.tenantId, async (m) => {
      const [d]: DeliveryRow[] = isUuid(deliveryId)
        ? await m.query(
            `INSERT INTO webhook_delivery (tenant_id, webhook_id, hit_id)
             SELECT tenant_id, webhook_id, hit_id FROM webhook_delivery WHERE tenant_id = $1 AND id = $2
             RETURNING id, webhook_id, status, attempts, last_status, last_error, next_attempt_at, delivered_at, created_at`,
            [viewer.tenantId, deliveryId],
          )
        : [];
      if (!d) throw new WatchlistError(WatchlistErrorCode.NOT_FOUND, 'No such webhook delivery', 'id');
      await this.audit.record(
        { viewer, action: 'webhook.replayed', targetType: 'webhook_delivery', targetId: deliveryId, details: { replay: d.id } },
        m,
      );
      return d;
    });
    void this.kick();
    return toDelivery(row);
  }

  /** Sends every due delivery; a call while sending asks for one more round. */
  async kick(): Promise<void> {
    await this.sender.run();
  }

  /** Stops sending: requests in flight are aborted, and their deliveries are retried when their lease ends. */
  onApplicationShutdown(): void {
    this.stop.abort();
  }

  /**
   * Claims what is due, per tenant (cairn_webhook_claim_per_tenant), and starts sending each claimed
   * delivery on its own; a finished one asks for another claim. A tenant with PER_TENANT deliveries
   * in flight is left out of the claim: one member's slow receivers hold up only its own deliveries,
   * never another member's (nor tell it, by their delay, that another member had one due).
   */
  private async sendDue(): Promise<number> {
    if (this.stop.signal.aborted) return 0;
    const busy = [...this.inFlight].filter(([, n]) => n >= PER_TENANT).map(([tenantId]) => tenantId);
    const claimed: Claimed[] = await this.dataSource.query(
      `SELECT id, tenant_id, hit_id::text, url, secret, attempts FROM cairn_webhook_claim_per_tenant($1, $2::uuid[], $3::interval)`,
      [PER_TENANT, busy, LEASE],
    );
    for (const d of claimed) {
      this.inFlight.set(d.tenant_id, (this.inFlight.get(d.tenant_id) ?? 0) + 1);
      void this.send(d)
        .catch((err: Error) => this.logger.warn(`webhook delivery failed (will retry): ${err.message}`, 'Webhooks'))
        .finally(() => {
          const n = (this.inFlight.get(d.tenant_id) ?? 1) - 1;
          if (n > 0) this.inFlight.set(d.tenant_id, n);
          else this.inFlight.delete(d.tenant_id);
          if (!this.stop.signal.aborted) void this.kick();
        });
    }
    return claimed.length;
  }

  private async send(d: Claimed): Promise<void> {
    const viewer = { tenantId: d.tenant_id };
    const [hit] = await this.tenancy.asViewer(d.tenant_id, (m) =>
      m.query(
        `SELECT id::text, entry_id, reference, kind, event, cell_sector, cell_area, hit_at FROM watch_hit WHERE tenant_id = $1 AND id = $2`,
        [d.tenant_id, d.hit_id],
      ),
    );
    let status: number | null = null;
    let error: string | null = null;
    // A tenant suspended since the hit was queued (or between retries) is sent nothing more.
    const active = hit && (await this.tenancy.accessScopes([d.tenant_id], undefined, true)).has(d.tenant_id);
    if (hit && !active) error = 'the tenant is suspended';
    else if (hit) {
      const body = JSON.stringify({ event: 'watchlist.hit', delivery: d.id, hit: this.watchlist.toHit(viewer, hit) });
      try {
        const t = Math.floor(Date.now() / 1000);
        const headers = {
          'content-type': 'application/json',
          'user-agent': 'Cairn-Webhooks/1',
          'x-cairn-event': 'watchlist.hit',
          'x-cairn-delivery': d.id,
          'x-cairn-signature': `t=${t},v1=${signWebhook(d.secret, t, body)}`,
        };
        const code = await postOnce(
          d.url,
          headers,
          body,
          this.config.env === 'production' && !this.config.webhooks.allowPrivate,
          this.stop.signal,
        );
        status = code;
        if (code < 200 || code >= 300) error = `receiver answered ${code}`;
      } catch (err) {
        error =
          (err as Error).name === 'TimeoutError'
            ? `no answer within ${SEND_TIMEOUT_MS} ms`
            : `could not deliver: ${(err as Error).message}`;
      }
    } else error = 'the hit no longer exists';
    // Shutting down: the lease brings the delivery back to whichever sender runs next.
    if (this.stop.signal.aborted) return;
    const { retryBaseMs, maxAttempts } = this.config.webhooks;
    const done = error === null;
    const failed = !done && (d.attempts >= maxAttempts || !hit || !active);
    const backoffMs = retryBaseMs * 2 ** Math.max(0, d.attempts - 1);
    await this.tenancy.asViewer(d.tenant_id, (m) =>
      m.query(
        `UPDATE webhook_delivery SET status = $3, last_status = $4, last_error = $5,
                delivered_at = CASE WHEN $3 = 'DELIVERED' THEN now() END,
                next_attempt_at = now() + make_interval(secs => $6::double precision / 1000)
          WHERE tenant_id = $1 AND id = $2`,
        [d.tenant_id, d.id, done ? 'DELIVERED' : failed ? 'FAILED' : 'PENDING', status, error?.slice(0, 500) ?? null, backoffMs],
      ),
    );
    // This instance comes back for the retry when it is due (the timer of every instance is the safety net).
    if (!done && !failed) setTimeout(() => void this.kick(), backoffMs).unref();
  }
}

// One answer for "private" and "does not resolve": a member's admin must not map the exchange's own
// network by which internal names exist.
const NOT_HERE = 'the receiver is not at a public address';

/**
 * The resolver of a guarded send: the addresses the connection is made to are the ones checked
 * (a check before the send and another resolution by the connection would let a name answer a
 * public address to the one and a private one to the other: DNS rebinding).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err || addresses.length === 0 || addresses.some((a) => privateAddress(a.address, a.family === 6 ? 6 : 4)))
      return callback(new Error(NOT_HERE), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * POSTs one delivery and resolves to the receiver's status; redirects are not followed. When
 * `guarded` (production), an IP literal is checked here and a name by the connection's own resolver.
 */
function postOnce(url: string, headers: Record<string, string>, body: string, guarded: boolean, stop: AbortSignal): Promise<number> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (guarded && isIP(host) && privateAddress(host, isIP(host) === 6 ? 6 : 4)) return Promise.reject(new Error(NOT_HERE));
  return new Promise((resolve, reject) => {
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guarded ? guardedLookup : undefined,
        signal: AbortSignal.any([AbortSignal.timeout(SEND_TIMEOUT_MS), stop]),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (err) =>
      reject(err.name === 'AbortError' && (err.cause as Error | undefined)?.name === 'TimeoutError' ? err.cause : err),
    );
    req.end(body);
  });
}

/** Whether a webhook may not reach this address in production. */
export function privateAddress(address: string, family: 4 | 6): boolean {
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The signature of one delivery: hex HMAC-SHA-256 of "<unix seconds>.<body>" under the webhook's secret. */
export function signWebhook(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
}

/** Why a webhook URL is refused, or undefined: http(s) only (https in production), no credentials in it. */
export function webhookUrlProblem(url: string, httpsOnly: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be http or https';
  if (httpsOnly && u.protocol !== 'https:') return 'must be https';
  if (u.username || u.password) return 'must not contain credentials';
  if (url.length > 2000) return 'is longer than 2000 characters';
  return undefined;
}

interface Claimed {
  id: string;
  tenant_id: string;
  hit_id: string;
  url: string;
  secret: string;
  attempts: number;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  status: WebhookDelivery['status'];
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  delivered_at: Date | null;
  created_at: Date;
}

function toDelivery(r: DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'PENDING' ? new Date(r.next_attempt_at).toISOString() : null,
    deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
