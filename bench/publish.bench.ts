import { benchDatabase } from './bench-database';
import { benchEnv, fmt, median, numberArg } from './bench';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { JsonLogger, loadConfig, type Viewer } from '@cairn/common';
import { PublishService } from '@cairn/intel';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { CAIRN_IDENTITY_ID, categoryOf } from '@cairn/stix';
import { largeBundle } from '../libs/stix/src/testing/fixtures';
import { AppModule } from '../apps/api/src/app.module';
import type { Bench } from './bench';

/** The same realistic bundle with fresh SDO/SRO ids, so that each run publishes new objects (observables keep theirs). */
function freshBundle(text: string, coreIds: string[]): Record<string, unknown> {
  const map = new Map(coreIds.map((id) => [id, `${id.slice(0, id.lastIndexOf('--'))}--${randomUUID()}`]));
  return JSON.parse(text.replace(/"([a-z0-9-]+--[0-9a-f-]{36})"/g, (m, id: string) => (map.has(id) ? `"${map.get(id)}"` : m)));
}

const machine = (t: TenantEntity): Viewer => ({ kind: 'apikey', tenantId: t.id, operator: false, scopes: new Set(['intel:read', 'intel:write']) });

/**
 * Rows exactly as the service stored them — the object versions and their identifier-index rows —
 * inserted again by multi-row INSERT … VALUES over plain `pg` (as the owner: no RLS, no validation,
 * no anonymisation) into the same tables and indexes.
 */
async function rawInsert(db: Client, publisherId: string, rows: Array<Record<string, unknown>>, index: Array<{ ord: number; kind: string; key: string }>): Promise<void> {
  await db.query('BEGIN');
  const [{ last_seq, last_added }] = (await db.query(
    `UPDATE feed_counter SET last_seq = last_seq + $1, last_added = greatest(clock_timestamp(), last_added) + $1 * interval '1 microsecond' RETURNING last_seq::text, last_added`,
    [rows.length],
  )).rows;
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
        r.id, r.type, r.modified, publisherId, 'AMBER', 'COMMUNITY', r.doc, (firstSeq + BigInt(i)).toString(),
        new Date(Number(micros / 1000n)).toISOString().replace('Z', `${String(Number(micros % 1000n)).padStart(3, '0')}Z`), r.revoked, r.valid_until, [],
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
    description: 'publishBundle of realistic 10,000-object bundles through PublishService vs a raw pg multi-row INSERT of the same object and index rows (--objects=N, --runs=N)',
    async run(args) {
      const count = numberArg(args, 'objects', 10_000);
      const runs = numberArg(args, 'runs', 5);
      const database = await benchDatabase('publish');
      const { databaseUrl } = database;
      const config = loadConfig(benchEnv(databaseUrl));
      const logger = new JsonLogger('error');
      const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl, connectDatabase: true }, logger), { logger });
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const tenancy = app.get(TenancyService);
        const publishing = app.get(PublishService);
        const base = largeBundle(count);
        const coreIds = base.objects.filter((o) => categoryOf(o.type) === 'sdo' || categoryOf(o.type) === 'sro').map((o) => o.id).filter((id) => id !== CAIRN_IDENTITY_ID);
        const text = JSON.stringify(base);
        const service: number[] = [];
        const raw: number[] = [];
        let stored = 0;
        for (let r = 0; r <= runs; r++) {
          const tenant = await tenancy.createTenant({ slug: `bench-${r}-${Date.now()}`, name: `Bench member ${r}`, country: 'DE', sectors: ['healthcare'] });
          const bundle = freshBundle(text, coreIds);
          const t0 = process.hrtime.bigint();
          const result = await publishing.publishBundle(machine(tenant), bundle, { distribution: 'COMMUNITY', tlp: 'AMBER' });
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
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
          const other = await tenancy.createTenant({ slug: `bench-raw-${r}-${Date.now()}`, name: `Raw member ${r}`, country: 'DE', sectors: ['healthcare'] });
          const t1 = process.hrtime.bigint();
          await rawInsert(db, other.id, rows, index.map((e: { ord: string; kind: string; key: string }) => ({ ord: Number(e.ord), kind: e.kind, key: e.key })));
          const rawMs = Number(process.hrtime.bigint() - t1) / 1e6;
          if (r === 0) continue; // warm-up
          service.push(ms);
          raw.push(rawMs);
          console.log(`  run ${r}: service ${fmt(ms)} ms (${fmt((count / ms) * 1000)} objects/s), raw INSERT ${fmt(rawMs)} ms (${stored} objects + ${index.length} index rows)`);
        }
        const s = median(service);
        const b = median(raw);
        console.log(
          `publish: ${fmt(count)}-object bundles (${fmt(stored)} rows stored each), PublishService ${fmt((count / s) * 1000)} objects/s ` +
            `(median of ${runs}: ${fmt(s)} ms) vs raw pg multi-row INSERT ${fmt((stored / b) * 1000)} rows/s (${fmt(b)} ms), ratio ${(b / s).toFixed(2)}`,
        );
      } finally {
        await db.end();
        await app.close();
        await database.stop();
      }
    },
  },
];
