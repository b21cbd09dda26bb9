import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Viewer } from '@cairn/common';
import { freePort, loginUrl } from '@cairn/database';

/** A benchmark: prints its figures (and a side-by-side ratio to a baseline) to stdout. */
export interface Bench {
  name: string;
  description: string;
  run(args: string[]): Promise<void>;
}

/** CPU seconds (user + system) used so far by the processes whose command is `name` and by their children that have exited (the PostgreSQL server and its backends: `postgres`), from /proc. */
export function processCpuSeconds(name: string): number {
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== name) continue;
    const fields = stat.slice(close + 2).split(' ');
    // utime, stime, and cutime, cstime: the backends that have exited count in their postmaster's.
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / ticksPerSecond;
}

/**
 * Where a phase's CPU went, per call: this process (the load generator, or the raw SQL's client),
 * PostgreSQL (server and backends), and `others` (e.g. an API process, read by the caller). On a
 * machine whose cores are all busy, throughput is cores / CPU per call: the ratio of two paths'
 * CPU per call bounds the ratio of their throughputs.
 */
export function cpuMeter(): { stop(calls: number, others?: Record<string, number>): CpuPerCall } {
  const self = process.cpuUsage();
  const pg = processCpuSeconds('postgres');
  return {
    stop(calls, others = {}) {
      const used = process.cpuUsage(self);
      const parts: Record<string, number> = {
        'this process': (used.user + used.system) / 1e6,
        PostgreSQL: processCpuSeconds('postgres') - pg,
        ...others,
      };
      const perCallMs = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, (v * 1000) / calls]));
      return { perCallMs, totalMs: Object.values(perCallMs).reduce((a, b) => a + b, 0) };
    },
  };
}

export interface CpuPerCall {
  perCallMs: Record<string, number>;
  totalMs: number;
}

/** "API 1.20 + PostgreSQL 0.80 + this process 0.30 = 2.30 ms of CPU per call". */
export function cpuLine(c: CpuPerCall): string {
  return `${Object.entries(c.perCallMs)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(' + ')} = ${c.totalMs.toFixed(2)} ms of CPU per call`;
}

/** Runs fn repeatedly for at least `ms` milliseconds; returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = 1000): Promise<{ ops: number; perSecond: number }> {
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < deadline) {
    await fn();
    ops++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { ops, perSecond: ops / seconds };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)];
}

export const BENCH_APP_LOGIN = 'cairn_bench_app';
export const BENCH_APP_PASSWORD = 'bench-app-login';
export const BENCH_IDENTIFIER_SECRET = 'bench-identifier-hmac-0123456789abcdef0123';

/**
 * Environment for an API instance under a benchmark: production mode (as deployed) and abuse
 * limits out of the way, since a benchmark measures capacity, not the rate limiter.
 */
/** The benchmarks' cursor key, so a bench can read the positions behind the cursors it is given. */
export const BENCH_CURSOR_SECRET = 'bench-cursor-secret-0123456789abcdef0123456';

export function benchEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    // The run-time login benchDatabase creates: benchmarks measure the API as deployed, under row-level security.
    DATABASE_APP_URL: loginUrl(databaseUrl, BENCH_APP_LOGIN, BENCH_APP_PASSWORD),
    SEED_DEMO: 'false',
    JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
    IDENTIFIER_HMAC_SECRET: BENCH_IDENTIFIER_SECRET,
    CURSOR_SECRET: BENCH_CURSOR_SECRET,
    RATE_LIMIT_TENANT_PER_MINUTE: '10000000',
    RATE_LIMIT_PRINCIPAL_PER_MINUTE: '10000000',
    // Benchmarks measure throughput, not abuse: lookup quotas off (0), while lookups are still counted.
    LOOKUP_QUOTA_PER_MINUTE: '0',
    LOOKUP_QUOTA_PER_DAY: '0',
    ...extra,
  };
}

/** A positive number given as `--name=N` or `--name N`, else the fallback. */
export function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const raw = i < 0 ? undefined : args[i] === `--${name}` ? args[i + 1] : args[i].slice(name.length + 3);
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** A count or rate, rounded, with thousands separators. */
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** Milliseconds to one decimal ('n/a' when not a number). */
export const ms1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
/** The middle value (the upper one of an even count), without sorting `xs` in place. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const wallNow = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const keepAlive = new Agent({ keepAlive: true, maxSockets: 512 });

/**
 * POSTs a JSON body and parses the JSON answer, over keep-alive connections. The load generator
 * shares the machine's cores with the API and PostgreSQL, so it uses node:http, which costs a
 * fraction of what fetch does per request.
 */
export function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const text = JSON.stringify(body);
  return new Promise((resolvePost, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: keepAlive,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolvePost({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T });
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * Runs fn against the API as `npm start` runs it (dist/apps/api/src/main.js) with API_WORKERS=`workers`,
 * on `databaseUrl`, each worker with a pool of `poolSize`; stops it (SIGTERM) after.
 */
export async function withApiWorkers<T>(
  databaseUrl: string,
  workers: number,
  poolSize: number,
  fn: (baseUrl: string) => Promise<T>,
): Promise<T> {
  const root = resolve(__dirname, '..', '..');
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    ['--max-semi-space-size=32', '-r', join(root, 'scripts', 'register-aliases.js'), join(root, 'dist', 'apps', 'api', 'src', 'main.js')],
    {
      cwd: root,
      env: {
        ...process.env,
        ...benchEnv(databaseUrl, { PORT: String(port), HOST: '127.0.0.1', API_WORKERS: String(workers), DB_POOL_SIZE: String(poolSize) }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  // The banner comes once every worker listens. /health answers as soon as the first does, and a
  // keep-alive connection made before the second is up stays on the first for the whole run.
  let banner = '';
  const allListening = new Promise<void>((resolveUp, failUp) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      banner = (banner + chunk.toString('utf8')).slice(-4096);
      if (banner.includes('Cairn is running')) resolveUp();
    });
    proc.once('exit', () => failUp(new Error(`API with ${workers} workers exited before it was up`)));
    const timer = setTimeout(() => failUp(new Error(`API with ${workers} workers did not start within 60 s`)), 60_000);
    timer.unref();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await allListening;
    for (let i = 0; ; i++) {
      const up = await fetch(`${baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 600 || proc.exitCode !== null) throw new Error(`API with ${workers} workers did not start`);
      await sleep(100);
    }
    return await fn(baseUrl);
  } finally {
    proc.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000)]);
  }
}

/** The viewer a bench acts as for a tenant: a machine key that reads and publishes. */
export const machine = (t: { id: string }): Viewer => ({
  kind: 'apikey',
  tenantId: t.id,
  operator: false,
  scopes: new Set(['intel:read', 'intel:write']),
});

/** The i-th of a run of laptop-farm exit indicators (distinct addresses in 10.0.0.0/8), TLP:GREEN. */
export const laptopFarmIndicator = (i: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  name: `Laptop farm exit ${i}`,
  description: 'VPN exit used by a laptop farm hosting remote IT workers',
  labels: ['laptop-farm'],
  pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
  pattern_type: 'stix',
  valid_from: '2025-01-01T00:00:00Z',
  object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
});
