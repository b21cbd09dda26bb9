import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector';
import { ApiKeyService } from '@cairn/auth';
import { JsonLogger, loadConfig, TEST_SECRETS } from '@cairn/common';
import { IntelService } from '@cairn/intel';
import { FeedHub, FeedService } from '@cairn/sightings';
import { TenancyService } from '@cairn/tenancy';
import { createApp } from '../../apps/api/src/create-app';
import { benchEnv, fmt, percentile, sleep, wallNow } from '../bench';

/*
 * One API instance (createApp) in its own child process (this file, forked with
 * --cairn-bench-api), so that instances, PostgreSQL and the load generator are separate processes
 * the OS can spread over the cores — as in production — and so that an instance's RSS and CPU are
 * its own. The parent (the load generator) talks to a child over IPC to set up tenants and keys
 * through the services, to read its RSS, CPU, event-loop delay and FeedHub timings, and to take a
 * CPU profile. Used by the feed, soak and lookup benches.
 */

/** Process RSS in bytes from /proc (Linux), without disturbing the process. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** What an instance's 'profile-stop' returns: self time by function and by package. */
export interface ChildProfile {
  top: Array<{ fn: string; pct: number }>;
  packages: Array<{ pkg: string; pct: number }>;
}

/** A profile as the benches print it: the packages, then the `top` busiest functions. */
export function profileLines(p: ChildProfile, top: number): string {
  return [
    ...p.packages.map((x) => `    ${x.pct.toFixed(1).padStart(5)} %  ${x.pkg}`),
    ...p.top.slice(0, top).map((x) => `    ${x.pct.toFixed(1).padStart(5)} %  ${x.fn}`),
  ].join('\n');
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
  /** Feed reads: FeedService.since calls (one per tenant and filter group per delivery pass), or FeedService.sinceEach round trips (one per pass for all). */
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
      execArgv: [
        '--expose-gc',
        '--max-semi-space-size=32', // as npm start runs the API (README "Running in production")
        ...(process.env.BENCH_CHILD_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
        '-r',
        resolve(__dirname, '..', '..', '..', 'scripts', 'register-aliases.js'),
      ],
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
      proc.once('message', (m: { ready?: number; error?: string }) =>
        m.ready ? res(m.ready) : rej(new Error(m.error ?? 'API child failed')),
      );
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

export interface BenchTenant {
  id: string;
  slug: string;
  country: string;
  sectors: string[];
  defaultDistribution: string;
  key: string;
}

/** Creates tenants (with one API key each) through TenancyService / ApiKeyService in an API child. */
export function createTenants(
  api: ApiChild,
  list: Array<{ slug: string; name: string; country: string; sectors: string[]; defaultDistribution?: string; defaultTlp?: string }>,
  scopes: string[],
): Promise<BenchTenant[]> {
  return api.call<BenchTenant[]>('tenants', { list, scopes });
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
  return [...hits.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, h]) => ({ key, pct: (100 * h) / total }));
}

/** Top self-time entries, by function and file. */
function summariseProfile(profile: { nodes: ProfileNode[] }, top = 25): Array<{ fn: string; pct: number }> {
  return selfTimeBy(
    profile.nodes,
    (n) => {
      const url = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
      return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
    },
    top,
  ).map(({ key, pct }) => ({ fn: key, pct }));
}

/** Self time grouped by package (node_modules/<pkg>), app code and node internals. */
function profileByPackage(profile: { nodes: ProfileNode[] }): Array<{ pkg: string; pct: number }> {
  return selfTimeBy(
    profile.nodes,
    (n) => {
      const url = n.callFrame.url;
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
      if (m) return m[1];
      if (url.includes('/dist/'))
        return (
          'cairn: ' +
          url
            .replace(/^.*\/dist\//, '')
            .split('/')
            .slice(0, 2)
            .join('/')
        );
      if (url.startsWith('node:')) return 'node internals';
      return n.callFrame.functionName ? `(${n.callFrame.functionName})` : '(native/other)';
    },
    15,
  ).map(({ key, pct }) => ({ pkg: key, pct }));
}

/**
 * Starts a CPU profile of this process (V8's sampling profiler, 0.5 ms interval); the function it
 * returns stops it, writes the raw profile to `file` when given, and returns it summarised.
 */
export async function startProfile(): Promise<(file?: string) => Promise<ChildProfile>> {
  const session = new Session();
  session.connect();
  const post = <T>(m: string, p?: object) => new Promise<T>((r, j) => session.post(m, p ?? {}, (err, res) => (err ? j(err) : r(res as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async (file) => {
    const { profile } = await post<{ profile: { nodes: ProfileNode[] } }>('Profiler.stop');
    session.disconnect();
    if (file) writeFileSync(file, JSON.stringify(profile));
    return { top: summariseProfile(profile), packages: profileByPackage(profile) };
  };
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
  const record = (t0: number, t1: number, tenantId: string, rows: Array<{ feedSeq: string }>) => {
    rowsFetched += rows.length;
    for (const r of rows) {
      const k = `${tenantId}|${r.feedSeq}`;
      if (!firstFetch.has(k)) firstFetch.set(k, [t0, t1]);
    }
  };
  const since = feed.since.bind(feed);
  feed.since = async (...args: Parameters<FeedService['since']>) => {
    const t0 = wallNow();
    const rows = await since(...args);
    const t1 = wallNow();
    if (recording) {
      sinceTimes.push(t1 - t0);
      record(t0, t1, args[0].tenantId, rows);
    }
    return rows;
  };
  // FeedHub's one read per pass for every tenant woken (issue 18), where this build has it: one round trip, timed as one query.
  type SinceEach = (m: unknown, requests: Array<{ scope: { tenantId: string } }>) => Promise<Array<Array<{ feedSeq: string }>>>;
  const each = feed as unknown as { sinceEach?: SinceEach };
  const sinceEach = each.sinceEach?.bind(feed);
  if (sinceEach) {
    each.sinceEach = async (m, requests) => {
      const t0 = wallNow();
      const results = await sinceEach(m, requests);
      const t1 = wallNow();
      if (recording) {
        sinceTimes.push(t1 - t0);
        results.forEach((rows, i) => record(t0, t1, requests[i].scope.tenantId, rows));
      }
      return results;
    };
  }
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
  let profiler: ((file?: string) => Promise<ChildProfile>) | undefined;

  const handlers: Record<string, (args: any) => Promise<unknown>> = {
    async tenants({ list, scopes }: { list: Array<Record<string, unknown>>; scopes: string[] }) {
      const created = await tenancy.createTenants(list as never);
      const keys = app.get(ApiKeyService);
      const out: BenchTenant[] = [];
      for (const t of created) {
        const { secret } = await keys.create({ tenantId: t.id, name: 'bench', scopes: scopes as never });
        out.push({
          id: t.id,
          slug: t.slug,
          country: t.country,
          sectors: t.sectors,
          defaultDistribution: t.defaultDistribution,
          key: secret,
        });
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
      profiler = await startProfile();
      return null;
    },
    async 'profile-stop'({ file }: { file?: string }) {
      if (!profiler) return null;
      const p = await profiler(file);
      profiler = undefined;
      return p;
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
