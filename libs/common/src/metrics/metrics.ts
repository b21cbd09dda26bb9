import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CairnError } from '../errors/cairn-error';
import { isDatabaseUnavailable } from '../errors/database-unavailable';

/** What a connection pool reports at scrape time (pg's Pool: totalCount, idleCount, waitingCount, options.max). */
export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `ok`, a CairnError's code (a closed enum), SERVICE_UNAVAILABLE for a database outage, else `error`: a bounded label. */
export function outcomeOf(err: unknown): string {
  if (err instanceof CairnError) return err.code;
  if (isDatabaseUnavailable(err)) return 'SERVICE_UNAVAILABLE';
  return 'error';
}

/**
 * The process's Prometheus registry (README "Observability"). No label carries a tenant, user or
 * key id, nor anything a client chose except GraphQL operation names, which are bounded by the
 * caller (apps/api/src/metrics/operation-names.ts): an operator dashboard must not become a side
 * channel, and every label's cardinality stays bounded. Lookup volume per tenant is in the tenant's
 * own audit log, not in a scrape the operator's monitoring reads.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** GraphQL operations on either door, by (bounded) operation name, type and outcome (`ok` or the first error's code). */
  readonly graphqlOperations: Counter<'door' | 'operation' | 'type' | 'outcome'>;
  readonly graphqlDuration: Histogram<'door' | 'operation' | 'type'>;
  /** Distinct values of checkIdentifiers calls: `counted` (looked up, charged to the quota) or `refused` (over quota). */
  readonly lookupValues: Counter<'outcome'>;
  /** checkIdentifiers calls, `answered` or `refused` (over quota). */
  readonly lookupCalls: Counter<'outcome'>;
  /** Publishes whose recheck under the feed lock found that a write committed meanwhile changed what was checked, so they were checked again under the lock. */
  readonly publishRechecksRefused: Counter<string>;
  /** Durations (and, as _count, numbers) of bundle publishes, sighting reports and identifier lookups, by outcome. */
  readonly publishDuration: Histogram<'outcome'>;
  readonly sightingDuration: Histogram<'outcome'>;
  readonly lookupDuration: Histogram<'outcome'>;
  /** Seconds from a row's date_added (stamped in its committing transaction) to its hand-over to a live subscriber. */
  readonly feedLag: Histogram<string>;
  readonly wsConnections: Gauge<string>;
  readonly wsSubscriptions: Gauge<string>;
  /** Seconds a query waited for a pooled database connection. */
  readonly dbPoolAcquire: Histogram<'pool'>;
  /** Reads that may be served by a replica (DATABASE_REPLICA_URL), by path, the server that answered, and why the primary did. */
  readonly replicaReads: Counter<'path' | 'server' | 'reason'>;
  private readonly pools = new Map<string, () => PoolStats | undefined>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'cairn_' });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'cairn_http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'cairn_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlOperations = new Counter({
      name: 'cairn_graphql_operations_total',
      help: 'GraphQL operations by door (http, ws), operation name (bounded; anonymous, other), type and outcome (ok or error code)',
      labelNames: ['door', 'operation', 'type', 'outcome'],
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'cairn_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by door, operation name and type (subscriptions: until they are set up)',
      labelNames: ['door', 'operation', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.lookupValues = new Counter({
      name: 'cairn_lookup_values_total',
      help: 'Distinct values asked about by checkIdentifiers, by outcome (counted, refused by quota)',
      labelNames: ['outcome'],
      registers,
    });
    this.lookupCalls = new Counter({
      name: 'cairn_lookup_calls_total',
      help: 'checkIdentifiers calls, by outcome (answered, refused by quota)',
      labelNames: ['outcome'],
      registers,
    });
    this.publishRechecksRefused = new Counter({
      name: 'cairn_publish_rechecks_refused_total',
      help: 'Bundle publishes checked again under the feed lock because a write committed meanwhile changed what their first check read',
      registers,
    });
    const timed = (name: string, what: string) =>
      new Histogram({ name, help: `${what}, by outcome (ok or error code)`, labelNames: ['outcome'], buckets: LATENCY_BUCKETS, registers });
    this.publishDuration = timed('cairn_publish_duration_seconds', 'Bundle publishes (GraphQL, TAXII, CLI import)');
    this.sightingDuration = timed('cairn_sighting_report_duration_seconds', 'Sighting reports (reportSighting, reportSightings)');
    this.lookupDuration = timed('cairn_lookup_duration_seconds', 'checkIdentifiers calls');
    this.feedLag = new Histogram({
      name: 'cairn_feed_lag_seconds',
      help: 'Seconds from a feed row being stored to its delivery to a live subscriber (replays after a reconnect are not counted)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.wsConnections = new Gauge({
      name: 'cairn_ws_connections',
      help: 'Open authenticated WebSocket connections on this instance',
      registers,
    });
    this.wsSubscriptions = new Gauge({ name: 'cairn_ws_subscriptions', help: 'Active GraphQL subscriptions on this instance', registers });
    this.dbPoolAcquire = new Histogram({
      name: 'cairn_db_pool_acquire_seconds',
      help: 'Seconds spent waiting for a connection from the database pool',
      labelNames: ['pool'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.replicaReads = new Counter({
      name: 'cairn_replica_reads_total',
      help: 'Reads that may be served by the replica, by path, server (replica, primary) and reason the primary served it (lagging, unavailable, none)',
      labelNames: ['path', 'server', 'reason'],
      registers,
    });
    const pools = this.pools;
    const poolGauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          for (const [pool, read] of pools) {
            const stats = read();
            if (stats) this.set({ pool }, pick(stats));
          }
        },
      });
    poolGauge('cairn_db_pool_max', 'Most connections the pool may open', (s) => s.max);
    poolGauge('cairn_db_pool_size', 'Connections the pool holds open', (s) => s.total);
    poolGauge('cairn_db_pool_in_use', 'Connections checked out of the pool', (s) => s.total - s.idle);
    poolGauge('cairn_db_pool_waiting', 'Queries waiting for a pool connection', (s) => s.waiting);
  }

  /** Reports a connection pool under `pool` (e.g. "app") at every scrape; `read` answers undefined while it has no pool. */
  watchPool(pool: string, read: () => PoolStats | undefined): void {
    this.pools.set(pool, read);
  }

  /** Runs fn and records its duration under its outcome. */
  async measure<T>(histogram: Histogram<'outcome'>, fn: () => Promise<T>): Promise<T> {
    const end = histogram.startTimer();
    try {
      const result = await fn();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: outcomeOf(err) });
      throw err;
    }
  }
}

type TimedHistogram = 'publishDuration' | 'sightingDuration' | 'lookupDuration';

/**
 * Records each call of the decorated async method in a Metrics histogram, by outcome. The instance
 * holds the app's Metrics as `metrics` (injected); without one (a hand-built service) calls run unmeasured.
 */
export function Measured(histogram: TimedHistogram): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: { metrics?: Metrics }, ...args: unknown[]) {
      const metrics = this.metrics;
      return metrics instanceof Metrics
        ? metrics.measure(metrics[histogram], () => original.apply(this, args))
        : original.apply(this, args);
    };
  };
}
