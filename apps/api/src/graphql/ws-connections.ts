import type { Gauge } from 'prom-client';
import type { Authenticator, CredentialState, JsonLogger, Viewer } from '@cairn/common';

/**
 * WebSocket close codes of the door (README "WebSocket close codes"). graphql-ws clients do not
 * retry 4401 and 4429 and do retry 4403 and 1013, so a client must treat 4403 as final itself.
 */
export const WS_CLOSE = {
  /** Missing, invalid or expired credentials, or the user's role changed: connect again with a fresh credential. */
  AUTHENTICATE_AGAIN: 4401,
  /** A once-valid credential lost its rights: key revoked, user disabled, tenant suspended, session logged out. */
  FORBIDDEN: 4403,
  /** The tenant already holds its share of connections on this instance, or sign-ins from this address are throttled. */
  TOO_MANY_CONNECTIONS: 4429,
  /** The database cannot be reached to check the credential. */
  TRY_AGAIN_LATER: 1013,
  INTERNAL_ERROR: 1011,
} as const;

/** How often open connections are re-checked against the database: a right taken away ends its sockets within about this long. */
export const SWEEP_MS = 500;

/** One authenticated socket. `viewer` is how it authenticated at connect time. */
export interface WsConnection {
  viewer: Viewer;
  authorization?: string;
  ip?: string;
  close(code: number, reason: string): void;
  /** Counted against its tenant's cap (only connections that were let in are). */
  closed: boolean;
  expiryTimer?: NodeJS.Timeout;
}

const REASONS: Record<Exclude<CredentialState, 'valid'>, [number, string]> = {
  expired: [WS_CLOSE.AUTHENTICATE_AGAIN, 'Credentials expired; connect again with fresh ones'],
  changed: [WS_CLOSE.AUTHENTICATE_AGAIN, 'Your role changed; connect again'],
  revoked: [WS_CLOSE.FORBIDDEN, 'Credentials no longer valid'],
};

/**
 * The open sockets of this instance: the per-tenant cap, and the sweep that closes a socket whose
 * credential lost its rights (one query per sweep for all sockets, so it holds across instances:
 * whoever changed the database, through whichever instance or the CLI, is seen here).
 * Closing the socket ends every operation and subscription on it.
 */
export class WsConnections {
  private readonly perTenant = new Map<string, number>();
  private readonly open = new Set<WsConnection>();
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly auth: Authenticator,
    private readonly maxPerTenant: number,
    private readonly logger: JsonLogger,
    /** Open connections on this instance (cairn_ws_connections). */
    private readonly gauge?: Gauge<string>,
  ) {}

  /** Lets a connection in, or refuses it (false) when its tenant is at the cap; a refused one holds no slot. */
  admit(conn: WsConnection): boolean {
    const tenant = conn.viewer.tenantId;
    const n = this.perTenant.get(tenant) ?? 0;
    if (n >= this.maxPerTenant) return false;
    this.perTenant.set(tenant, n + 1);
    this.open.add(conn);
    this.gauge?.inc();
    // The credential's own end is known: close at that moment rather than at the next sweep.
    const expiresIn = conn.viewer.expiresAt === undefined ? undefined : conn.viewer.expiresAt - Date.now();
    if (expiresIn !== undefined && expiresIn < 2 ** 31 - 1) {
      conn.expiryTimer = setTimeout(() => this.end(conn, 'expired'), Math.max(0, expiresIn));
      conn.expiryTimer.unref();
    }
    this.timer ??= setInterval(() => void this.sweep(), SWEEP_MS).unref();
    return true;
  }

  /** The socket closed (for whatever reason): frees its slot, once. */
  release(conn: WsConnection): void {
    conn.closed = true;
    clearTimeout(conn.expiryTimer);
    if (!this.open.delete(conn)) return;
    this.gauge?.dec();
    const tenant = conn.viewer.tenantId;
    const left = (this.perTenant.get(tenant) ?? 1) - 1;
    if (left > 0) this.perTenant.set(tenant, left);
    else this.perTenant.delete(tenant);
    if (this.open.size === 0) this.stopSweeping();
  }

  /** Closes the socket with the code for `state` (expired / changed → 4401, revoked → 4403). */
  end(conn: WsConnection, state: Exclude<CredentialState, 'valid'>): void {
    if (conn.closed) return;
    conn.closed = true;
    const [code, reason] = REASONS[state];
    conn.close(code, reason);
  }

  stopSweeping(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.open.size === 0) return;
    this.sweeping = true;
    try {
      const conns = [...this.open].filter((c) => !c.closed);
      const states = await this.auth.recheck(conns.map((c) => c.viewer));
      conns.forEach((c, i) => {
        const state = states[i];
        if (state !== 'valid') this.end(c, state);
      });
    } catch (err) {
      // The database is unreachable: every operation re-authenticates anyway, so nothing runs on a stale right.
      this.logger.warn(`WebSocket credential sweep failed: ${(err as Error).message}`, 'WsDoor');
    } finally {
      this.sweeping = false;
    }
  }
}
