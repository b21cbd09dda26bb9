import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus registry: default process metrics, HTTP request counts and latencies,
 * and identifier lookup volume. No label carries a tenant id: lookup volume per tenant is in the
 * tenant's own audit log, not in a scrape the operator's monitoring reads.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Distinct values of checkIdentifiers calls: `counted` (looked up, charged to the quota) or `refused` (over quota). */
  readonly lookupValues: Counter<'outcome'>;
  /** checkIdentifiers calls, `answered` or `refused` (over quota). */
  readonly lookupCalls: Counter<'outcome'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'cairn_' });
    this.httpRequests = new Counter({
      name: 'cairn_http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'cairn_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.lookupValues = new Counter({
      name: 'cairn_lookup_values_total',
      help: 'Distinct values asked about by checkIdentifiers, by outcome (counted, refused by quota)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.lookupCalls = new Counter({
      name: 'cairn_lookup_calls_total',
      help: 'checkIdentifiers calls, by outcome (answered, refused by quota)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
  }
}
