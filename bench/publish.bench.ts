import { benchDatabase } from './bench-database';
import { benchEnv, fmt, median, numberArg, postJson, withApiWorkers, machine } from './bench';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { JsonLogger, loadConfig } from '@cairn/common';
import { ApiKeyService } from '@cairn/auth';
import { PublishService } from '@cairn/intel';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { CAIRN_IDENTITY_ID, categoryOf } from '@cairn/stix';
import { largeBundle } from '../test/fixtures/stix-bundles';
import { AppModule } from '../apps/api/src/app.module';
import type { Bench } from './bench';
import { profileLines, startProfile } from './feed/api-child';

/** The same realistic bundle with fresh SDO/SRO ids, so that each run publishes new objects (observables keep theirs). */
function freshBundle(text: string, coreIds: string[]): Record<string, unknown> {
  const map = new Map(coreIds.map((id) => [id, `${id.slice(0, id.lastIndexOf('--'))}--${randomUUID()}`]));
  return JSON.parse(text.replace(/"([a-z0-9-]+--[0-9a-f-]{36})"/g, (m, id: string) => (map.has(id) ? `"${map.get(id)}"` : m)));
}

/**
 * Rows exactly as the service stored them — the object versions and their identifier-index rows —
 * inserted again by multi-row INSERT … VALUES over plain `pg` (as the owner: no RLS, no validation,
 * no anonymisation) into the same tables and indexes.
 */
export async function rawInsert(
  db: Client,
  publisherId: string,
  rows: Array<Record<string, unknown>>,
  index: Array<{ ord: number; kind: string; key: string }>,
): Promise<void> {
  await db.query('BEGIN');
  const [{ last_seq, last_added }] = (
    await db.query(
      `UPDATE feed_counter SET last_seq = last_seq + $1, last_added = greatest(clock_timestamp(), last_added) + $1 * interval '1 microsecond' RETURNING last_seq::text, last_added`,
      [rows.length],
    )
  ).rows;
  const firstSeq = BigInt(last_seq) - BigInt(rows.length) + 1n;
  const baseMicros = BigInt(new Date(last_added).getTime()) * 1000n - BigInt(rows.length);
  const COLS = 12;
  const PER = Math.floor(65_000 / COLS);
  const pks: string[] = [];
  for (let start = 0; start < rows.length; start += PER) {
    const chunk = rows.slice(start, start + PER);
    const values: unknown[] = [];
    const tuples = chunk.map((r, k) => {
      const i = start + k;
      const micros = baseMicros + BigInt(i);
      values.push(
        r.id,
        r.type,
        r.modified,
        publisherId,
        'AMBER',
        'COMMUNITY',
        r.doc,
        (firstSeq + BigInt(i)).toString(),
        new Date(Number(micros / 1000n)).toISOString().replace('Z', `${String(Number(micros % 1000n)).padStart(3, '0')}Z`),
        r.revoked,
        r.valid_until,
        [],
      );
      const b = k * COLS;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}, $${b + 11}, $${b + 12})`;
    });
    const inserted = await db.query(
      `INSERT INTO stix_object (id, type, modified, publisher_tenant_id, tlp, distribution, doc, feed_seq, date_added, revoked, valid_until, audience_sectors) VALUES ${tuples.join(', ')} RETURNING pk::text`,
      values,
    );
    pks.push(...inserted.rows.map((r: { pk: string }) => r.pk));
  }
  const ICOLS = 5;
  const IPER = Math.floor(65_000 / ICOLS);
  for (let start = 0; start < index.length; start += IPER) {
    const chunk = index.slice(start, start + IPER);
    const values: unknown[] = [];
    const tuples = chunk.map((e, k) => {
      values.push(pks[e.ord], e.kind, e.key, publisherId, 'COMMUNITY');
      const b = k * ICOLS;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, '{}', '{}', '{}')`;
    });
    await db.query(
      `INSERT INTO observable_index (object_pk, kind, key, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_recipients) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
  await db.query('COMMIT');
}

export const benches: Bench[] = [
  {
    name: 'publish',
    description:
      'publishBundle of realistic 10,000-object bundles through PublishService vs a raw pg multi-row INSERT of the same object and index rows (--objects=N, --runs=N; --profile prints a CPU profile of the one-at-a-time service runs)',
    async run(args) {
      const count = numberArg(args, 'objects', 10_000);
      const runs = numberArg(args, 'runs', 5);
      const database = await benchDatabase('publish');
      const { databaseUrl } = database;
      const config = loadConfig(benchEnv(databaseUrl));
      const logger = new JsonLogger('error');
      const app = await NestFactory.createApplicationContext(
        AppModule.forRoot({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, logger),
        { logger },
      );
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const tenancy = app.get(TenancyService);
        const publishing = app.get(PublishService);
        // The bundle holds sightings: its publishers need a small-crowd cell, so the exchange starts with k members in theirs.
        for (let i = 0; i < config.kAnonymity; i++)
          await tenancy.createTenant({
            slug: `bench-crowd-${i}-${Date.now()}`,
            name: `Crowd member ${i}`,
            country: 'DE',
            sectors: ['healthcare'],
          });
        const base = largeBundle(count);
        const coreIds = base.objects
          .filter((o) => categoryOf(o.type) === 'sdo' || categoryOf(o.type) === 'sro')
          .map((o) => o.id)
          .filter((id) => id !== CAIRN_IDENTITY_ID);
        const text = JSON.stringify(base);
        const service: number[] = [];
        const raw: number[] = [];
        let stored = 0;
        for (let r = 0; r <= runs; r++) {
          const tenant = await tenancy.createTenant({
            slug: `bench-${r}-${Date.now()}`,
            name: `Bench member ${r}`,
            country: 'DE',
            sectors: ['healthcare'],
          });
          const bundle = freshBundle(text, coreIds);
          // --profile: a CPU profile of the first measured service call alone (not the baseline's).
          const stopProfile = r === 1 && args.includes('--profile') ? await startProfile() : undefined;
          const t0 = process.hrtime.bigint();
          const result = await publishing.publishBundle(machine(tenant), bundle, { distribution: 'COMMUNITY', tlp: 'AMBER' });
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          if (stopProfile)
            console.log(`  CPU profile of this process during run 1's service call (self time):\n${profileLines(await stopProfile(), 30)}`);
          stored = result.created + result.newVersions;
          // The same rows, as stored, for the baseline, under another publisher.
          const { rows } = await db.query(
            `SELECT id, type, modified, doc, revoked, valid_until FROM stix_object WHERE publisher_tenant_id = $1 ORDER BY feed_seq`,
            [tenant.id],
          );
          const { rows: index } = await db.query(
            `SELECT o.ord - 1 AS ord, i.kind, i.key FROM observable_index i
               JOIN (SELECT pk, row_number() OVER (ORDER BY feed_seq) AS ord FROM stix_object WHERE publisher_tenant_id = $1) o ON o.pk = i.object_pk`,
            [tenant.id],
          );
          const other = await tenancy.createTenant({
            slug: `bench-raw-${r}-${Date.now()}`,
            name: `Raw member ${r}`,
            country: 'DE',
            sectors: ['healthcare'],
          });
          const t1 = process.hrtime.bigint();
          await rawInsert(
            db,
            other.id,
            rows,
            index.map((e: { ord: string; kind: string; key: string }) => ({ ord: Number(e.ord), kind: e.kind, key: e.key })),
          );
          const rawMs = Number(process.hrtime.bigint() - t1) / 1e6;
          if (r === 0) continue; // warm-up
          service.push(ms);
          raw.push(rawMs);
          console.log(
            `  run ${r}: service ${fmt(ms)} ms (${fmt((count / ms) * 1000)} objects/s), raw INSERT ${fmt(rawMs)} ms (${stored} objects + ${index.length} index rows)`,
          );
        }
        const s = median(service);
        const b = median(raw);
        console.log(
          `publish: ${fmt(count)}-object bundles (${fmt(stored)} rows stored each), one at a time: PublishService ${fmt((count / s) * 1000)} objects/s ` +
            `(median of ${runs}: ${fmt(s)} ms) vs raw pg multi-row INSERT ${fmt((stored / b) * 1000)} rows/s (${fmt(b)} ms), ratio ${(b / s).toFixed(2)}`,
        );

        // Several members publishing at once, as an exchange ingests: `publishers` tenants each publish
        // `per` bundles back to back. Writers take turns at the feed-order lock for their inserts, while
        // the API validates and anonymises the next bundle. The baseline runs as many raw writers, each on
        // its own connection, through the same lock (the feed_counter row).
        const publishers = numberArg(args, 'publishers', 2);
        const per = numberArg(args, 'per-publisher', 3);
        // A tenant per bundle, as in the runs above: a tenant's second bundle would find its observables
        // already published (UNCHANGED) and store fewer rows.
        const members: TenantEntity[][] = [];
        for (let i = 0; i < publishers; i++) {
          members.push([]);
          for (let k = 0; k < per; k++)
            members[i].push(
              await tenancy.createTenant({
                slug: `bench-c-${i}-${k}-${Date.now()}`,
                name: `Concurrent member ${i}.${k}`,
                country: 'DE',
                sectors: ['healthcare'],
              }),
            );
        }
        const bundles = members.map((ts) => ts.map(() => freshBundle(text, coreIds)));
        const t0 = process.hrtime.bigint();
        await Promise.all(
          members.map(async (ts, i) => {
            for (let k = 0; k < per; k++)
              await publishing.publishBundle(machine(ts[k]), bundles[i][k], { distribution: 'COMMUNITY', tlp: 'AMBER' });
          }),
        );
        const concurrentMs = Number(process.hrtime.bigint() - t0) / 1e6;
        const { rows: sample } = await db.query(
          `SELECT id, type, modified, doc, revoked, valid_until FROM stix_object WHERE publisher_tenant_id = $1 ORDER BY feed_seq`,
          [members[0][0].id],
        );
        const { rows: sampleIndex } = await db.query(
          `SELECT o.ord - 1 AS ord, i.kind, i.key FROM observable_index i
             JOIN (SELECT pk, row_number() OVER (ORDER BY feed_seq) AS ord FROM stix_object WHERE publisher_tenant_id = $1) o ON o.pk = i.object_pk`,
          [members[0][0].id],
        );
        const perBundleIndex = sampleIndex.map((e: { ord: string; kind: string; key: string }) => ({
          ord: Number(e.ord),
          kind: e.kind,
          key: e.key,
        }));
        const writers = await Promise.all(
          Array.from({ length: publishers }, async () => {
            const c = new Client({ connectionString: databaseUrl });
            await c.connect();
            return c;
          }),
        );
        const rawMembers = await Promise.all(
          Array.from({ length: publishers }, (_, i) =>
            tenancy.createTenant({
              slug: `bench-cr-${i}-${Date.now()}`,
              name: `Concurrent raw ${i}`,
              country: 'DE',
              sectors: ['healthcare'],
            }),
          ),
        );
        const t1 = process.hrtime.bigint();
        try {
          await Promise.all(
            writers.map(async (c, i) => {
              for (let k = 0; k < per; k++) {
                // Each raw bundle is the same rows with fresh ids, so that none collides with another.
                const rows = sample.map((r: Record<string, unknown>) => ({
                  ...r,
                  id: `${String(r.id).slice(0, String(r.id).lastIndexOf('--'))}--${randomUUID()}`,
                }));
                await rawInsert(c, rawMembers[i].id, rows, perBundleIndex);
              }
            }),
          );
        } finally {
          await Promise.all(writers.map((c) => c.end()));
        }
        const concurrentRawMs = Number(process.hrtime.bigint() - t1) / 1e6;
        const total = publishers * per;
        console.log(
          `publish: ${publishers} publishers at once, ${per} bundles each, in one process: PublishService ${fmt(((total * count) / concurrentMs) * 1000)} objects/s (${fmt(concurrentMs)} ms for ${total} bundles) ` +
            `vs ${publishers} raw writers ${fmt(((total * stored) / concurrentRawMs) * 1000)} rows/s (${fmt(concurrentRawMs)} ms), ratio ${(concurrentRawMs / concurrentMs).toFixed(2)}`,
        );

        // The same over HTTP, as deployed on this machine: `npm start` with API_WORKERS=2, each member
        // POSTing publishBundle with its API key. One process validating a bundle then no longer
        // stalls the other's transaction, which holds the feed-order lock.
        const keys = app.get(ApiKeyService);
        // Each member's first bundle warms the fresh API processes up (their first validation runs
        // before the JIT has compiled it, two to three times slower) and is not timed, as the
        // one-at-a-time runs above leave out their first.
        const httpMembers: Array<Array<{ key: string }>> = [];
        for (let i = 0; i < publishers; i++) {
          httpMembers.push([]);
          for (let k = 0; k <= per; k++) {
            const t = await tenancy.createTenant({
              slug: `bench-h-${i}-${k}-${Date.now()}`,
              name: `HTTP member ${i}.${k}`,
              country: 'DE',
              sectors: ['healthcare'],
            });
            httpMembers[i].push({ key: (await keys.create({ tenantId: t.id, name: 'bench', scopes: ['intel:write'] })).secret });
          }
        }
        const httpBundles = httpMembers.map((ms) => ms.map(() => freshBundle(text, coreIds)));
        const PUBLISH = `mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created newVersions unchanged } }`;
        const httpMs = await withApiWorkers(databaseUrl, 2, 4, async (baseUrl) => {
          const post = async (i: number, k: number) => {
            const res = await postJson<{ data?: { publishBundle: { created: number } }; errors?: unknown }>(
              `${baseUrl}/graphql`,
              { query: PUBLISH, variables: { b: httpBundles[i][k], s: { distribution: 'COMMUNITY', tlp: 'AMBER' } } },
              { authorization: `Bearer ${httpMembers[i][k].key}` },
            );
            if (!res.body.data || res.body.errors)
              throw new Error(`publishBundle over HTTP failed: ${JSON.stringify(res.body.errors).slice(0, 300)}`);
          };
          await Promise.all(httpMembers.map((_, i) => post(i, 0)));
          const t2 = process.hrtime.bigint();
          await Promise.all(
            httpMembers.map(async (_, i) => {
              for (let k = 1; k <= per; k++) await post(i, k);
            }),
          );
          return Number(process.hrtime.bigint() - t2) / 1e6;
        });
        const httpRate = ((total * count) / httpMs) * 1000;
        console.log(
          `publish: ${publishers} members at once over HTTP, API_WORKERS=2, ${per} bundles each: ${fmt(httpRate)} objects/s (${fmt(httpMs)} ms for ${total} bundles) ` +
            `vs ${publishers} raw writers ${fmt(((total * stored) / concurrentRawMs) * 1000)} rows/s, ratio ${(concurrentRawMs / httpMs).toFixed(2)}; target 10,000 objects/s: ${httpRate >= 10_000 ? 'met' : 'NOT met'}`,
        );
      } finally {
        await db.end();
        await app.close();
        await database.stop();
      }
    },
  },
];
