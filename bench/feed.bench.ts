import { setViewer } from '@cairn/access';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client } from 'pg';
import { CursorCipher } from '@cairn/intel';
// The feed statement itself, measured without the service around it (not part of the lib's surface).
import { feedRows } from '../libs/sightings/src/sighting-facts';
import { BENCH_CURSOR_SECRET, cpuLine, cpuMeter, fmt, ms1, numberArg, percentile, sleep, wallNow, type Bench } from './bench';
import { benchDatabase } from './bench-database';
import { ApiChild, createTenants, profileLines, type ChildProfile, type ChildStats, type HubTimings } from './feed/api-child';
import {
  connectAll,
  FEED_COUNTRIES,
  FEED_PG_FLAGS,
  FEED_SECTORS,
  FeedSubscriber,
  gql,
  indicatorDoc,
  mayView,
  type GqlResult,
} from './feed/clients';
import { PgActivitySampler, StatementStats } from './feed/pg-activity';
import { cpuTimes, latencySummary, Receipts, type Sent } from './feed/receipts';

/*
 * Feed bench (issue 6): publish → subscriber latency with 1,000 graphql-ws subscribers on TWO API
 * instances sharing one database, ~20 tenants, sightings ingested at a steady rate over HTTP.
 * The API instances are child processes (feed/api-child.ts); the subscribers and GraphQL calls
 * are the load generator's (feed/clients.ts), PostgreSQL is sampled by feed/pg-activity.ts, and
 * what was sent and received is kept in feed/receipts.ts.
 */

/** The instances' cursor key (benchEnv), so the bench can read the positions behind the cursors it is given. */
const benchCursors = new CursorCipher(BENCH_CURSOR_SECRET);

const REPORT_MANY = `mutation($i: [ReportSightingInput!]!) { reportSightings(inputs: $i) { id cursor } }`;
const SUB = `subscription { sightingReported { cursor id type object } }`;
const STAGES = ['APPLICATION', 'INTERVIEW', 'OFFER', 'HIRED'];
const ROLES = ['SOFTWARE', 'DATA', 'PAYROLL_ACCOUNTING', 'IT_SUPPORT', 'AI_ML'];
const CHANNELS = ['JOB_BOARD', 'STAFFING_AGENCY', 'FREELANCE_PLATFORM'];

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

  // --statements: PostgreSQL's own time per statement over the measured phase (pg_stat_statements, nested ones included).
  const statements = args.includes('--statements');
  const db = await benchDatabase(
    'feed',
    statements
      ? [
          ...FEED_PG_FLAGS,
          '-c',
          'shared_preload_libraries=pg_stat_statements',
          '-c',
          'pg_stat_statements.track=all',
          '-c',
          'pg_stat_statements.track_planning=on',
        ]
      : FEED_PG_FLAGS,
  );
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
    const rand = (n: number) => (rngState = (rngState * 1103515245 + 12345) & 0x7fffffff) % n;
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
      const res = await gql<{ reportSightings: Array<{ id: string; cursor: string }> }>(
        apis[instance].baseUrl,
        tenants[publisher].key,
        REPORT_MANY,
        { i: inputs(n) },
      ).catch((err: Error) => ({ status: 0, errors: [{ message: err.message }] }) as GqlResult<never>);
      const ack = wallNow();
      if (!res.data) {
        if (callErrors.length < 5) callErrors.push(JSON.stringify(res.errors).slice(0, 300));
        else callErrors.push('');
        return 0;
      }
      for (const s of res.data.reportSightings) {
        idIndex.set(s.id, sent.length);
        sent.push({
          publisher,
          instance,
          start,
          ack,
          seq: BigInt(benchCursors.open('graphql', tenants[publisher].id, s.cursor) ?? '0'),
          phase,
        });
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
            const n = await report(i % tenants.length, Math.floor(i / tenants.length) % 2, size, 'max');
            stored += n;
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
    console.log(
      `  max ingest, no subscribers: ${fmt(before.perSecond)} sightings/s (reportSightings over HTTP, ${maxBatch} per call, ${maxConcurrency} callers, alternating instances; call p99 ${ms1(before.p99)} ms)`,
    );

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
    for (let s = 0; s < subscriberCount; s++)
      subscribers.push(new FeedSubscriber(s, s % tenants.length, Math.floor(s / tenants.length) % 2, onEvent));
    const connectStart = performance.now();
    await connectAll(subscribers.map((s) => () => s.connect(apis[s.instance].baseUrl, tenants[s.tenantIndex].key, SUB)));
    // Wait until every subscription is registered in a FeedHub (its cursor is then set).
    for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
      const counts = await Promise.all(apis.map((a) => a.call<ChildStats>('stats', {})));
      if (counts.reduce((n, c) => n + c.subscribers, 0) >= subscriberCount) break;
      if (Date.now() > deadline)
        throw new Error(`only ${counts.map((c) => c.subscribers).join(' + ')} of ${subscriberCount} subscriptions registered`);
    }
    console.log(
      `  ${subscriberCount} subscribers connected and registered in ${fmt(performance.now() - connectStart)} ms (${subscribers.filter((s) => s.instance === 0).length} + ${subscribers.filter((s) => s.instance === 1).length})`,
    );

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
    const meter = cpuMeter();
    const self0 = process.cpuUsage();
    const selfLoop = monitorEventLoopDelay({ resolution: 5 });
    selfLoop.enable();
    const sampler = new PgActivitySampler(db.databaseUrl);
    await sampler.start();
    const statementStats = statements ? await StatementStats.start(db.databaseUrl) : undefined;
    const measuredFrom = sent.length;
    const run = await steady(seconds * 1000, 'measure');
    const measuredTo = sent.length;
    const cpu1 = cpuTimes();
    const selfCpu = process.cpuUsage(self0);
    selfLoop.disable();
    const pgActivity = await sampler.stop();
    const statementLines = statementStats ? await statementStats.stop(measuredTo - measuredFrom) : '';
    const stats = await Promise.all(apis.map((a) => a.call<ChildStats>('stats', { reset: true })));
    // Read right after the phase (the sampler's and the stats calls' few milliseconds included).
    const perSighting = meter.stop(measuredTo - measuredFrom, { 'instance A': stats[0].cpuSeconds, 'instance B': stats[1].cpuSeconds });
    const profiles = profile
      ? await Promise.all(
          apis.map((a, i) =>
            a.call<ChildProfile>('profile-stop', {
              file: join(tmpdir(), `cairn-feed-api${i}.cpuprofile`),
            }),
          ),
        )
      : [];

    // Expected deliveries of everything reported so far (warm-up and measured), then drain.
    const subsOfTenant = tenants.map((_, t) => subscribers.filter((s) => s.tenantIndex === t).length);
    const audience = tenants.map((p) => tenants.map((v) => mayView(p, v)));
    let expected = 0;
    const firstTracked = sent.findIndex((s) => s.phase === 'warm');
    for (let i = firstTracked; i < sent.length; i++)
      for (let t = 0; t < tenants.length; t++) if (audience[sent[i].publisher][t]) expected += subsOfTenant[t];
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
      const scope = await apis[0].call<{ tenantId: string; country: string; sectors: string[]; groupIds: string[] }>('scope', {
        tenantId: tenants[0].id,
      });
      const owner = new Client({ connectionString: db.databaseUrl });
      await owner.connect();
      await owner.query('BEGIN');
      await owner.query('SET LOCAL ROLE cairn_app');
      await setViewer(owner, scope);
      const plans: string[] = [];
      const m = {
        query: async (sql: string, params: unknown[]) => {
          plans.push(
            (await owner.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows
              .map((r: Record<string, string>) => r['QUERY PLAN'])
              .join('\n'),
          );
          return [];
        },
      };
      await feedRows(
        m as never,
        scope,
        { types: ['sighting'] },
        { afterSeq: String(sent[measuredFrom].seq - 1n), limit: 500, newestFirst: false },
      );
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
    const deliveries = measured.reduce(
      (n, s) => n + tenants.reduce((m, _, t) => m + (audience[s.publisher][t] ? subsOfTenant[t] : 0), 0),
      0,
    );
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
          ? `    where the time goes (per delivery; FeedHub's feed reads timed in each instance):\n` +
            `      report call start → response (commit ack): see the reportSightings line above\n` +
            `      response → FeedHub pass starts the tenant's query (NOTIFY, wake, queueing behind the previous pass; < 0 when NOTIFY beats the response): ${latencySummary(stage.wake)}\n` +
            `      feed read (FeedService.since per tenant, or sinceEach: every tenant of the pass in one round trip): ${latencySummary(stage.query)}\n` +
            `      query done → GraphQL execute + serialise + ws send → received by the client: ${latencySummary(stage.push)}\n`
          : '') +
        timings
          .map(
            (t, i) =>
              `    instance ${'AB'[i]}: ${fmt(t.notifications / run.seconds)} NOTIFY/s, ${fmt(t.sinceCalls / run.seconds)} feed reads/s (p50 ${ms1(t.sinceP50)} ms, p99 ${ms1(t.sinceP99)} ms, ${fmt(t.rowsFetched / run.seconds)} rows/s), ${fmt(t.accessScopeCalls / run.seconds)} separate accessScope queries/s; ` +
              `CPU ${((100 * stats[i].cpuSeconds) / stats[i].wallSeconds).toFixed(0)} % of a core, event-loop delay p99 ${ms1(stats[i].loopDelayP99)} ms (max ${ms1(stats[i].loopDelayMax)} ms), RSS ${fmt(stats[i].rss / 2 ** 20)} MiB`,
          )
          .join('\n') +
        `\n${pgActivity}` +
        `\n    load generator: CPU ${((100 * (selfCpu.user + selfCpu.system)) / 1e6 / run.seconds).toFixed(0)} % of a core, event-loop delay p99 ${ms1(selfLoop.percentile(99) / 1e6)} ms; machine CPU busy ${busy.toFixed(0)} % (all ${cpus().length} cores)\n` +
        `    CPU per sighting: ${cpuLine(perSighting).replace('this process', 'load generator').replace('per call', 'per sighting')}\n` +
        `  correctness (warm-up + measured sightings, ${fmt(sent.length - firstTracked)} sightings, drained ${(drainMs / 1000).toFixed(1)} s): expected ${fmt(expected)} deliveries, received ${fmt(correct)}; ` +
        `WRONG deliveries (to a tenant that may not see the sighting): ${wrong}; missed ${missed}; duplicates ${duplicates}; unknown ids ${foreign}; subscription errors ${subErrors}; subscribers closed ${dropped}`,
    );
    if (statementLines) console.log(statementLines);
    if (callErrors.length) console.log(`    failed calls, first: ${callErrors.filter(Boolean).join(' | ')}`);
    for (const [i, p] of profiles.entries()) {
      console.log(
        `  CPU profile of instance ${'AB'[i]} during the measured phase (self time; ${join(tmpdir(), `cairn-feed-api${i}.cpuprofile`)}):`,
      );
      console.log(profileLines(p, 15));
    }

    // Sweep: shorter steady phases at other rates (--rates=50,100,200), to find where the target holds.
    const ratesArg = args.find((a) => a.startsWith('--rates='));
    const rates = (ratesArg ? ratesArg.slice(8) : '50,100,200')
      .split(',')
      .map(Number)
      .filter((r) => Number.isFinite(r) && r > 0);
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
      for (let i = trackFrom; i < sent.length; i++)
        for (let t = 0; t < tenants.length; t++) if (audience[sent[i].publisher][t]) exp += subsOfTenantNow[t];
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
      const calls = sent
        .slice(from, to)
        .filter((x, i, a) => i === 0 || a[i - 1].start !== x.start)
        .map((x) => x.ack - x.start)
        .sort((a, b) => a - b);
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
      'publish → subscriber latency: 1,000 graphql-ws subscribers on 2 API instances (child processes, one database), 20 tenants, reportSightings at a steady 500/s, then shorter phases at other rates; max ingest with and without subscribers (--rate=N, --batch=N, --seconds=N, --rates=50,100,200, --subscribers=N, --tenants=N, --profile, --explain, --statements)',
    run: runFeed,
  },
];
