import { benchDatabase } from './bench-database';
import { benchEnv, fmt, median, numberArg, machine, laptopFarmIndicator } from './bench';
import { Client } from 'pg';
import { SqlParams, setViewer } from '@cairn/access';
import { ApiKeyService } from '@cairn/auth';
import { JsonLogger, loadConfig } from '@cairn/common';
import { IntelService, StoredObjectsService } from '@cairn/intel';
import { TenancyService } from '@cairn/tenancy';
import { collectionFilter, parseTaxiiQuery, OBJECTS_PARAMS } from '@cairn/taxii';
import { createApp } from '../apps/api/src/create-app';
import type { Bench } from './bench';

const TAXII = 'application/taxii+json;version=2.1';

/** Pages through the whole collection over HTTP as a SIEM does (Basic auth, `next`); returns objects read. */
async function pageOverHttp(baseUrl: string, key: string, collection: string, limit: number): Promise<number> {
  const authorization = `Basic ${Buffer.from(`siem:${key}`).toString('base64')}`;
  let next: string | undefined;
  let count = 0;
  do {
    const res = await fetch(`${baseUrl}/taxii2/api/collections/${collection}/objects/?limit=${limit}${next ? `&next=${next}` : ''}`, {
      headers: { accept: TAXII, authorization },
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { objects: unknown[]; more: boolean; next?: string };
    count += body.objects.length;
    next = body.more ? body.next : undefined;
  } while (next);
  return count;
}

/** The same statements through `pg`, as the API role with the same row-level-security settings, the documents parsed as a client would. */
async function pageOverPg(db: Client, scope: Awaited<ReturnType<TenancyService['accessScope']>>, limit: number): Promise<number> {
  let afterSeq: string | undefined;
  let count = 0;
  for (;;) {
    const p = new SqlParams();
    const query = { ...parseTaxiiQuery({ limit: String(limit) }, OBJECTS_PARAMS, limit), afterSeq };
    const sql = StoredObjectsService.collectionPageSql(
      scope,
      collectionFilter({ kind: 'community', key: '' }),
      { ...query, withDoc: true },
      p,
    );
    await db.query('BEGIN');
    await db.query('SET LOCAL ROLE cairn_app');
    await setViewer(db, scope);
    await db.query(StoredObjectsService.PAGE_PLAN_SQL);
    const { rows } = await db.query(sql, p.values);
    await db.query('COMMIT');
    const page = rows.slice(0, limit);
    // The page returns each document as JSON text (the API splices it into its answer); a client
    // of the raw SQL wants the objects, as the HTTP client's res.json() gives them.
    for (const r of page) JSON.parse(r.docJson);
    count += page.length;
    if (rows.length <= limit) return count;
    afterSeq = page[page.length - 1].seq;
  }
}

export const benches: Bench[] = [
  {
    name: 'taxii',
    description:
      'TAXII objects/s paging a 100,000-object collection at limit 1,000 over real HTTP vs the same SQL through pg (--objects=N, --limit=N, --runs=N)',
    async run(args) {
      const total = numberArg(args, 'objects', 100_000);
      const limit = numberArg(args, 'limit', 1000);
      const runs = numberArg(args, 'runs', 3);
      const database = await benchDatabase('taxii');
      const { databaseUrl } = database;
      const config = loadConfig(benchEnv(databaseUrl, { TAXII_MAX_PAGE: String(limit) }));
      const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
      await app.listen(0, '127.0.0.1');
      const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
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
        const started = process.hrtime.bigint();
        for (let i = 0; i < total; i += 10_000) {
          const docs = Array.from({ length: Math.min(10_000, total - i) }, (_, k) => laptopFarmIndicator(i + k));
          await app.get(IntelService).storeObjects(machine(publisher), docs, { distribution: 'COMMUNITY', tlp: 'GREEN' });
        }
        console.log(`  stored ${fmt(total)} objects in ${fmt(Number(process.hrtime.bigint() - started) / 1e6)} ms`);
        const { secret } = await app.get(ApiKeyService).create({ tenantId: reader.id, name: 'bench', scopes: ['taxii:read'] });
        const res = await fetch(`${baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: `Bearer ${secret}` } });
        const collection = ((await res.json()) as { collections: Array<{ id: string; alias: string }> }).collections.find(
          (c) => c.alias === 'community',
        )!.id;
        const scope = await tenancy.accessScope(reader.id);
        const http: number[] = [];
        const raw: number[] = [];
        for (let r = 0; r <= runs; r++) {
          const t0 = process.hrtime.bigint();
          const served = await pageOverHttp(baseUrl, secret, collection, limit);
          const httpMs = Number(process.hrtime.bigint() - t0) / 1e6;
          const t1 = process.hrtime.bigint();
          const read = await pageOverPg(db, scope, limit);
          const pgMs = Number(process.hrtime.bigint() - t1) / 1e6;
          if (served !== total || read !== total) throw new Error(`expected ${total} objects, HTTP served ${served}, pg read ${read}`);
          if (r === 0) continue; // warm-up
          http.push(httpMs);
          raw.push(pgMs);
          console.log(
            `  run ${r}: HTTP ${fmt(httpMs)} ms (${fmt((total / httpMs) * 1000)} objects/s), pg ${fmt(pgMs)} ms (${fmt((total / pgMs) * 1000)} objects/s)`,
          );
        }
        const h = median(http);
        const b = median(raw);
        console.log(
          `taxii: ${fmt(total)} objects at limit ${fmt(limit)}, TAXII over HTTP ${fmt((total / h) * 1000)} objects/s (median of ${runs}: ${fmt(h)} ms) ` +
            `vs the same SQL through pg ${fmt((total / b) * 1000)} objects/s (${fmt(b)} ms), ratio ${(b / h).toFixed(2)}`,
        );
      } finally {
        await db.end();
        await app.close();
        await database.stop();
      }
    },
  },
];
