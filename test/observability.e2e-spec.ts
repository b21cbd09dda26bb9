import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { collect, wsClient } from './support/ws';
import { until, wsRun } from './support/ws-ops';
import { newApiKey, newTenant } from './factories/tenancy.factory';

const PUBLISH = 'mutation Publish($v: String!) { publishIndicators(indicators: [{ type: IP, value: $v }]) { created } }';
const CHECK = 'query Check($v: [String!]!) { checkIdentifiers(values: $v) { value known } }';
const REPORT = 'mutation Report($i: ReportSightingInput!) { reportSighting(input: $i) { id } }';

/** Samples of a Prometheus text exposition: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
const sampleNames = (text: string) => new Set([...samples(text).keys()].map((k) => k.split('{')[0]));
/** The value of the one sample named `name` whose labels include all of `labels` (0 if none). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, v] of samples(text)) {
    if (key.split('{')[0] !== name) continue;
    if (Object.entries(labels).every(([l, x]) => key.includes(`${l}="${x}"`))) total += v;
  }
  return total;
}

describe('observability: routes, GraphQL operations, logs and the metrics a dashboard reads', () => {
  let api: TestApp;
  let a: TenantEntity;
  let b: TenantEntity;
  let keyA: string;
  let keyB: string;
  const lines: string[] = [];
  const clients: Client[] = [];
  const scrape = async () => (await fetch(`${api.baseUrl}/metrics`)).text();
  const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    api = await startTestApp({ logLines: lines, env: { METRICS_MAX_OPERATION_NAMES: '8' } });
    a = await newTenant(api.app);
    b = await newTenant(api.app);
    keyA = await newApiKey(api.app, a);
    keyB = await newApiKey(api.app, b);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => {
    await api.close();
  });

  it('measures GraphQL, TAXII and health under their routes, never "unmatched"', async () => {
    expect((await gql(api.baseUrl, 'query Whoami { me { kind } }', {}, { authorization: keyA })).errors).toBeUndefined();
    expect(
      (await fetch(`${api.baseUrl}/taxii2/`, { headers: { authorization: keyA, accept: 'application/taxii+json;version=2.1' } })).status,
    ).toBe(200);
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
    const collection = randomUUID();
    expect(
      (
        await fetch(`${api.baseUrl}/taxii2/api/collections/${collection}/objects/`, {
          headers: { authorization: keyA, accept: 'application/taxii+json;version=2.1' },
        })
      ).status,
    ).toBe(404);
    const text = await scrape();
    expect(value(text, 'cairn_http_requests_total', { route: '/graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'cairn_http_requests_total', { route: '/health' })).toBeGreaterThanOrEqual(1);
    const routes = [...samples(text).keys()]
      .filter((k) => k.startsWith('cairn_http_requests_total'))
      .map((k) => /route="([^"]*)"/.exec(k)![1]);
    expect(routes).toContain('/taxii2');
    // A route with ids is labelled by its pattern, never by the ids a client put in the URL.
    expect(routes.some((r) => r.startsWith('/taxii2/') && r.includes('/collections/:'))).toBe(true);
    expect(routes.filter((r) => r.includes(collection))).toEqual([]);
    expect(value(text, 'cairn_http_requests_total', { route: 'unmatched' })).toBe(0);
  });

  it('counts operations by name and outcome on both doors; anonymous ones as "anonymous"', async () => {
    await gql(api.baseUrl, 'query Whoami { me { kind } }', {}, { authorization: keyA });
    await gql(api.baseUrl, '{ me { kind } }', {}, { authorization: keyB });
    expect((await gql(api.baseUrl, 'query Whoami { me { kind } }')).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const c = wsClient(api.baseUrl, keyB);
    clients.push(c);
    expect((await wsRun(c, 'query WsWhoami { me { kind } }')).errors).toBeUndefined();
    expect((await wsRun(c, 'query Broken { nope }')).errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const text = await scrape();
    expect(
      value(text, 'cairn_graphql_operations_total', { door: 'http', operation: 'Whoami', type: 'query', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(2);
    expect(value(text, 'cairn_graphql_operations_total', { door: 'http', operation: 'Whoami', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(value(text, 'cairn_graphql_operations_total', { door: 'http', operation: 'anonymous', outcome: 'ok' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(value(text, 'cairn_graphql_operations_total', { door: 'ws', operation: 'WsWhoami', type: 'query', outcome: 'ok' })).toBe(1);
    expect(value(text, 'cairn_graphql_operations_total', { door: 'ws', operation: 'Broken', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(
      1,
    );
    expect(value(text, 'cairn_graphql_operation_duration_seconds_count', { door: 'http', operation: 'Whoami' })).toBeGreaterThanOrEqual(3);
  });

  it('bounds operation-name labels: malformed or too long names and names past the cap are "other"', async () => {
    const long = `Q${'x'.repeat(80)}`;
    await gql(api.baseUrl, `query ${long} { serverInfo { name } }`);
    // A document that does not parse keeps the name the client sent, which may be anything.
    const res = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serverInfo {', operationName: '<script>"}\n' }),
    });
    expect(res.status).toBe(400);
    for (let i = 0; i < 12; i++) await gql(api.baseUrl, `query Invented${i} { serverInfo { name } }`);
    const text = await scrape();
    const names = new Set(
      [...samples(text).keys()].filter((k) => k.startsWith('cairn_graphql_operations_total')).map((k) => /operation="([^"]*)"/.exec(k)![1]),
    );
    expect(names.has('other')).toBe(true);
    expect(names.has(long)).toBe(false);
    expect([...names].some((n) => n.includes('script'))).toBe(false);
    // At most the cap of named labels, plus "anonymous" and "other".
    expect([...names].filter((n) => n !== 'other' && n !== 'anonymous').length).toBeLessThanOrEqual(8);
  });

  it('logs one line per request or operation with operation, tenant, key, code and duration, and no token or indicator value', async () => {
    lines.length = 0;
    const secretValue = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    expect((await gql(api.baseUrl, PUBLISH, { v: secretValue }, { authorization: keyA })).errors).toBeUndefined();
    await gql(api.baseUrl, 'query Whoami { me { kind } }', {}, { authorization: 'Bearer cairn_AAAAAAAA.' + 'B'.repeat(43) });
    const c = wsClient(api.baseUrl, keyB);
    clients.push(c);
    expect((await wsRun(c, CHECK, { v: [secretValue] })).errors).toBeUndefined();
    await until(() => logged().some((l) => l.operation === 'Check'), 'the WebSocket operation log line');

    const publish = logged().filter((l) => l.operation === 'Publish');
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ msg: 'request', route: '/graphql', status: 200, operationType: 'mutation', tenantId: a.id });
    expect(typeof publish[0].apiKeyId).toBe('string');
    expect(typeof publish[0].ms).toBe('number');
    expect(publish[0].code).toBeUndefined();
    const refused = logged().find((l) => l.operation === 'Whoami')!;
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refused.tenantId).toBeUndefined();
    const check = logged().find((l) => l.operation === 'Check')!;
    expect(check).toMatchObject({ msg: 'graphql', door: 'ws', operationType: 'query', tenantId: b.id });
    const all = lines.join('\n');
    for (const secret of [secretValue, keyA.split(' ')[1], keyB.split(' ')[1], 'B'.repeat(43)]) expect(all).not.toContain(secret);
  });

  it('exports pool, WebSocket, publish, sighting, lookup and feed-lag metrics without tenant labels', async () => {
    const c = wsClient(api.baseUrl, keyB);
    clients.push(c);
    const sub = collect<{ indicatorPublished: { id: string } }>(c, 'subscription Live { indicatorPublished { id } }');
    await until(async () => value(await scrape(), 'cairn_ws_subscriptions') >= 1, 'the subscription to be active');
    expect(value(await scrape(), 'cairn_ws_connections')).toBeGreaterThanOrEqual(1);
    expect((await gql(api.baseUrl, PUBLISH, { v: '198.51.100.61' }, { authorization: keyA })).errors).toBeUndefined();
    const bad = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [{ type: 'indicator', id: 'indicator--nope' }] };
    expect(
      (await gql(api.baseUrl, 'mutation Bad($b: JSON!) { publishBundle(bundle: $b) { created } }', { b: bad }, { authorization: keyA }))
        .errors![0].extensions!.code,
    ).toBe('BAD_USER_INPUT');
    await gql(api.baseUrl, CHECK, { v: ['198.51.100.61'] }, { authorization: keyB });
    // A sighting of nothing: refused, and counted under its code.
    await gql(
      api.baseUrl,
      REPORT,
      { i: { sightingOf: `indicator--${randomUUID()}`, firstSeen: '2025-06-02T09:00:00Z' } },
      { authorization: keyA },
    );
    await sub.waitFor(1);

    const text = await scrape();
    expect(value(text, 'cairn_db_pool_max', { pool: 'app' })).toBe(api.config.dbPoolSize);
    expect(value(text, 'cairn_db_pool_size', { pool: 'app' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'cairn_db_pool_acquire_seconds_count', { pool: 'app' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'cairn_publish_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'cairn_publish_duration_seconds_count', { outcome: 'BAD_USER_INPUT' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'cairn_lookup_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'cairn_sighting_report_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'cairn_sighting_report_duration_seconds_count', { outcome: 'ok' })).toBe(0);
    expect(value(text, 'cairn_feed_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    for (const id of [a.id, b.id]) expect(text).not.toContain(id);

    await c.dispose();
    await until(
      async () => value(await scrape(), 'cairn_ws_subscriptions') === 0 && value(await scrape(), 'cairn_ws_connections') === 0,
      'the gauges to fall back',
    );
  });

  it('ships a Grafana dashboard whose every metric is exported after this traffic', async () => {
    const dashboard = JSON.parse(readFileSync(join(__dirname, '..', 'ops', 'grafana', 'cairn-dashboard.json'), 'utf8')) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const used = new Set(exprs.flatMap((e) => e.match(/\bcairn_[a-z0-9_]+/g) ?? []));
    const exported = sampleNames(await scrape());
    const missing = [...used].filter((m) => !exported.has(m));
    expect(missing).toEqual([]);
    // Every metric this issue adds has a panel.
    for (const m of [
      'cairn_graphql_operations_total',
      'cairn_db_pool_in_use',
      'cairn_db_pool_waiting',
      'cairn_db_pool_acquire_seconds_bucket',
      'cairn_ws_connections',
      'cairn_ws_subscriptions',
      'cairn_publish_duration_seconds_count',
      'cairn_sighting_report_duration_seconds_count',
      'cairn_lookup_duration_seconds_count',
      'cairn_feed_lag_seconds_bucket',
    ]) {
      expect(used).toContain(m);
    }
  });
});
