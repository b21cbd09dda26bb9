import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { setViewer } from '@cairn/access';
import { ApiKeyService } from '@cairn/auth';
import { JsonLogger, loadConfig } from '@cairn/common';
import { IntelService } from '@cairn/intel';
import { listNewestVisible } from '../libs/intel/src/object-store';
import { TenancyService } from '@cairn/tenancy';
import { AppModule } from '../apps/api/src/app.module';
import { benchDatabase } from './bench-database';
import {
  benchEnv,
  cpuLine,
  cpuMeter,
  fmt,
  median,
  numberArg,
  postJson,
  type Bench,
  type CpuPerCall,
  machine,
  laptopFarmIndicator,
} from './bench';
import { ApiChild, profileLines, type ChildProfile, type ChildStats } from './feed/api-child';

const EXPORT = `query($first: Int, $after: String) { exportBundle(first: $first, after: $after) { bundle objectCount truncated nextCursor } }`;

/** Pages through the whole export over HTTP GraphQL, as a member's script does; returns objects read. */
async function exportOverHttp(baseUrl: string, key: string, first: number): Promise<number> {
  let after: string | null = null;
  let count = 0;
  do {
    const res: { body: { data?: { exportBundle: { objectCount: number; nextCursor: string | null } }; errors?: unknown } } = await postJson(
      `${baseUrl}/graphql`,
      { query: EXPORT, variables: { first, after } },
      { authorization: `Bearer ${key}` },
    );
    if (!res.body.data) throw new Error(`exportBundle failed: ${JSON.stringify(res.body.errors).slice(0, 300)}`);
    count += res.body.data.exportBundle.objectCount;
    after = res.body.data.exportBundle.nextCursor;
  } while (after);
  return count;
}

/** The same page statement through pg as the API role under row-level security: BEGIN, viewer settings, horizon, page, COMMIT. */
async function exportOverPg(db: Client, scope: Awaited<ReturnType<TenancyService['accessScope']>>, first: number): Promise<number> {
  const m = { query: (sql: string, params?: unknown[]) => db.query(sql, params).then((r) => r.rows) } as unknown as EntityManager;
  let afterSeq: string | undefined;
  let count = 0;
  let horizon: string | undefined;
  for (;;) {
    await db.query('BEGIN');
    await db.query('SET LOCAL ROLE cairn_app');
    await setViewer(db, scope);
    horizon ??= (await db.query('SELECT last_seq::text AS seq FROM feed_counter')).rows[0].seq as string;
    const rows = await listNewestVisible(m, scope, { limit: first + 1, horizonSeq: horizon, afterSeq });
    await db.query('COMMIT');
    const page = rows.slice(0, first);
    count += page.length;
    if (rows.length <= first) return count;
    afterSeq = page[page.length - 1].feedSeq;
  }
}

export const benches: Bench[] = [
  {
    name: 'export',
    description:
      'exportBundle pages of 1,000 through a 20,000-object exchange over HTTP GraphQL (API in its own process) vs the same page statement through pg (--objects=N, --first=N, --runs=N, --profile)',
    async run(args) {
      const total = numberArg(args, 'objects', 20_000);
      const first = numberArg(args, 'first', 1000);
      const runs = numberArg(args, 'runs', 3);
      const database = await benchDatabase('export');
      const { databaseUrl } = database;
      const config = loadConfig(benchEnv(databaseUrl));
      const logger = new JsonLogger('error');
      const app = await NestFactory.createApplicationContext(
        AppModule.forRoot({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, logger),
        { logger },
      );
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      let child: ApiChild | undefined;
      try {
        const tenancy = app.get(TenancyService);
        const publisher = await tenancy.createTenant({
          slug: `bench-pub-${Date.now()}`,
          name: 'Bench publisher',
          country: 'DE',
          sectors: ['healthcare'],
        });
        const reader = await tenancy.createTenant({
          slug: `bench-read-${Date.now()}`,
          name: 'Bench reader',
          country: 'FR',
          sectors: ['insurance'],
        });
        for (let i = 0; i < total; i += 10_000) {
          await app.get(IntelService).storeObjects(
            machine(publisher),
            Array.from({ length: Math.min(10_000, total - i) }, (_, k) => laptopFarmIndicator(i + k)),
            { distribution: 'COMMUNITY', tlp: 'GREEN' },
          );
        }
        await db.query('VACUUM ANALYZE');
        const { secret } = await app.get(ApiKeyService).create({ tenantId: reader.id, name: 'bench', scopes: ['intel:read'] });
        const scope = await tenancy.accessScope(reader.id);
        child = await ApiChild.start(databaseUrl);
        const http: number[] = [];
        const raw: number[] = [];
        const profile = args.includes('--profile');
        const pages = Math.ceil(total / first);
        let httpCpu: CpuPerCall | undefined;
        let rawCpu: CpuPerCall | undefined;
        for (let r = 0; r <= runs; r++) {
          if (profile && r === 1) await child.call('profile-start');
          await child.call('stats', { reset: true });
          const httpMeter = cpuMeter();
          const t0 = performance.now();
          const served = await exportOverHttp(child.baseUrl, secret, first);
          const httpMs = performance.now() - t0;
          httpCpu = httpMeter.stop(pages, { API: (await child.call<ChildStats>('stats')).cpuSeconds });
          const rawMeter = cpuMeter();
          const t1 = performance.now();
          const read = await exportOverPg(db, scope, first);
          const pgMs = performance.now() - t1;
          rawCpu = rawMeter.stop(pages);
          if (served !== total || read !== total) throw new Error(`expected ${total} objects, HTTP exported ${served}, pg read ${read}`);
          if (r === 0) continue; // warm-up
          http.push(httpMs);
          raw.push(pgMs);
          console.log(
            `  run ${r}: HTTP ${fmt(httpMs)} ms (${fmt((total / httpMs) * 1000)} objects/s), pg ${fmt(pgMs)} ms (${fmt((total / pgMs) * 1000)} objects/s)`,
          );
        }
        if (profile) {
          const file = join(tmpdir(), 'cairn-export-api.cpuprofile');
          const p = await child.call<ChildProfile>('profile-stop', { file });
          console.log(`  CPU profile of the API process during the measured runs (self time; ${file}):`);
          console.log(profileLines(p, 25));
        }
        const h = median(http);
        const b = median(raw);
        console.log(
          `export: ${fmt(total)} objects in pages of ${fmt(first)}, exportBundle over HTTP ${fmt((total / h) * 1000)} objects/s (median of ${runs}: ${fmt(h)} ms) ` +
            `vs the same page statement through pg ${fmt((total / b) * 1000)} objects/s (${fmt(b)} ms), ratio ${(b / h).toFixed(2)}\n` +
            // The pages are read one after another, so a page's time is at least the CPU on its path.
            `  CPU per page of the last run, HTTP: ${cpuLine(httpCpu!)} ("this process" is the client); pg: ${cpuLine(rawCpu!)}`,
        );
      } finally {
        await child?.stop();
        await db.end();
        await app.close();
        await database.stop();
      }
    },
  },
];
