import { readFileSync } from 'node:fs';
import { Client, type Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { ApiKeyService } from '@cairn/auth';
import { JsonLogger, loadConfig } from '@cairn/common';
import { IntelService } from '@cairn/intel';
import { TenancyService } from '@cairn/tenancy';
import { createApp } from '../apps/api/src/create-app';
import { benchEnv, fmt, median, ms1, numberArg, type Bench, machine } from './bench';
import { benchDatabase } from './bench-database';
import { generateObjects as generate } from '../test/factories/bulk-objects.factory';

/*
 * Page latency against the size of the exchange (issue 18): one page of each hot read path —
 * GraphQL objects(first: 100) with and without a types filter, a TAXII page of 100 and of 1,000,
 * a first + next page, a sparse collection (sector) and an export page — over real HTTP, median of
 * --calls calls, at each of --sizes stored objects. Rows are generated set-based in SQL (as the
 * owner, so no API cost is measured there), in a mix of distributions, types, versions and copies
 * of one observable by several publishers. With --explain, auto_explain records EXPLAIN (ANALYZE,
 * BUFFERS) of every statement of one call of each path (printed under the figures).
 * --cliff reproduces the statistics cliff: 128,000 analysed rows, then a new member publishes
 * 10,000 through the service and a page of 1,000 of its rows is read before any ANALYZE.
 */

const TAXII = 'application/taxii+json;version=2.1';
/** Median milliseconds of `calls` calls of fn (after one warm-up call). */
async function timed(calls: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

class Http {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async taxii(collection: string, query: string): Promise<{ objects: unknown[]; more: boolean; next?: string }> {
    const res = await fetch(`${this.baseUrl}/taxii2/api/collections/${collection}/objects/?${query}`, {
      headers: { accept: TAXII, authorization: `Bearer ${this.key}` },
    });
    if (res.status !== 200) throw new Error(`TAXII ${res.status}: ${await res.text()}`);
    return (await res.json()) as { objects: unknown[]; more: boolean; next?: string };
  }

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (res.status !== 200 || body.errors) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }

  async collections(): Promise<Map<string, string>> {
    const res = await fetch(`${this.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: `Bearer ${this.key}` } });
    const body = (await res.json()) as { collections: Array<{ id: string; alias: string }> };
    return new Map(body.collections.map((c) => [c.alias, c.id]));
  }
}

const OBJECTS = `query($first: Int!, $filter: ObjectFilterInput) { objects(first: $first, filter: $filter) {
  edges { cursor node { id type modified dateAdded tlp mine object } } pageInfo { hasNextPage endCursor } } }`;
const EXPORT = `query($first: Int) { exportBundle(first: $first) { objectCount truncated nextCursor } }`;

/** The hot paths, each one call; the page must be full (a short page would measure nothing). */
function paths(http: Http, cols: Map<string, string>): Array<[string, () => Promise<void>]> {
  const all = cols.get('all')!;
  const sector = cols.get('sector-insurance')!;
  const full = (n: number, got: number, what: string) => {
    if (got !== n) throw new Error(`${what}: expected ${n} rows, got ${got}`);
  };
  return [
    [
      'GraphQL objects(first: 100)',
      async () => full(100, (await http.gql<{ objects: { edges: unknown[] } }>(OBJECTS, { first: 100 })).objects.edges.length, 'objects'),
    ],
    [
      'same, types: [indicator]',
      async () =>
        full(
          100,
          (await http.gql<{ objects: { edges: unknown[] } }>(OBJECTS, { first: 100, filter: { types: ['indicator'] } })).objects.edges
            .length,
          'objects(types)',
        ),
    ],
    ['TAXII page of 100', async () => full(100, (await http.taxii(all, 'limit=100')).objects.length, 'taxii 100')],
    ['TAXII page of 1,000', async () => full(1000, (await http.taxii(all, 'limit=1000')).objects.length, 'taxii 1000')],
    [
      'first + next page of 100',
      async () => {
        const first = await http.taxii(all, 'limit=100');
        full(100, (await http.taxii(all, `limit=100&next=${first.next}`)).objects.length, 'taxii next');
      },
    ],
    ['TAXII sector collection, 100', async () => full(100, (await http.taxii(sector, 'limit=100')).objects.length, 'taxii sector')],
    [
      'export page of 100',
      async () =>
        full(100, (await http.gql<{ exportBundle: { objectCount: number } }>(EXPORT, { first: 100 })).exportBundle.objectCount, 'export'),
    ],
  ];
}

/** RSS of this process (API and load generator), sampled every 250 ms. */
function rssSampler(): { stop(): { min: number; max: number } } {
  let min = Infinity;
  let max = 0;
  const take = () => {
    const r = process.memoryUsage().rss / 2 ** 20;
    min = Math.min(min, r);
    max = Math.max(max, r);
  };
  take();
  const t = setInterval(take, 250);
  return { stop: () => (clearInterval(t), take(), { min, max }) };
}

export const benches: Bench[] = [
  {
    name: 'pages',
    description:
      'One page of each hot read path (GraphQL objects, TAXII 100/1,000/next/sector, export) at each --sizes=10000,100000,… stored objects over HTTP (--calls=N, --explain, --cliff)',
    async run(args) {
      const sizesArg = args.find((a) => a.startsWith('--sizes='))?.slice(8) ?? '10000,100000';
      const sizes = sizesArg.split(',').map(Number);
      const calls = numberArg(args, 'calls', 9);
      const explain = args.includes('--explain');
      const cliff = args.includes('--cliff');
      // auto_explain reports at NOTICE level, so the plans reach the API's own connections (explainOnce); its
      // log_min_duration stays at its default (off) here, since ALTER SYSTEM cannot override a command-line setting.
      const flags = [
        '-c',
        'session_preload_libraries=auto_explain',
        '-c',
        'auto_explain.log_analyze=on',
        '-c',
        'auto_explain.log_buffers=on',
        '-c',
        'auto_explain.log_nested_statements=on',
        '-c',
        'auto_explain.log_level=notice',
        '-c',
        'shared_buffers=512MB',
        '-c',
        'max_wal_size=4GB',
      ];
      const database = await benchDatabase('pages', flags);
      const config = loadConfig(benchEnv(database.databaseUrl, { TAXII_MAX_PAGE: '1000' }));
      const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
      await app.listen(0, '127.0.0.1');
      const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const db = new Client({ connectionString: database.databaseUrl });
      await db.connect();
      const rss = rssSampler();
      try {
        const tenancy = app.get(TenancyService);
        const stamp = Date.now();
        const pubs = await tenancy.createTenants([
          { slug: `p0-${stamp}`, name: 'Publisher 0', country: 'DE', sectors: ['healthcare'] },
          { slug: `p1-${stamp}`, name: 'Publisher 1', country: 'FR', sectors: ['insurance'] },
          { slug: `p2-${stamp}`, name: 'Publisher 2', country: 'US', sectors: ['technology'] },
          { slug: `p3-${stamp}`, name: 'Publisher 3', country: 'GB', sectors: ['financial-services'] },
        ]);
        const reader = await tenancy.createTenant({ slug: `reader-${stamp}`, name: 'Reader', country: 'FR', sectors: ['insurance'] });
        const { secret } = await app
          .get(ApiKeyService)
          .create({ tenantId: reader.id, name: 'bench', scopes: ['taxii:read', 'intel:read'] });
        const http = new Http(baseUrl, secret);
        const cols = await http.collections();
        const ids = pubs.map((t) => t.id);
        let stored = 0;
        const grow = async (to: number) => {
          const t0 = performance.now();
          for (let from = stored; from < to; from += 250_000) await generate(db, from, Math.min(to, from + 250_000), ids, reader.id);
          const genMs = performance.now() - t0;
          await db.query('ANALYZE stix_object');
          const [{ size }] = (await db.query(`SELECT pg_size_pretty(pg_total_relation_size('stix_object')) AS size`)).rows;
          console.log(`  generated ${fmt(to - stored)} rows in ${fmt(genMs)} ms (+ ANALYZE); stix_object now ${size}`);
          stored = to;
        };

        if (cliff) {
          await grow(128_000);
          const member = await tenancy.createTenant({ slug: `new-${stamp}`, name: 'New member', country: 'DE', sectors: ['healthcare'] });
          const { secret: newKey } = await app
            .get(ApiKeyService)
            .create({ tenantId: member.id, name: 'bench', scopes: ['taxii:read', 'intel:read', 'intel:write'] });
          const docs = Array.from({ length: 10_000 }, (_, i) => ({
            type: 'indicator',
            spec_version: '2.1',
            id: `indicator--${'00000000-0000-4000-8000-' + String(i).padStart(12, '0')}`,
            created: '2025-03-01T00:00:00.000Z',
            modified: '2025-03-01T00:00:00.000Z',
            name: `New member's ${i}`,
            pattern: `[ipv4-addr:value = '192.0.${(i >> 8) & 255}.${i & 255}']`,
            pattern_type: 'stix',
            valid_from: '2025-03-01T00:00:00Z',
          }));
          await app.get(IntelService).storeObjects(machine(member), docs, { distribution: 'COMMUNITY', tlp: 'GREEN' });
          const [{ last }] = (
            await db.query(
              `SELECT last_analyze::text || ' / ' || coalesce(last_autoanalyze::text, 'never') AS last, n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'stix_object'`,
            )
          ).rows;
          console.log(`  new member stored 10,000; stix_object analysed ${last}`);
          const mine = new Http(baseUrl, newKey);
          const mcols = await mine.collections();
          const own = async () => void (await mine.taxii(mcols.get('own')!, 'limit=1000'));
          const allTail = async () => void (await mine.taxii(mcols.get('all')!, 'limit=1000&added_after=2000-01-01T00:00:00Z'));
          if (explain)
            await explainOnce(app.get(DataSource), db, [
              ['cliff: own collection, 1,000', own],
              ['cliff: all, 1,000', allTail],
            ]);
          console.log(
            `cliff: own collection page of 1,000 ${ms1(await timed(calls, own))} ms, 'all' page of 1,000 ${ms1(await timed(calls, allTail))} ms (load ${readFileSync('/proc/loadavg', 'utf8').trim()})`,
          );
          return;
        }

        const table: string[] = [];
        for (const size of sizes) {
          await grow(size);
          const list = paths(http, cols);
          if (explain)
            await explainOnce(
              app.get(DataSource),
              db,
              list.map(([n, f]) => [`${fmt(size)}: ${n}`, f]),
            );
          const load = readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
          const cells: string[] = [];
          for (const [name, fn] of list) {
            const ms = await timed(calls, fn);
            cells.push(ms1(ms));
            console.log(`  ${fmt(size)} objects: ${name} ${ms1(ms)} ms`);
          }
          const r = process.memoryUsage().rss / 2 ** 20;
          table.push(`| ${fmt(size)} | ${cells.join(' | ')} | ${load} | ${fmt(r)} |`);
        }
        const { min, max } = rss.stop();
        console.log(
          `pages: median of ${calls} calls, ms\n| stored objects | ${paths(http, cols)
            .map(([n]) => n)
            .join(' | ')} | load | RSS MiB |\n|${'---|'.repeat(10)}\n${table.join('\n')}`,
        );
        console.log(`  RSS through the run: ${fmt(min)}–${fmt(max)} MiB`);
      } finally {
        await db.end();
        await app.close();
        await database.stop();
      }
    },
  },
];

/** One call of each path with auto_explain on (EXPLAIN ANALYZE, BUFFERS of every statement), as the NOTICEs the API's connections receive. */
async function explainOnce(dataSource: DataSource, db: Client, list: Array<[string, () => Promise<void>]>): Promise<void> {
  // The API's pool (TypeORM's pg driver): its idle clients now, and any it opens later.
  const pool = (dataSource.driver as unknown as { master: { _clients: PgClient[]; on(e: 'connect', f: (c: PgClient) => void): void } })
    .master;
  const notices: string[] = [];
  const listen = (c: PgClient) => c.on('notice', (n: { message?: string }) => notices.push(n.message ?? ''));
  const seen = new WeakSet<PgClient>();
  const hook = () => pool._clients.forEach((c) => !seen.has(c) && (seen.add(c), listen(c)));
  pool.on('connect', (c) => (seen.add(c), listen(c)));
  const set = async (ms: number) => {
    await db.query(`ALTER SYSTEM SET auto_explain.log_min_duration = ${ms}`);
    await db.query('SELECT pg_reload_conf()');
  };
  for (const [name, fn] of list) {
    await fn(); // warm
    hook();
    await set(0);
    // The reload reaches each backend when it next waits for a command: poll until a plan arrives.
    for (let i = 0; i < 50 && notices.length === 0; i++) await fn();
    notices.length = 0;
    await fn();
    await set(-1);
    for (let i = 0; i < 20; i++) await db.query('SELECT 1');
    // Only the plans that read stix_object (the page itself), not set_config, BEGIN or the collection lookup.
    const plans = notices.filter((t) => /stix_object/.test(t) && /Query Text/.test(t));
    notices.length = 0;
    console.log(`\n#### ${name}\n\`\`\`\n${plans.join('\n')}\n\`\`\``);
  }
}
