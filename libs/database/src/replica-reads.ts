import type { DataSource, EntityManager } from 'typeorm';
import { assertSafeAppRole } from './bootstrap';

/** Which server answered a routed read: the replica, or the primary (no replica, or it fell back). */
export type ReadServer = 'replica' | 'primary';
/** Why a routed read was answered by the primary although a replica is configured. */
export type FallbackReason = 'lagging' | 'unavailable';

export interface ReplicaReadsOptions {
  /** Longest a read waits for the replica to replay up to the primary's position before the primary answers it. */
  maxWaitMs: number;
  /** application_name prefix of the replica's connections; each read adds `/<path>` for its transaction. */
  applicationName: string;
  /** How long reads go straight to the primary after the replica could not be reached, before it is tried again. */
  retryDelayMs: number;
  /** Called once per routed read with the server that answered it (metrics). */
  onRead?: (path: string, server: ReadServer, reason?: FallbackReason) => void;
  /** Called once the replica is connected and checked (the API watches its pool). */
  onConnected?: (replica: DataSource) => void;
  log: (line: string) => void;
}

/** WAL geometry of the primary, needed to compare its insert position with a standby's replay position. */
export interface WalGeometry {
  blockSize: number;
  segmentSize: number;
}

/** An LSN ("16/B374D848") as a number of bytes. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text);
  if (!m) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/**
 * The replay position a standby must reach to hold everything the primary had inserted at
 * `insertLsn` (pg_current_wal_insert_lsn()). When the last record ended exactly on a page
 * boundary, PostgreSQL reports the insert position after the next page's header (24 bytes, 40 on a
 * segment's first page), where no record can end; a standby that replayed up to that record stops
 * at the boundary and would never "reach" the reported position until more WAL is written. The
 * target is then the boundary itself. Anywhere else the insert position is the end of a record.
 */
export function replayTarget(insertLsn: bigint, wal: WalGeometry): bigint {
  const block = BigInt(wal.blockSize);
  const inPage = insertLsn % block;
  const pageStart = insertLsn - inPage;
  const header = pageStart % BigInt(wal.segmentSize) === 0n ? 40n : 24n;
  return inPage === header ? pageStart : insertLsn;
}

/** A position of the primary's WAL a read must see (ReplicaReads.position()). */
export interface ReadPosition {
  readonly target: bigint;
}

/** Thrown inside the replica's transaction when it did not replay far enough in time: the primary answers instead. */
class ReplicaLagging extends Error {}

// Errors a standby raises for reasons of its own — a query cancelled by a conflict with recovery
// (40001), the standby shutting down or restarting (57P0x), its connection lost (08xxx) — after
// which the primary can still answer the same read.
function isStandbyProblem(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const x = e as { code?: unknown; driverError?: unknown; cause?: unknown; message?: unknown };
    if (
      typeof x.code === 'string' &&
      (x.code === '40001' ||
        x.code.startsWith('57P') ||
        x.code.startsWith('08') ||
        ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(x.code))
    )
      return true;
    if (
      typeof x.message === 'string' &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(x.message)
    )
      return true;
    e = x.driverError ?? x.cause;
  }
  return false;
}

/**
 * Where a read that may be served by a PostgreSQL streaming replica runs (DATABASE_REPLICA_URL).
 * Each read first asks the primary for its WAL insert position — one statement that touches no
 * table — and the replica serves the read only once it has replayed up to there, waiting at most
 * maxWaitMs. So a read sees every transaction that committed anywhere before it began: a client's
 * own writes (publish, then TAXII) whichever API instance took them, and everything a cursor it
 * holds was issued from, so a `next` or `after` never runs ahead of the replica. Otherwise, or when
 * the replica cannot answer, the primary does. Writes and the feed never come here.
 */
export class ReplicaReads {
  /** Until then a routed read checks the replica once instead of waiting (it was found lagging). */
  private noWaitUntil = 0;
  /** Until then routed reads go straight to the primary (the replica could not be reached). */
  private skipUntil = 0;
  private connecting?: Promise<void>;
  private ready = false;

  private constructor(
    private readonly primary: DataSource,
    private readonly replica: DataSource | undefined,
    private readonly wal: WalGeometry | undefined,
    private readonly options: ReplicaReadsOptions | undefined,
  ) {}

  /** Every read on the primary: what the API does without DATABASE_REPLICA_URL. */
  static primaryOnly(primary: DataSource): ReplicaReads {
    return new ReplicaReads(primary, undefined, undefined, undefined);
  }

  /**
   * Reads routed to `replica` (a data source not yet initialised) when it has caught up. It is
   * connected and checked now: a server that is not a standby, or a login that could step around
   * row-level security, stops start-up. One that cannot be reached does not: reads go to the
   * primary, and the replica is tried again every retryDelayMs — an instance must be able to start
   * while a replica is down.
   */
  static async withReplica(primary: DataSource, replica: DataSource, options: ReplicaReadsOptions): Promise<ReplicaReads> {
    const [{ block, segment }] = await primary.query(
      `SELECT current_setting('wal_block_size')::int AS block, (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size') AS segment`,
    );
    const reads = new ReplicaReads(primary, replica, { blockSize: Number(block), segmentSize: Number(segment) }, options);
    try {
      await reads.connect();
    } catch (err) {
      if (!isStandbyProblem(err)) {
        if (replica.isInitialized) await replica.destroy();
        throw err;
      }
      options.log(`replica unreachable (${reasonOf(err)}): reads go to the primary until it answers`);
      reads.skipUntil = Date.now() + options.retryDelayMs;
    }
    return reads;
  }

  /**
   * The primary's position now, for a read that must see what committed before this moment but
   * writes something of its own first that it does not read (a look-up charges its quota): passed
   * to run(), the replica need not wait for that write too. Undefined without a replica.
   */
  /** Whether reads may go to a replica at all (DATABASE_REPLICA_URL set); without one, run() is a primary transaction. */
  get routing(): boolean {
    return Boolean(this.replica && this.wal && this.options);
  }

  async position(): Promise<ReadPosition | undefined> {
    if (!this.replica || !this.wal) return undefined;
    // Outside any fallback: without the primary's position no server may answer (it could be stale).
    const [{ lsn }] = await this.primary.query('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return { target: replayTarget(parseLsn(lsn), this.wal) };
  }

  /**
   * Runs fn in one transaction on the replica once it has replayed everything the primary had
   * when the call began (or at `since`, taken earlier by position()), else on the primary. `path`
   * names the read (bounded: a constant of the caller) in the replica connection's
   * application_name and in metrics. fn must only read.
   */
  async run<T>(path: string, fn: (m: EntityManager) => Promise<T>, since?: ReadPosition): Promise<T> {
    const { replica, wal, options } = this;
    if (!replica || !wal || !options) return this.primary.transaction(fn);
    let reason: FallbackReason = 'unavailable';
    if (Date.now() >= this.skipUntil) {
      const { target } = since ?? (await this.position())!;
      let started = false;
      try {
        if (!this.ready) await this.connect();
        const maxWaitMs = Date.now() < this.noWaitUntil ? 0 : options.maxWaitMs;
        const result = await replica.transaction(async (m) => {
          await this.waitForReplay(m, `${options.applicationName}/${path}`, target, maxWaitMs);
          started = true;
          return fn(m);
        });
        this.noWaitUntil = 0;
        options.onRead?.(path, 'replica');
        return result;
      } catch (err) {
        if (err instanceof ReplicaLagging) {
          reason = 'lagging';
          // A replica this far behind is likely so for the next reads too: they check once and do not wait.
          this.noWaitUntil = Date.now() + options.maxWaitMs;
        } else if (started && !isStandbyProblem(err)) {
          // An error of fn's own (a domain error, bad input) is the answer; only the replica's own trouble sends the read on.
          throw err;
        } else {
          // Not reachable, or not fit to serve: do not make every read find that out again.
          if (!isStandbyProblem(err)) options.log(`replica refused (${reasonOf(err)}): reads go to the primary`);
          this.skipUntil = Date.now() + options.retryDelayMs;
        }
      }
    }
    const result = await this.primary.transaction(fn);
    options.onRead?.(path, 'primary', reason);
    return result;
  }

  /** Connects the replica's pool if need be and checks it is a standby whose login row-level security binds; once. */
  private async connect(): Promise<void> {
    const replica = this.replica!;
    this.connecting ??= (async () => {
      if (!replica.isInitialized) await replica.initialize();
      const [{ standby }] = await replica.query('SELECT pg_is_in_recovery() AS standby');
      if (!standby)
        throw new Error(
          'DATABASE_REPLICA_URL: the server is not a standby (pg_is_in_recovery() is false); give it the URL of a streaming replica of the primary',
        );
      await assertSafeAppRole(replica);
      this.ready = true;
      this.options!.onConnected?.(replica);
    })().finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  /** Polls the standby's replay position (no wait function exists before PostgreSQL 19) until it reaches target or time is up. */
  private async waitForReplay(m: EntityManager, label: string, target: bigint, maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
      // The label is transaction-local: it names this read in pg_stat_activity and the server log, then the pooled connection's own name returns.
      const [{ lsn }] = await m.query(`SELECT pg_last_wal_replay_lsn()::text AS lsn, set_config('application_name', $1, true)`, [label]);
      if (lsn !== null && parseLsn(lsn) >= target) return;
      if (Date.now() + pause > deadline) throw new ReplicaLagging();
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** Closes the replica's pool (the primary's belongs to TypeORM's module). */
  async onApplicationShutdown(): Promise<void> {
    if (this.replica?.isInitialized) await this.replica.destroy();
  }
}

function reasonOf(err: unknown): string {
  const x = err as { code?: string; message?: string };
  return x.code ?? x.message ?? String(err);
}
