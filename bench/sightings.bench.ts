import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { JsonLogger, loadConfig } from '@cairn/common';
import { IntelService } from '@cairn/intel';
import { SightingsService } from '@cairn/sightings';
import { TenancyService } from '@cairn/tenancy';
import { createApp } from '../apps/api/src/create-app';
import { benchEnv, fmt, laptopFarmIndicator, machine, ms1, numberArg, percentile, type Bench } from './bench';
import { benchDatabase } from './bench-database';
import { ApiChild, createTenants, type ChildStats } from './feed/api-child';
import { FEED_COUNTRIES, FEED_PG_FLAGS, FEED_SECTORS, gql, indicatorDoc } from './feed/clients';
import { PgActivitySampler } from './feed/pg-activity';

/*
 * Sightings in (issue 18): reportSightings over HTTP, in batches, from several callers at once over
 * two API instances (child processes, one database), against the raw insert of the same rows — the
 * sighting versions and their sighting facts as the service stored them, with fresh ids, inserted
 * by as many plain `pg` writers (as the owner: no RLS, no validation, no audit) through the same
 * feed-order lock. Both in one run, so the ratio is of one machine state; /proc/loadavg beside it.
 */

const REPORT_MANY = `mutation($i: [ReportSightingInput!]!) { reportSightings(inputs: $i) { id cursor } }`;
const STAGES = ['APPLICATION', 'INTERVIEW', 'OFFER', 'HIRED'];

/** The rows of one reported batch as stored: versions and facts (columns as in the tables). */
interface StoredBatch {
  objects: Array<Record<string, unknown>>;
  facts: Array<Record<string, unknown>>;
}

/** One raw batch: the stored rows again with fresh sighting ids, in one transaction through the feed_counter lock. */
async function rawInsert(db: Client, batch: StoredBatch): Promise<void> {
  const fresh = new Map(batch.objects.map((o) => [o.id as string, `sighting--${randomUUID()}`]));
  const objects = batch.objects.map((o, i) => ({
    ...o,
    ord: i + 1,
    id: fresh.get(o.id as string),
    doc: { ...(o.doc as object), id: fresh.get(o.id as string) },
  }));
  const facts = batch.facts.map((f) => ({ ...f, sighting_id: fresh.get(f.sighting_id as string) }));
  await db.query('BEGIN');
  const { rows } = await db.query(
    `UPDATE feed_counter SET last_seq = last_seq + $1, last_added = greatest(clock_timestamp(), last_added) + $1 * interval '1 microsecond' RETURNING last_seq::text, last_added::text`,
    [objects.length],
  );
  const first = BigInt(rows[0].last_seq) - BigInt(objects.length) + 1n;
  await db.query(
    `INSERT INTO stix_object (id, type, modified, publisher_tenant_id, tlp, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, doc, feed_seq, date_added, revoked, valid_until)
     SELECT id, type, modified, publisher_tenant_id, tlp, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, doc,
            $2::bigint + ord - 1, $3::timestamptz - ($4::int - ord) * interval '1 microsecond', revoked, valid_until
       FROM jsonb_to_recordset($1::jsonb) AS r(ord int, id text, type text, modified timestamptz, publisher_tenant_id uuid, tlp text, distribution text, audience_sectors text[],
            audience_countries text[], audience_group_id uuid, audience_recipients uuid[], doc jsonb, revoked boolean, valid_until timestamptz)`,
    [JSON.stringify(objects), first.toString(), rows[0].last_added, objects.length],
  );
  const ordOf = new Map(objects.map((o) => [o.id as string, o.ord]));
  await db.query(
    `INSERT INTO sighting_fact (feed_seq, sighting_id, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, cell_sector, cell_area,
                                subject_id, subject_type, first_seen, last_seen, count, confidence, interview_stage, role_category, hiring_channel, date_added)
     SELECT $2::bigint + r.ord - 1, r.sighting_id, r.publisher_tenant_id, r.distribution, r.audience_sectors, r.audience_countries, r.audience_group_id, r.audience_recipients, r.cell_sector, r.cell_area,
            r.subject_id, r.subject_type, r.first_seen, r.last_seen, r.count, r.confidence, r.interview_stage, r.role_category, r.hiring_channel,
            $3::timestamptz - ($4::int - r.ord) * interval '1 microsecond'
       FROM jsonb_to_recordset($1::jsonb) AS r(ord int, sighting_id text, publisher_tenant_id uuid, distribution text, audience_sectors text[], audience_countries text[], audience_group_id uuid,
            audience_recipients uuid[], cell_sector text, cell_area text, subject_id text, subject_type text, first_seen timestamptz, last_seen timestamptz, count int, confidence int,
            interview_stage text, role_category text, hiring_channel text)`,
    [
      JSON.stringify(facts.map((f) => ({ ...f, ord: ordOf.get(f.sighting_id as string) }))),
      first.toString(),
      rows[0].last_added,
      objects.length,
    ],
  );
  await db.query('COMMIT');
}

async function runSightings(args: string[]): Promise<void> {
  const batch = numberArg(args, 'batch', 100);
  const callers = numberArg(args, 'callers', 8);
  const seconds = numberArg(args, 'seconds', 10);
  const load = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
  const db = await benchDatabase('sightings', FEED_PG_FLAGS);
  const apis: ApiChild[] = [];
  const owner = new Client({ connectionString: db.databaseUrl });
  await owner.connect();
  try {
    apis.push(await ApiChild.start(db.databaseUrl), await ApiChild.start(db.databaseUrl));
    const plan = Array.from({ length: 20 }, (_, i) => ({
      slug: `sight-${i}-${Date.now().toString(36)}`,
      name: `Sighting member ${i}`,
      country: FEED_COUNTRIES[i % FEED_COUNTRIES.length],
      sectors: [FEED_SECTORS[i % FEED_SECTORS.length]],
      defaultDistribution: i % 10 === 9 ? 'ORGANISATION' : 'SECTOR',
    }));
    const tenants = await createTenants(apis[0], plan, ['intel:read', 'sightings:write']);
    const subjects = Array.from({ length: 50 }, (_, i) => indicatorDoc(i));
    await apis[0].call('store', { tenantId: tenants[0].id, docs: subjects, sharing: { distribution: 'COMMUNITY', tlp: 'GREEN' } });
    let k = 0;
    const inputs = (n: number) =>
      Array.from({ length: n }, () => ({
        sightingOf: subjects[k++ % subjects.length].id,
        firstSeen: '2025-06-02T09:00:00Z',
        confidence: 50 + (k % 50),
        interviewStage: STAGES[k % STAGES.length],
      }));
    const errors: string[] = [];
    const report = async (i: number, n: number): Promise<string[]> => {
      const res = await gql<{ reportSightings: Array<{ id: string }> }>(apis[i % 2].baseUrl, tenants[i % tenants.length].key, REPORT_MANY, {
        i: inputs(n),
      });
      if (!res.data) {
        errors.push(JSON.stringify(res.errors).slice(0, 200));
        return [];
      }
      return res.data.reportSightings.map((s) => s.id);
    };
    // Warm-up: every tenant on both instances (cell identities, JIT).
    for (let i = 0; i < 2 * tenants.length; i++) await report(i, 5);

    /** Closed loop: `callers` at once, each call `batch` sightings, for `seconds`. */
    const closedLoop = async (call: (i: number, worker: number) => Promise<number>) => {
      const t0 = performance.now();
      let done = 0;
      let next = 0;
      const lat: number[] = [];
      await Promise.all(
        Array.from({ length: callers }, async (_, worker) => {
          while (performance.now() - t0 < seconds * 1000) {
            const c0 = performance.now();
            const n = await call(next++, worker);
            done += n;
            lat.push(performance.now() - c0);
          }
        }),
      );
      lat.sort((a, b) => a - b);
      return { perSecond: done / ((performance.now() - t0) / 1000), total: done, p99: percentile(lat, 99) };
    };

    const storedSightings = async () =>
      Number((await owner.query(`SELECT count(*) AS n FROM stix_object WHERE type = 'sighting'`)).rows[0].n);
    const storedBefore = await storedSightings();
    const loadBefore = load();
    await Promise.all(apis.map((a) => a.call('stats', { reset: true })));
    const self0 = process.cpuUsage();
    const t0 = performance.now();
    let sample: string[] = [];
    const http = await closedLoop(async (i) => {
      const ids = await report(i, batch);
      if (sample.length === 0 && ids.length === batch) sample = ids;
      return ids.length;
    });
    const selfCpu = process.cpuUsage(self0);
    const wall = (performance.now() - t0) / 1000;
    const stats = await Promise.all(apis.map((a) => a.call<ChildStats>('stats', { reset: true })));
    // The count the rate is made of, checked against what the database holds (a lost update in the
    // callers' tally once showed an eighth of the true rate).
    const storedByHttp = (await storedSightings()) - storedBefore;

    // The rows of one reported batch, as stored, for the raw writers.
    const { rows: objects } = await owner.query(
      `SELECT id, type, modified, publisher_tenant_id, tlp, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, doc, revoked, valid_until
         FROM stix_object WHERE id = ANY ($1) ORDER BY feed_seq`,
      [sample],
    );
    const { rows: facts } = await owner.query(`SELECT * FROM sighting_fact WHERE sighting_id = ANY ($1)`, [sample]);
    const stored: StoredBatch = { objects, facts: facts.map(({ feed_seq: _s, date_added: _d, ...f }: Record<string, unknown>) => f) };
    const writers = await Promise.all(
      Array.from({ length: callers }, async () => {
        const c = new Client({ connectionString: db.databaseUrl });
        await c.connect();
        return c;
      }),
    );
    // One connection per caller (closedLoop's workers call in turn; `worker` is the caller's index).
    const sampler = args.includes('--sample') ? new PgActivitySampler(db.databaseUrl) : undefined;
    await sampler?.start();
    const raw = await closedLoop(async (_i, worker) => {
      await rawInsert(writers[worker], stored);
      return stored.objects.length;
    }).finally(() => Promise.all(writers.map((c) => c.end())));
    const sampled = await sampler?.stop();
    const loadAfter = load();

    console.log(
      `sightings: reportSightings over HTTP, ${batch} per call, ${callers} callers, 2 API instances (child processes), ${seconds} s: ${fmt(http.perSecond)} sightings/s (call p99 ${ms1(http.p99)} ms, ${errors.length} failed calls; ${fmt(http.total)} acknowledged, ${fmt(storedByHttp)} stored) ` +
        `vs ${callers} raw pg writers inserting the same rows (versions + facts, fresh ids, through the feed_counter lock): ${fmt(raw.perSecond)} rows/s (batch p99 ${ms1(raw.p99)} ms); ` +
        `ratio ${(http.perSecond / raw.perSecond).toFixed(2)} (target ≥ 2,000/s and ≥ 0.5: ${http.perSecond >= 2000 && http.perSecond / raw.perSecond >= 0.5 ? 'met' : 'NOT met'})\n` +
        `  API instances: CPU ${stats.map((s) => `${((100 * s.cpuSeconds) / s.wallSeconds).toFixed(0)} %`).join(' + ')} of a core; load generator ${((100 * (selfCpu.user + selfCpu.system)) / 1e6 / wall).toFixed(0)} % of a core; ` +
        `${cpus().length} cores; /proc/loadavg ${loadBefore} before, ${loadAfter} after` +
        (errors.length ? `\n  first failure: ${errors[0]}` : '') +
        (sampled ? `\n  raw writers:\n${sampled}` : ''),
    );
  } finally {
    await owner.end();
    await Promise.all(apis.map((a) => a.stop()));
    await db.stop();
  }
}

export const benches: Bench[] = [
  {
    name: 'sightings',
    description:
      'reportSightings over HTTP in batches (2 API instances, several callers) vs raw pg writers inserting the same rows through the feed-order lock (--batch=N, --callers=N, --seconds=N)',
    run: runSightings,
  },
];

/**
 * What one report of one sighting asks of the database (in process, caches warm): every statement
 * it sends, in order, counted at node-postgres's Client.query. Not a timing: the count behind the
 * round-trip work in BENCHMARKS.md, reproducible with `npm run bench -- report-statements`.
 */
async function runReportStatements(): Promise<void> {
  const database = await benchDatabase('report-statements');
  try {
    const config = loadConfig(benchEnv(database.databaseUrl));
    const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
    try {
      const tenants = await app
        .get(TenancyService)
        .createTenants(Array.from({ length: 8 }, (_, i) => ({ slug: `rs-${i}`, name: `RS ${i}`, country: 'US', sectors: ['technology'] })));
      const T = '2025-01-01T00:00:00.000Z';
      const indicator = laptopFarmIndicator(1);
      await app.get(IntelService).storeObjects(machine(tenants[0]), [indicator], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      const sent: string[] = [];
      const query = Client.prototype.query;
      let counting = false;
      Client.prototype.query = function (this: Client, ...args: unknown[]) {
        const q = args[0] as string | { text?: string; name?: string };
        if (counting) sent.push((typeof q === 'string' ? q : (q.text ?? q.name ?? '?')).replace(/\s+/g, ' ').trim().slice(0, 100));
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof query;
      try {
        for (let call = 1; call <= 3; call++) {
          sent.length = 0;
          counting = true;
          await app
            .get(SightingsService)
            .report(machine(tenants[call]), [{ sightingOf: indicator.id, count: 1, firstSeen: T, lastSeen: T }]);
          counting = false;
        }
      } finally {
        Client.prototype.query = query;
      }
      console.log(`report-statements: one reportSightings of one sighting (third call, caches warm) sent ${sent.length} statements:`);
      for (const s of sent) console.log(`  ${s}`);
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}

benches.push({
  name: 'report-statements',
  description: 'the statements one reportSightings of one sighting sends to PostgreSQL, in order (in process; a count, not a timing)',
  run: runReportStatements,
});
