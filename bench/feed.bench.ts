import { fork, type ChildProcess } from 'node:child_process';
import { setViewer } from '@cairn/access';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector';
import WebSocket from 'ws';
import { Client } from 'pg';
import { ApiKeyService } from '@cairn/auth';
import { JsonLogger, loadConfig, TEST_SECRETS } from '@cairn/common';
import { CursorCipher, IntelService, StoredObjectsService } from '@cairn/intel';
import { FeedHub, FeedService } from '@cairn/sightings';
// The feed statement itself, measured without the service around it (not part of the lib's surface).
import { feedRows } from '../libs/sightings/src/sighting-facts';
import { TenancyService } from '@cairn/tenancy';
import { createApp } from '../apps/api/src/create-app';
import { BENCH_CURSOR_SECRET, benchEnv, fmt, median, ms1, numberArg, percentile, postJson, sleep, wallNow, type Bench } from './bench';
import { benchDatabase } from './bench-database';

/*
 * Feed bench (issue 6): publish → subscriber latency with 1,000 graphql-ws subscribers on TWO API
 * instances sharing one database, ~20 tenants, sightings ingested at a steady rate over HTTP.
 *
 * Each API instance runs createApp in its own child process (this file, forked with
 * --cairn-bench-api), so that the two instances, PostgreSQL and the load generator are separate
 * processes the OS can spread over the cores — as in production — and so that an instance's RSS
 * and CPU are its own. The parent process (the load generator) talks to a child over IPC to set
 * up tenants and keys through the services, to read its RSS, CPU, event-loop delay and FeedHub
 * timings, and to take a CPU profile.
 *
 * The helpers exported here (database settings, API child, subscriber client, load loops) are
 * shared with soak.bench.ts; the generic ones are in bench.ts and bench-database.ts.
 */

// ───────────────────────────── shared helpers ─────────────────────────────

/** Server settings of the feed and soak databases, beyond benchDatabase's: more connections than PostgreSQL's default 100, and a larger buffer cache. */
export const FEED_PG_FLAGS = ['-c', 'max_connections=300', '-c', 'shared_buffers=256MB'];

/** Process RSS in bytes from /proc (Linux), without disturbing the process. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Sum of busy and total CPU time over all cores (ms), for a machine-wide utilisation figure. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

export interface ChildStats {
  rss: number;
  heapUsed: number;
  subscribers: number;
  /** CPU seconds (user + system) since the last 'stats' with reset, and wall seconds. */
  cpuSeconds: number;
  wallSeconds: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

export interface HubTimings {
  /** FeedService.since calls (one per tenant and filter group per delivery pass). */
  sinceCalls: number;
  sinceP50: number;
  sinceP99: number;
  rowsFetched: number;
  accessScopeCalls: number;
  notifications: number;
  /** Per `${tenantId}|${feedSeq}`: [query start, query end] (wall ms) the first time this instance fetched the row for that tenant. */
  rows: Array<[string, number, number]>;
}

/** One API instance (createApp) in a child process. */
export class ApiChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private exited = false;

  private constructor(
    readonly proc: ChildProcess,
    readonly baseUrl: string,
  ) {
    proc.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    proc.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`API child exited (${code})`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Starts an instance on `databaseUrl` with benchEnv's environment (plus `extraEnv`), on a free loopback port. */
  static async start(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<ApiChild> {
    const proc = fork(__filename, ['--cairn-bench-api'], {
      // --expose-gc: 'stats' with { gc: true } can report the heap after a full collection (a leak indicator).
      // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the instances alone.
      execArgv: ['--expose-gc', ...(process.env.BENCH_CHILD_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), '-r', resolve(__dirname, '..', '..', 'scripts', 'register-aliases.js')],
      env: { ...process.env, ...benchEnv(databaseUrl, { PORT: '0', HOST: '127.0.0.1', ...extraEnv }) },
      // The instance's JSON log lines (level error) are counted and summarised, not echoed.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const logs = { lines: 0, messages: new Map<string, number>() };
    for (const stream of [proc.stdout!, proc.stderr!]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          logs.lines++;
          let msg = line.slice(0, 160);
          try {
            msg = String((JSON.parse(line) as { msg?: unknown }).msg ?? msg).slice(0, 160);
          } catch {
            // not JSON: keep the text
          }
          logs.messages.set(msg, (logs.messages.get(msg) ?? 0) + 1);
        }
      });
    }
    const port = await new Promise<number>((res, rej) => {
      proc.once('message', (m: { ready?: number; error?: string }) => (m.ready ? res(m.ready) : rej(new Error(m.error ?? 'API child failed'))));
      proc.once('exit', (code) => rej(new Error(`API child exited during start-up (${code})`)));
    });
    const child = new ApiChild(proc, `http://127.0.0.1:${port}`);
    child.logs = logs;
    return child;
  }

  logs = { lines: 0, messages: new Map<string, number>() };

  /** "N log lines (message ×count, …)" of what the instance logged (errors only, at LOG_LEVEL=error). */
  logSummary(): string {
    if (this.logs.lines === 0) return 'no error log lines';
    const top = [...this.logs.messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    return `${fmt(this.logs.lines)} error log lines (${top.map(([m, n]) => `"${m}" ×${fmt(n)}`).join('; ')})`;
  }

  call<T>(cmd: string, args: unknown = {}): Promise<T> {
    if (this.exited) return Promise.reject(new Error('API child is not running'));
    const id = this.nextId++;
    return new Promise<T>((res, rej) => {
      this.pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
      this.proc.send({ id, cmd, args });
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
    await this.call('close').catch(() => undefined);
    await Promise.race([gone, sleep(15_000)]);
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

/**
 * Samples pg_stat_activity of the bench database every `everyMs` (a poor man's profiler for
 * PostgreSQL): what its client backends are doing — running, waiting on a lock, idle in a
 * transaction (waiting for the app) — and in which statement.
 */
export class PgActivitySampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private backendSamples = 0;
  private blockerSamples = 0;
  private readonly blockers = new Map<string, { n: number; ms: number[] }>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  private client?: Client;

  constructor(private readonly databaseUrl: string) {}

  async start(everyMs = 50): Promise<void> {
    this.client = new Client({ connectionString: this.databaseUrl, application_name: 'bench-sampler' });
    await this.client.connect();
    const db = new URL(this.databaseUrl).pathname.slice(1);
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.client!.query(
        `SELECT state, coalesce(wait_event_type, '') AS wt, coalesce(wait_event, '') AS we, left(btrim(regexp_replace(query, '[[:space:]]+', ' ', 'g')), 70) AS q
           FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'
             AND application_name <> 'cairn-feed-listener'`,
        [db],
      )
        .then(async ({ rows }) => {
          // Every 10th sample: who blocks the others (pg_blocking_pids), and what it is doing.
          if (this.samples % 10 === 0) {
            const blockers = await this.client!.query(
              `WITH b AS (SELECT DISTINCT unnest(pg_blocking_pids(pid)) AS pid FROM pg_stat_activity WHERE datname = $1)
               SELECT a.state, coalesce(a.wait_event_type, '') AS wt, coalesce(a.wait_event, '') AS we,
                      left(btrim(regexp_replace(a.query, '[[:space:]]+', ' ', 'g')), 60) AS q,
                      extract(epoch FROM clock_timestamp() - a.state_change) * 1000 AS ms
                 FROM b JOIN pg_stat_activity a USING (pid)`,
              [db],
            );
            for (const r of blockers.rows as Array<{ state: string; wt: string; we: string; q: string; ms: number }>) {
              this.blockerSamples++;
              const what = r.state === 'active' ? (r.wt ? `waiting ${r.wt}:${r.we}` : 'running') : r.state;
              const key = `${what.padEnd(28)} ${r.q}`;
              const e = this.blockers.get(key) ?? { n: 0, ms: [] as number[] };
              e.n++;
              e.ms.push(Number(r.ms));
              this.blockers.set(key, e);
            }
          }
          this.samples++;
          for (const r of rows as Array<{ state: string; wt: string; we: string; q: string }>) {
            this.backendSamples++;
            const what = r.state === 'active' ? (r.wt ? `waiting ${r.wt}:${r.we}` : 'running') : r.state;
            const key = `${what.padEnd(28)} ${r.q}`;
            this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
          }
        })
        .catch(() => undefined)
        .finally(() => (this.busy = false));
    }, everyMs);
  }

  async stop(): Promise<string> {
    clearInterval(this.timer);
    await this.client?.end();
    const top = [...this.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    return (
      `    PostgreSQL, sampled from pg_stat_activity (${fmt(this.samples)} samples): ${(this.backendSamples / Math.max(1, this.samples)).toFixed(1)} non-idle client backends on average; top (state, statement):\n` +
      top.map(([k, n]) => `      ${((100 * n) / Math.max(1, this.backendSamples)).toFixed(1).padStart(5)} %  ${k}`).join('\n') +
      (this.blockers.size
        ? `\n    backends blocking others (lock holders), ${fmt(this.blockerSamples)} observations; state, its last statement, median time in that state:\n` +
          [...this.blockers.entries()]
            .sort((a, b) => b[1].n - a[1].n)
            .slice(0, 6)
            .map(([k, e]) => `      ${((100 * e.n) / this.blockerSamples).toFixed(1).padStart(5)} %  ${k}  (${ms1(median(e.ms))} ms)`)
            .join('\n')
        : '')
    );
  }
}

/** The instances' cursor key (benchEnv), so the bench can read the positions behind the cursors it is given. */
const benchCursors = new CursorCipher(BENCH_CURSOR_SECRET);

export interface BenchTenant {
  id: string;
  slug: string;
  country: string;
  sectors: string[];
  defaultDistribution: string;
  key: string;
}

/** Creates tenants (with one API key each) through TenancyService / ApiKeyService in an API child. */
export function createTenants(api: ApiChild, list: Array<{ slug: string; name: string; country: string; sectors: string[]; defaultDistribution?: string; defaultTlp?: string }>, scopes: string[]): Promise<BenchTenant[]> {
  return api.call<BenchTenant[]>('tenants', { list, scopes });
}

/** May tenant `viewer` see an object `publisher` shared with its default sharing? The DESIGN.md rule (no country narrowing). */
export function mayView(publisher: BenchTenant, viewer: BenchTenant): boolean {
  if (publisher.id === viewer.id) return true;
  switch (publisher.defaultDistribution) {
    case 'COMMUNITY':
      return true;
    case 'SECTOR':
      return publisher.sectors.some((s) => viewer.sectors.includes(s));
    default:
      return false; // ORGANISATION (RECIPIENTS / SHARING_GROUP are not used as defaults here)
  }
}

export const indicatorDoc = (i: number) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2025-01-01T00:00:00.000Z', modified: '2025-01-01T00:00:00.000Z',
  name: `DPRK IT worker applicant ${i}`, description: 'Applicant persona seen across several members', labels: ['dprk-it-worker'],
  pattern: `[ipv4-addr:value = '198.51.${(i >> 8) & 255}.${i & 255}']`, pattern_type: 'stix', valid_from: '2025-01-01T00:00:00Z',
});

export interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function gql<T>(baseUrl: string, key: string, query: string, variables: Record<string, unknown>): Promise<GqlResult<T>> {
  const res = await postJson<Omit<GqlResult<T>, 'status'>>(`${baseUrl}/graphql`, { query, variables }, { authorization: `Bearer ${key}` });
  return { status: res.status, ...res.body };
}

/**
 * A minimal graphql-transport-ws client (the protocol graphql-ws speaks) over `ws`: one socket,
 * one subscription. Lighter than the graphql-ws client, so that 1,000 of them in one process cost
 * the load generator as little as possible; the receipt time is taken before the JSON is parsed.
 */
export class FeedSubscriber {
  private socket?: WebSocket;
  closeCode?: number;
  errors = 0;

  constructor(
    readonly index: number,
    readonly tenantIndex: number,
    readonly instance: number,
    private readonly onEvent: (sub: FeedSubscriber, at: number, payload: { id: string; cursor: string } | undefined) => void,
  ) {}

  connect(baseUrl: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<void> {
    return new Promise((res, rej) => {
      const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws', { perMessageDeflate: false });
      this.socket = socket;
      let acked = false;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: key } })));
      socket.on('message', (data: Buffer) => {
        const at = wallNow();
        const msg = JSON.parse(data.toString('utf8')) as { type: string; payload?: { data?: Record<string, { id: string; cursor: string }>; errors?: unknown } | unknown[] };
        if (msg.type === 'next') {
          const p = msg.payload as { data?: Record<string, { id: string; cursor: string }>; errors?: unknown };
          if (p.errors || !p.data) this.errors++;
          const first = p.data ? Object.values(p.data)[0] : undefined;
          this.onEvent(this, at, first);
        } else if (msg.type === 'connection_ack') {
          acked = true;
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
          res();
        } else if (msg.type === 'error') {
          this.errors++;
        } else if (msg.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        }
      });
      socket.on('close', (code) => {
        this.closeCode = code;
        if (!acked) rej(new Error(`subscriber ${this.index} closed before ack (${code})`));
      });
      socket.on('error', (err) => {
        if (!acked) rej(err);
      });
    });
  }

  close(): void {
    this.socket?.close(1000);
  }
}

/** Opens subscribers in waves of `wave` connections. */
export async function connectAll(subs: Array<() => Promise<void>>, wave = 50): Promise<void> {
  for (let i = 0; i < subs.length; i += wave) await Promise.all(subs.slice(i, i + wave).map((f) => f()));
}

function latencySummary(sorted: number[]): string {
  return `p50 ${ms1(percentile(sorted, 50))} ms, p90 ${ms1(percentile(sorted, 90))} ms, p99 ${ms1(percentile(sorted, 99))} ms, max ${ms1(sorted[sorted.length - 1] ?? NaN)} ms`;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time of a V8 CPU profile grouped by `keyOf`, the `top` largest groups, in % of all samples. */
function selfTimeBy(nodes: ProfileNode[], keyOf: (n: ProfileNode) => string, top: number): Array<{ key: string; pct: number }> {
  const hits = new Map<string, number>();
  let total = 0;
  for (const n of nodes) {
    const h = n.hitCount ?? 0;
    if (!h) continue;
    total += h;
    const key = keyOf(n);
    hits.set(key, (hits.get(key) ?? 0) + h);
  }
  return [...hits.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, h]) => ({ key, pct: (100 * h) / total }));
}

/** Top self-time entries, by function and file. */
function summariseProfile(profile: { nodes: ProfileNode[] }, top = 25): Array<{ fn: string; pct: number }> {
  return selfTimeBy(profile.nodes, (n) => {
    const url = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
    return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
  }, top).map(({ key, pct }) => ({ fn: key, pct }));
}

/** Self time grouped by package (node_modules/<pkg>), app code and node internals. */
function profileByPackage(profile: { nodes: ProfileNode[] }): Array<{ pkg: string; pct: number }> {
  return selfTimeBy(profile.nodes, (n) => {
    const url = n.callFrame.url;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    if (url.includes('/dist/')) return 'cairn: ' + url.replace(/^.*\/dist\//, '').split('/').slice(0, 2).join('/');
    if (url.startsWith('node:')) return 'node internals';
    return n.callFrame.functionName ? `(${n.callFrame.functionName})` : '(native/other)';
  }, 15).map(({ key, pct }) => ({ pkg: key, pct }));
}

// ───────────────────────────── the API child ─────────────────────────────

async function childMain(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL!;
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl }, TEST_SECRETS);
  const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;

  // Instrumentation, bench-only: wraps FeedService.since and TenancyService.accessScope on this
  // instance's singletons (FeedHub calls them) and listens to the hub's wake-ups.
  const feed = app.get(FeedService);
  const tenancy = app.get(TenancyService);
  const hub = app.get(FeedHub);
  let recording = false;
  let sinceTimes: number[] = [];
  let scopeTimes: number[] = [];
  let rowsFetched = 0;
  let notifications = 0;
  const firstFetch = new Map<string, [number, number]>();
  const since = feed.since.bind(feed);
  feed.since = async (...args: Parameters<FeedService['since']>) => {
    const [scope] = args;
    const t0 = wallNow();
    const rows = await since(...args);
    const t1 = wallNow();
    if (recording) {
      sinceTimes.push(t1 - t0);
      rowsFetched += rows.length;
      for (const r of rows) {
        const k = `${scope.tenantId}|${r.feedSeq}`;
        if (!firstFetch.has(k)) firstFetch.set(k, [t0, t1]);
      }
    }
    return rows;
  };
  const accessScope = tenancy.accessScope.bind(tenancy);
  tenancy.accessScope = async (tenantId: string) => {
    const t0 = performance.now();
    const s = await accessScope(tenantId);
    if (recording) scopeTimes.push(performance.now() - t0);
    return s;
  };
  const listener = (hub as unknown as { listener?: { on(e: string, f: () => void): void } }).listener;
  listener?.on('notification', () => recording && notifications++);

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let cpuMark = process.cpuUsage();
  let wallMark = performance.now();
  let profiler: Session | undefined;

  const handlers: Record<string, (args: any) => Promise<unknown>> = {
    async tenants({ list, scopes }: { list: Array<Record<string, unknown>>; scopes: string[] }) {
      const created = await tenancy.createTenants(list as never);
      const keys = app.get(ApiKeyService);
      const out: BenchTenant[] = [];
      for (const t of created) {
        const { secret } = await keys.create({ tenantId: t.id, name: 'bench', scopes: scopes as never });
        out.push({ id: t.id, slug: t.slug, country: t.country, sectors: t.sectors, defaultDistribution: t.defaultDistribution, key: secret });
      }
      return out;
    },
    async store({ tenantId, docs, sharing }: { tenantId: string; docs: Array<Record<string, unknown>>; sharing: Record<string, unknown> }) {
      const viewer = { kind: 'apikey' as const, tenantId, operator: false, scopes: new Set(['intel:read', 'intel:write']) };
      return app.get(IntelService).storeObjects(viewer as never, docs, sharing as never);
    },
    async stats({ reset, gc }: { reset?: boolean; gc?: boolean }): Promise<ChildStats> {
      if (gc) (globalThis as { gc?: () => void }).gc?.();
      const cpu = process.cpuUsage(cpuMark);
      const wall = (performance.now() - wallMark) / 1000;
      const out: ChildStats = {
        rss: process.memoryUsage.rss(),
        heapUsed: process.memoryUsage().heapUsed,
        subscribers: hub.subscriberCount,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: wall,
        loopDelayP99: loop.percentile(99) / 1e6,
        loopDelayMax: loop.max / 1e6,
      };
      if (reset) {
        cpuMark = process.cpuUsage();
        wallMark = performance.now();
        loop.reset();
      }
      return out;
    },
    async scope({ tenantId }: { tenantId: string }) {
      return accessScope(tenantId);
    },
    async 'instrument-start'() {
      sinceTimes = [];
      scopeTimes = [];
      rowsFetched = 0;
      notifications = 0;
      firstFetch.clear();
      recording = true;
      return null;
    },
    async 'instrument-stop'(): Promise<HubTimings> {
      recording = false;
      const s = [...sinceTimes].sort((a, b) => a - b);
      const a = [...scopeTimes].sort((x, y) => x - y);
      return {
        sinceCalls: s.length,
        sinceP50: percentile(s, 50),
        sinceP99: percentile(s, 99),
        rowsFetched,
        accessScopeCalls: a.length,
        notifications,
        rows: [...firstFetch.entries()].map(([k, [t0, t1]]) => [k, t0, t1]),
      };
    },
    async 'profile-start'() {
      profiler = new Session();
      profiler.connect();
      const post = (m: string, p?: object) => new Promise<void>((r, j) => profiler!.post(m, p ?? {}, (err) => (err ? j(err) : r())));
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 500 });
      await post('Profiler.start');
      return null;
    },
    async 'profile-stop'({ file }: { file?: string }) {
      if (!profiler) return null;
      const profile = await new Promise<any>((r, j) => profiler!.post('Profiler.stop', {}, (err, res) => (err ? j(err) : r((res as { profile: unknown }).profile))));
      profiler.disconnect();
      profiler = undefined;
      if (file) writeFileSync(file, JSON.stringify(profile));
      return { top: summariseProfile(profile), packages: profileByPackage(profile) };
    },
    async close() {
      setTimeout(() => {
        void app.close().finally(() => process.exit(0));
      }, 10);
      return null;
    },
  };

  process.on('message', (m: { id: number; cmd: string; args: unknown }) => {
    const h = handlers[m.cmd];
    if (!h) return process.send!({ id: m.id, ok: false, error: `unknown command ${m.cmd}` });
    h(m.args).then(
      (result) => process.send!({ id: m.id, ok: true, result }),
      (err: unknown) => process.send!({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
  process.send!({ ready: port });
}

if (require.main === module && process.argv.includes('--cairn-bench-api')) {
  childMain().catch((err: unknown) => {
    process.send?.({ error: err instanceof Error ? err.stack : String(err) });
    process.stderr.write(`API child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}

// ───────────────────────────── the feed bench ─────────────────────────────

/** The tenants' sectors and countries of the feed and soak benches. */
export const FEED_SECTORS = ['technology', 'financial-services', 'healthcare', 'insurance', 'government-public-services', 'manufacturing', 'professional-services', 'artificial-intelligence'];
export const FEED_COUNTRIES = ['US', 'GB', 'DE', 'US', 'CA', 'FR', 'US', 'NL', 'IN', 'SG'];
const REPORT_MANY = `mutation($i: [ReportSightingInput!]!) { reportSightings(inputs: $i) { id cursor } }`;
const SUB = `subscription { sightingReported { cursor id type object } }`;
const STAGES = ['APPLICATION', 'INTERVIEW', 'OFFER', 'HIRED'];
const ROLES = ['SOFTWARE', 'DATA', 'PAYROLL_ACCOUNTING', 'IT_SUPPORT', 'AI_ML'];
const CHANNELS = ['JOB_BOARD', 'STAFFING_AGENCY', 'FREELANCE_PLATFORM'];

/** Growable typed columns of receipts: subscriber, sighting, time. No per-event objects in the load generator. */
class Receipts {
  sub = new Uint32Array(1 << 20);
  sighting = new Int32Array(1 << 20);
  at = new Float64Array(1 << 20);
  n = 0;
  push(sub: number, sighting: number, at: number): void {
    if (this.n === this.at.length) {
      const grow = <T extends Uint32Array | Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.sub = grow(this.sub);
      this.sighting = grow(this.sighting);
      this.at = grow(this.at);
    }
    this.sub[this.n] = sub;
    this.sighting[this.n] = sighting;
    this.at[this.n] = at;
    this.n++;
  }
}

interface Sent {
  publisher: number;
  instance: number;
  start: number;
  ack: number;
  seq: bigint;
  phase: 'warm' | 'measure' | 'max';
}

async function runFeed(args: string[]): Promise<void> {
  const tenantCount = numberArg(args, 'tenants', 20);
  const subscriberCount = numberArg(args, 'subscribers', 1000);
  const rate = numberArg(args, 'rate', 500);
  const batch = numberArg(args, 'batch', 10);
  const seconds = numberArg(args, 'seconds', 20);
  const warmSeconds = numberArg(args, 'warm', 3);
  const maxSeconds = numberArg(args, 'max-seconds', 5);
  const maxBatch = numberArg(args, 'max-batch', 100);
  const maxConcurrency = numberArg(args, 'max-concurrency', 8);
  const profile = args.includes('--profile');

  const db = await benchDatabase('feed', FEED_PG_FLAGS);
  const apis: ApiChild[] = [];
  const subscribers: FeedSubscriber[] = [];
  try {
    apis.push(await ApiChild.start(db.databaseUrl), await ApiChild.start(db.databaseUrl));

    // ~20 member tenants over 8 sectors and several countries. Sightings are stored with the
    // reporter's default sharing (reportSightings takes none): SECTOR for most, ORGANISATION for
    // every tenth — whose sightings only its own subscribers may get.
    const plan = Array.from({ length: tenantCount }, (_, i) => ({
      slug: `feed-${i}-${Date.now().toString(36)}`,
      name: `Feed member ${i}`,
      country: FEED_COUNTRIES[i % FEED_COUNTRIES.length],
      sectors: [FEED_SECTORS[i % FEED_SECTORS.length]],
      defaultDistribution: i % 10 === 9 ? 'ORGANISATION' : 'SECTOR',
    }));
    const tenants = await createTenants(apis[0], plan, ['intel:read', 'sightings:write']);
    const subjects = Array.from({ length: 50 }, (_, i) => indicatorDoc(i));
    await apis[0].call('store', { tenantId: tenants[0].id, docs: subjects, sharing: { distribution: 'COMMUNITY', tlp: 'GREEN' } });
    const subjectIds = subjects.map((s) => s.id);

    const sent: Sent[] = [];
    const idIndex = new Map<string, number>();
    let rngState = 12345;
    const rand = (n: number) => ((rngState = (rngState * 1103515245 + 12345) & 0x7fffffff) % n);
    const inputs = (n: number) =>
      Array.from({ length: n }, () => ({
        sightingOf: subjectIds[rand(subjectIds.length)],
        firstSeen: '2025-06-02T09:00:00Z',
        confidence: 50 + rand(50),
        interviewStage: STAGES[rand(STAGES.length)],
        roleCategory: ROLES[rand(ROLES.length)],
        hiringChannel: CHANNELS[rand(CHANNELS.length)],
      }));
    const callErrors: string[] = [];
    /** One reportSightings call; records each stored sighting's call start and ack. */
    const report = async (publisher: number, instance: number, n: number, phase: Sent['phase']): Promise<number> => {
      const start = wallNow();
      const res = await gql<{ reportSightings: Array<{ id: string; cursor: string }> }>(apis[instance].baseUrl, tenants[publisher].key, REPORT_MANY, { i: inputs(n) }).catch(
        (err: Error) => ({ status: 0, errors: [{ message: err.message }] }) as GqlResult<never>,
      );
      const ack = wallNow();
      if (!res.data) {
        if (callErrors.length < 5) callErrors.push(JSON.stringify(res.errors).slice(0, 300));
        else callErrors.push('');
        return 0;
      }
      for (const s of res.data.reportSightings) {
        idIndex.set(s.id, sent.length);
        sent.push({ publisher, instance, start, ack, seq: BigInt(benchCursors.open('graphql', tenants[publisher].id, s.cursor) ?? '0'), phase });
      }
      return res.data.reportSightings.length;
    };

    // Every tenant reports once on each instance (creates the cells' shared identities, warms the JIT).
    for (let i = 0; i < 2; i++) await Promise.all(tenants.map((_, t) => report(t, i, 5, 'max')));

    /** Closed loop: `workers` callers, batches of `size`, for `ms`. */
    const maxIngest = async (ms: number, size: number, workers: number) => {
      const t0 = performance.now();
      let stored = 0;
      const lat: number[] = [];
      let k = 0;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (performance.now() - t0 < ms) {
            const i = k++;
            const c0 = performance.now();
            stored += await report(i % tenants.length, Math.floor(i / tenants.length) % 2, size, 'max');
            lat.push(performance.now() - c0);
          }
        }),
      );
      const secs = (performance.now() - t0) / 1000;
      lat.sort((a, b) => a - b);
      return { perSecond: stored / secs, calls: lat.length, p99: percentile(lat, 99) };
    };

    const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `feed: ${tenants.length} tenants over ${FEED_SECTORS.length} sectors (${tenants.filter((t) => t.defaultDistribution === 'ORGANISATION').length} share ORGANISATION, the rest SECTOR), ` +
        `2 API instances (createApp, one child process each, one database), ${subscriberCount} subscribers, ${cpus().length} cores (${cpuModel})`,
    );
    const before = await maxIngest(maxSeconds * 1000, maxBatch, maxConcurrency);
    console.log(`  max ingest, no subscribers: ${fmt(before.perSecond)} sightings/s (reportSightings over HTTP, ${maxBatch} per call, ${maxConcurrency} callers, alternating instances; call p99 ${ms1(before.p99)} ms)`);

    // Subscribers: spread evenly over tenants, alternating instances.
    const receipts = new Receipts();
    const unknownIds: string[] = [];
    const onEvent = (sub: FeedSubscriber, at: number, item: { id: string; cursor: string } | undefined) => {
      if (!item) return;
      let idx = idIndex.get(item.id);
      if (idx === undefined) {
        // Arrived before the report call returned: resolve later.
        unknownIds.push(item.id);
        idx = -unknownIds.length;
      }
      receipts.push(sub.index, idx, at);
    };
    for (let s = 0; s < subscriberCount; s++) subscribers.push(new FeedSubscriber(s, s % tenants.length, Math.floor(s / tenants.length) % 2, onEvent));
    const connectStart = performance.now();
    await connectAll(subscribers.map((s) => () => s.connect(apis[s.instance].baseUrl, tenants[s.tenantIndex].key, SUB)));
    // Wait until every subscription is registered in a FeedHub (its cursor is then set).
    for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
      const counts = await Promise.all(apis.map((a) => a.call<ChildStats>('stats', {})));
      if (counts.reduce((n, c) => n + c.subscribers, 0) >= subscriberCount) break;
      if (Date.now() > deadline) throw new Error(`only ${counts.map((c) => c.subscribers).join(' + ')} of ${subscriberCount} subscriptions registered`);
    }
    console.log(`  ${subscriberCount} subscribers connected and registered in ${fmt(performance.now() - connectStart)} ms (${subscribers.filter((s) => s.instance === 0).length} + ${subscribers.filter((s) => s.instance === 1).length})`);

    // Steady ingest: one reportSightings call of `batch` every batch/rate seconds, open loop
    // (a late call does not delay the next), rotating tenants and instances.
    const interval = (1000 * batch) / rate;
    const steady = async (ms: number, phase: Sent['phase'], every = interval) => {
      const inFlight = new Set<Promise<unknown>>();
      let late = 0;
      const t0 = performance.now();
      for (let k = 0; ; k++) {
        const due = t0 + k * every;
        if (due - t0 >= ms) break;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        else if (wait < -every) late++;
        if (inFlight.size >= 256) {
          late++;
          await Promise.race(inFlight);
        }
        const p = report(k % tenants.length, Math.floor(k / tenants.length) % 2, batch, phase);
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      await Promise.all(inFlight);
      return { seconds: (performance.now() - t0) / 1000, late };
    };
    await steady(warmSeconds * 1000, 'warm');
    await Promise.all(apis.map((a) => a.call('stats', { reset: true })));
    await Promise.all(apis.map((a) => a.call('instrument-start')));
    if (profile) await Promise.all(apis.map((a) => a.call('profile-start')));
    const cpu0 = cpuTimes();
    const self0 = process.cpuUsage();
    const selfLoop = monitorEventLoopDelay({ resolution: 5 });
    selfLoop.enable();
    const sampler = new PgActivitySampler(db.databaseUrl);
    await sampler.start();
    const measuredFrom = sent.length;
    const run = await steady(seconds * 1000, 'measure');
    const measuredTo = sent.length;
    const cpu1 = cpuTimes();
    const selfCpu = process.cpuUsage(self0);
    selfLoop.disable();
    const pgActivity = await sampler.stop();
    const stats = await Promise.all(apis.map((a) => a.call<ChildStats>('stats', { reset: true })));
    const profiles = profile ? await Promise.all(apis.map((a, i) => a.call<{ top: Array<{ fn: string; pct: number }>; packages: Array<{ pkg: string; pct: number }> }>('profile-stop', { file: join(tmpdir(), `cairn-feed-api${i}.cpuprofile`) }))) : [];

    // Expected deliveries of everything reported so far (warm-up and measured), then drain.
    const subsOfTenant = tenants.map((_, t) => subscribers.filter((s) => s.tenantIndex === t).length);
    const audience = tenants.map((p) => tenants.map((v) => mayView(p, v)));
    let expected = 0;
    const firstTracked = sent.findIndex((s) => s.phase === 'warm');
    for (let i = firstTracked; i < sent.length; i++) for (let t = 0; t < tenants.length; t++) if (audience[sent[i].publisher][t]) expected += subsOfTenant[t];
    const drainStart = performance.now();
    let lastN = -1;
    let still = 0;
    while (performance.now() - drainStart < 60_000) {
      await sleep(250);
      if (receipts.n === lastN) {
        if (++still >= 12) break; // 3 s without a delivery
      } else still = 0;
      lastN = receipts.n;
    }
    const drainMs = performance.now() - drainStart;
    const timings = await Promise.all(apis.map((a) => a.call<HubTimings>('instrument-stop')));
    if (args.includes('--explain')) {
      // The plan of one delivery pass's query (FeedService.since) for tenant 0, as cairn_app under RLS, from the first measured sighting.
      const scope = await apis[0].call<{ tenantId: string; country: string; sectors: string[]; groupIds: string[] }>('scope', { tenantId: tenants[0].id });
      const owner = new Client({ connectionString: db.databaseUrl });
      await owner.connect();
      await owner.query('BEGIN');
      await owner.query('SET LOCAL ROLE cairn_app');
      await setViewer(owner, scope);
      const plans: string[] = [];
      const m = {
        query: async (sql: string, params: unknown[]) => {
          plans.push((await owner.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
          return [];
        },
      };
      await feedRows(new StoredObjectsService(undefined as never), m as never, scope, { types: ['sighting'] }, { afterSeq: String(sent[measuredFrom].seq - 1n), limit: 500, newestFirst: false });
      await owner.query('COMMIT');
      await owner.end();
      console.log(`  EXPLAIN ANALYZE of a delivery pass's query (tenant 0, from the first measured sighting):\n${plans.join('\n')}`);
    }

    // Score every receipt.
    const resolveIdx = (raw: number) => (raw >= 0 ? raw : (idIndex.get(unknownIds[-raw - 1]) ?? -1));
    const seen = new Set<number>();
    let correct = 0;
    let wrong = 0;
    let duplicates = 0;
    let foreign = 0;
    const fromStart: number[] = [];
    const fromAck: number[] = [];
    const perInstance: number[][] = [[], []];
    const stage = { wake: [] as number[], query: [] as number[], push: [] as number[] };
    const fetched = timings.map((t) => new Map(t.rows.map(([k, a, b]) => [k, [a, b] as const])));
    for (let r = 0; r < receipts.n; r++) {
      const idx = resolveIdx(receipts.sighting[r]);
      if (idx < firstTracked) {
        if (idx < 0) foreign++;
        continue; // the pre-warm reports and max phase before subscribers
      }
      const sub = subscribers[receipts.sub[r]];
      const s = sent[idx];
      const key = idx * subscriberCount + sub.index;
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      if (!audience[s.publisher][sub.tenantIndex]) {
        wrong++;
        continue;
      }
      correct++;
      if (s.phase !== 'measure') continue;
      const at = receipts.at[r];
      fromStart.push(at - s.start);
      fromAck.push(at - s.ack);
      perInstance[sub.instance].push(at - s.start);
      const f = fetched[sub.instance].get(`${tenants[sub.tenantIndex].id}|${s.seq}`);
      if (f) {
        stage.wake.push(f[0] - s.ack);
        stage.query.push(f[1] - f[0]);
        stage.push.push(at - f[1]);
      }
    }
    const missed = expected - correct;
    const sort = (xs: number[]) => xs.sort((a, b) => a - b);
    [fromStart, fromAck, perInstance[0], perInstance[1], stage.wake, stage.query, stage.push].forEach(sort);
    const measured = sent.slice(measuredFrom, measuredTo);
    const callLat = sort(measured.filter((s, i, a) => i === 0 || a[i - 1].start !== s.start).map((s) => s.ack - s.start));
    const deliveries = measured.reduce((n, s) => n + tenants.reduce((m, _, t) => m + (audience[s.publisher][t] ? subsOfTenant[t] : 0), 0), 0);
    const busy = (100 * (cpu1.busy - cpu0.busy)) / (cpu1.total - cpu0.total);
    const dropped = subscribers.filter((s) => s.closeCode !== undefined).length;
    const subErrors = subscribers.reduce((n, s) => n + s.errors, 0);

    console.log(
      `  steady ingest: ${fmt(measured.length / run.seconds)} sightings/s for ${run.seconds.toFixed(1)} s (target ${fmt(rate)}/s: reportSightings over HTTP, ${batch} per call every ${interval.toFixed(0)} ms, open loop; ${callErrors.length} failed calls, ${run.late} late ticks), after ${warmSeconds} s warm-up\n` +
        `    reportSightings call (start → response): ${latencySummary(callLat)}\n` +
        `    fan-out: ${(deliveries / Math.max(1, measured.length)).toFixed(0)} subscribers per sighting on average → ${fmt(deliveries / run.seconds)} deliveries/s over both instances\n` +
        `  latency = receipt of the event by a subscriber that may see the sighting (load generator, before JSON parse) − start of the reportSightings call that stored it (before the HTTP request is sent); ${fmt(fromStart.length)} deliveries of measured sightings\n` +
        `    publish → subscriber: ${latencySummary(fromStart)}   (target p99 < 100 ms: ${percentile(fromStart, 99) < 100 ? 'met' : 'NOT met'})\n` +
        `    same, by instance of the subscriber: A ${latencySummary(perInstance[0])}; B ${latencySummary(perInstance[1])}\n` +
        `    from the report's response (commit ack) instead: ${latencySummary(fromAck)}\n` +
        (stage.wake.length
          ? `    where the time goes (per delivery; FeedHub's FeedService.since timed in each instance):\n` +
            `      report call start → response (commit ack): see the reportSightings line above\n` +
            `      response → FeedHub pass starts the tenant's query (NOTIFY, wake, queueing behind the previous pass; < 0 when NOTIFY beats the response): ${latencySummary(stage.wake)}\n` +
            `      per-tenant feed query (FeedService.since: the SELECT, in the pass's transaction): ${latencySummary(stage.query)}\n` +
            `      query done → GraphQL execute + serialise + ws send → received by the client: ${latencySummary(stage.push)}\n`
          : '') +
        timings
          .map(
            (t, i) =>
              `    instance ${'AB'[i]}: ${fmt(t.notifications / run.seconds)} NOTIFY/s, ${fmt(t.sinceCalls / run.seconds)} feed queries/s (p50 ${ms1(t.sinceP50)} ms, p99 ${ms1(t.sinceP99)} ms, ${fmt(t.rowsFetched / run.seconds)} rows/s), ${fmt(t.accessScopeCalls / run.seconds)} separate accessScope queries/s; ` +
              `CPU ${((100 * stats[i].cpuSeconds) / stats[i].wallSeconds).toFixed(0)} % of a core, event-loop delay p99 ${ms1(stats[i].loopDelayP99)} ms (max ${ms1(stats[i].loopDelayMax)} ms), RSS ${fmt(stats[i].rss / 2 ** 20)} MiB`,
          )
          .join('\n') +
        `\n${pgActivity}` +
        `\n    load generator: CPU ${((100 * (selfCpu.user + selfCpu.system)) / 1e6 / run.seconds).toFixed(0)} % of a core, event-loop delay p99 ${ms1(selfLoop.percentile(99) / 1e6)} ms; machine CPU busy ${busy.toFixed(0)} % (all ${cpus().length} cores)\n` +
        `  correctness (warm-up + measured sightings, ${fmt(sent.length - firstTracked)} sightings, drained ${(drainMs / 1000).toFixed(1)} s): expected ${fmt(expected)} deliveries, received ${fmt(correct)}; ` +
        `WRONG deliveries (to a tenant that may not see the sighting): ${wrong}; missed ${missed}; duplicates ${duplicates}; unknown ids ${foreign}; subscription errors ${subErrors}; subscribers closed ${dropped}`,
    );
    if (callErrors.length) console.log(`    failed calls, first: ${callErrors.filter(Boolean).join(' | ')}`);
    for (const [i, p] of profiles.entries()) {
      console.log(`  CPU profile of instance ${'AB'[i]} during the measured phase (self time; ${join(tmpdir(), `cairn-feed-api${i}.cpuprofile`)}):`);
      console.log(p.packages.map((x) => `    ${x.pct.toFixed(1).padStart(5)} %  ${x.pkg}`).join('\n'));
      console.log(p.top.slice(0, 15).map((x) => `    ${x.pct.toFixed(1).padStart(5)} %  ${x.fn}`).join('\n'));
    }

    // Sweep: shorter steady phases at other rates (--rates=50,100,200), to find where the target holds.
    const ratesArg = args.find((a) => a.startsWith('--rates='));
    const rates = (ratesArg ? ratesArg.slice(8) : '50,100,200').split(',').map(Number).filter((r) => Number.isFinite(r) && r > 0);
    const sweepSeconds = numberArg(args, 'sweep-seconds', 10);
    const subsOfTenantNow = tenants.map((_, t) => subscribers.filter((x) => x.tenantIndex === t).length);
    for (const r of rates) {
      const trackFrom = sent.length;
      const receiptFrom = receipts.n;
      await steady(2000, 'warm', (1000 * batch) / r);
      const from = sent.length;
      const ph = await steady(sweepSeconds * 1000, 'measure', (1000 * batch) / r);
      const to = sent.length;
      for (let last = -1, quiet = 0; quiet < 8; await sleep(250)) {
        if (receipts.n === last) quiet++;
        else quiet = 0;
        last = receipts.n;
      }
      let exp = 0;
      for (let i = trackFrom; i < sent.length; i++) for (let t = 0; t < tenants.length; t++) if (audience[sent[i].publisher][t]) exp += subsOfTenantNow[t];
      const got = new Set<number>();
      let ok = 0;
      let bad = 0;
      let dup = 0;
      const lat: number[] = [];
      for (let x = receiptFrom; x < receipts.n; x++) {
        const idx = resolveIdx(receipts.sighting[x]);
        if (idx < trackFrom) continue;
        const sub = subscribers[receipts.sub[x]];
        const key = idx * subscriberCount + sub.index;
        if (got.has(key)) {
          dup++;
          continue;
        }
        got.add(key);
        if (!audience[sent[idx].publisher][sub.tenantIndex]) {
          bad++;
          continue;
        }
        ok++;
        if (idx >= from && idx < to) lat.push(receipts.at[x] - sent[idx].start);
      }
      lat.sort((a, b) => a - b);
      const calls = sent.slice(from, to).filter((x, i, a) => i === 0 || a[i - 1].start !== x.start).map((x) => x.ack - x.start).sort((a, b) => a - b);
      console.log(
        `  sweep at ${fmt(r)} sightings/s (${batch} per call, ${sweepSeconds} s after 2 s warm-up): achieved ${fmt((to - from) / ph.seconds)}/s, ${fmt(lat.length / ph.seconds)} deliveries/s; ` +
          `publish → subscriber ${latencySummary(lat)} (p99 < 100 ms: ${percentile(lat, 99) < 100 ? 'met' : 'NOT met'}); call p99 ${ms1(percentile(calls, 99))} ms; ` +
          `wrong ${bad}, missed ${exp - ok}, duplicates ${dup}`,
      );
    }

    // Max ingest with the subscribers connected (they keep receiving; some may be dropped as too slow).
    const closedBefore = dropped;
    const withSubs = await maxIngest(maxSeconds * 1000, maxBatch, maxConcurrency);
    await sleep(1000);
    const closedAfter = subscribers.filter((s) => s.closeCode !== undefined);
    const codes = [...new Set(closedAfter.map((s) => s.closeCode))].join(', ');
    console.log(
      `  max ingest, ${subscriberCount} subscribers connected: ${fmt(withSubs.perSecond)} sightings/s (same calls; call p99 ${ms1(withSubs.p99)} ms); ` +
        `subscribers closed during it: ${closedAfter.length - closedBefore}${codes ? ` (close codes ${codes})` : ''}`,
    );
    console.log(apis.map((a, i) => `  instance ${'AB'[i]} logged (whole run) ${a.logSummary()}`).join('\n'));
  } finally {
    for (const s of subscribers) s.close();
    await Promise.all(apis.map((a) => a.stop()));
    await db.stop();
  }
}

export const benches: Bench[] = [
  {
    name: 'feed',
    description:
      'publish → subscriber latency: 1,000 graphql-ws subscribers on 2 API instances (child processes, one database), 20 tenants, reportSightings at a steady 500/s, then shorter phases at other rates; max ingest with and without subscribers (--rate=N, --batch=N, --seconds=N, --rates=50,100,200, --subscribers=N, --tenants=N, --profile, --explain)',
    run: runFeed,
  },
];
