import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { analyze } from '@cairn/database';
import { fmt, ms1, numberArg, percentile, sleep, wallNow, type Bench } from './bench';
import { benchDatabase } from './bench-database';
import { ApiChild, createTenants, rssOf, type BenchTenant, type ChildStats } from './feed/api-child';
import { connectAll, FEED_COUNTRIES, FEED_PG_FLAGS, FEED_SECTORS, FeedSubscriber, gql, indicatorDoc, mayView } from './feed/clients';
import { PgActivitySampler } from './feed/pg-activity';

/*
 * Soak (issue 8): one API instance (createApp in a child process, so that its RSS is its own) under
 * a mixed load for N minutes at ~70 % of the capacity measured for the same mix just before:
 * publishBundle (small bundles), checkIdentifiers, feed queries, TAXII paging (Basic auth, `next`),
 * and 500 graphql-ws subscribers (half sightingReported, half indicatorPublished) fed by what is published.
 */

const TAXII = 'application/taxii+json;version=2.1';
const KINDS = ['publish', 'lookup', 'feed', 'taxii'] as const;
type Kind = (typeof KINDS)[number];
/** The mix, by request count. */
const MIX: Record<Kind, number> = { publish: 0.1, lookup: 0.35, feed: 0.3, taxii: 0.25 };
const DESCRIBE: Record<Kind, string> = {
  publish: 'publishBundle (5 objects: indicator, 2 observables, relationship, sighting)',
  lookup: 'checkIdentifiers (20 values, ~30 % known)',
  feed: 'feed(first: 50) query',
  taxii: 'TAXII objects page (limit 100, next)',
};

const PUBLISH = `mutation($b: JSON!) { publishBundle(bundle: $b) { created objects { id status } } }`;
const CHECK = `query($v: [String!]!) { checkIdentifiers(values: $v) { value type known reporters cells { sector area label } firstSeen lastSeen linkedActors maxConfidence latestTlp error } }`;
const FEED = `query { feed(first: 50) { edges { cursor node { id type mine tlp dateAdded object sighting { sector area interviewStage roleCategory } } } pageInfo { hasNextPage endCursor } } }`;
const SUB_SIGHTINGS = `subscription { sightingReported { cursor id type object } }`;
const SUB_INDICATORS = `subscription { indicatorPublished { cursor id type object } }`;

const now = () => performance.now();

class Stats {
  lat: number[] = [];
  errors = 0;
  firstErrors: string[] = [];
  ok(ms: number): void {
    this.lat.push(ms);
  }
  fail(msg: string): void {
    this.errors++;
    if (this.firstErrors.length < 3) this.firstErrors.push(msg.slice(0, 200));
  }
}

function p99(xs: number[]): number {
  return percentile(
    [...xs].sort((a, b) => a - b),
    99,
  );
}

async function runSoak(args: string[]): Promise<void> {
  const minutes = numberArg(args, 'minutes', 10);
  const calibrateSeconds = numberArg(args, 'calibrate', 20);
  const loadPct = numberArg(args, 'load', 70);
  const subscriberCount = numberArg(args, 'subscribers', 500);
  const tenantCount = numberArg(args, 'tenants', 20);
  const corpus = numberArg(args, 'objects', 20_000);
  const concurrency = numberArg(args, 'concurrency', 16);

  const db = await benchDatabase('soak', FEED_PG_FLAGS);
  let api: ApiChild | undefined;
  const subscribers: FeedSubscriber[] = [];
  try {
    api = await ApiChild.start(db.databaseUrl);
    const base = api.baseUrl;
    const setupStart = now();

    // Tenants: SECTOR by default, every fourth COMMUNITY. One key each with every scope the mix needs.
    const tenants = await createTenants(
      api,
      Array.from({ length: tenantCount }, (_, i) => ({
        slug: `soak-${i}-${Date.now().toString(36)}`,
        name: `Soak member ${i}`,
        country: FEED_COUNTRIES[i % FEED_COUNTRIES.length],
        sectors: [FEED_SECTORS[i % FEED_SECTORS.length]],
        defaultDistribution: i % 4 === 3 ? 'COMMUNITY' : 'SECTOR',
        defaultTlp: 'AMBER',
      })),
      ['intel:read', 'intel:write', 'sightings:write', 'taxii:read'],
    );
    // What the SIEMs page through: `corpus` indicators shared with everyone; and threat actors that bundles relate to.
    const actors = Array.from({ length: 30 }, (_, i) => ({
      type: 'threat-actor',
      spec_version: '2.1',
      id: `threat-actor--${randomUUID()}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: `DPRK IT worker cluster ${i}`,
    }));
    await api.call('store', { tenantId: tenants[0].id, docs: actors, sharing: { distribution: 'COMMUNITY', tlp: 'GREEN' } });
    for (let i = 0; i < corpus; i += 5000) {
      const docs = Array.from({ length: Math.min(5000, corpus - i) }, (_, k) => indicatorDoc(i + k));
      await api.call('store', {
        tenantId: tenants[(i / 5000) % tenants.length].id,
        docs,
        sharing: { distribution: 'COMMUNITY', tlp: 'GREEN' },
      });
    }

    // Identifiers members look up: published through publishBundle (e-mails are protected by the pipeline).
    let serial = 0;
    const knownValues: string[] = [];
    const identifier = (n: number): { value: string; doc: Record<string, unknown> } => {
      switch (n % 3) {
        case 0: {
          const value = `applicant.${n}@mail${n % 7}.example`;
          return { value, doc: { type: 'email-addr', spec_version: '2.1', id: `email-addr--${randomUUID()}`, value } };
        }
        case 1: {
          const value = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
          return { value, doc: { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value } };
        }
        default: {
          const value = `laptop-farm-${n}.example`;
          return { value, doc: { type: 'domain-name', spec_version: '2.1', id: `domain-name--${randomUUID()}`, value } };
        }
      }
    };
    for (let b = 0; b < 30; b++) {
      const items = Array.from({ length: 100 }, () => identifier(serial++));
      const t = tenants[b % tenants.length];
      const res = await gql<{ publishBundle: { created: number } }>(base, t.key, PUBLISH, {
        b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: items.map((x) => x.doc) },
      });
      if (!res.data) throw new Error(`seeding identifiers failed: ${JSON.stringify(res.errors).slice(0, 500)}`);
      knownValues.push(...items.map((x) => x.value));
    }
    // Each tenant's TAXII `all` collection.
    const basic = (t: BenchTenant) => `Basic ${Buffer.from(`siem:${t.key}`).toString('base64')}`;
    const collections = await Promise.all(
      tenants.map(async (t) => {
        const res = await fetch(`${base}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: basic(t) } });
        const body = (await res.json()) as { collections: Array<{ id: string; alias: string }> };
        return body.collections.find((c) => c.alias === 'all')!.id;
      }),
    );
    // Statistics as a database in service has them (autovacuum would take a minute or two to get there).
    await analyze(db.databaseUrl);
    console.log(
      `soak: 1 API instance (createApp in a child process, pid ${api.pid}), ${tenants.length} tenants, ${fmt(corpus)} indicators + ${fmt(knownValues.length)} identifiers seeded and analysed in ${((now() - setupStart) / 1000).toFixed(0)} s; ` +
        `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`,
    );

    // ── The operations ──
    let seed = 777;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const published = new Map<string, { start: number; publisher: number; type: string }>();
    const pick = () => rand(tenants.length);

    const ops: Record<Kind, () => Promise<void>> = {
      async publish() {
        const p = pick();
        const n = serial++;
        const ind = indicatorDoc(100_000 + n);
        const ip = {
          type: 'ipv4-addr',
          spec_version: '2.1',
          id: `ipv4-addr--${randomUUID()}`,
          value: `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}`,
        };
        const email = { type: 'email-addr', spec_version: '2.1', id: `email-addr--${randomUUID()}`, value: `persona.${n}@proton.example` };
        const rel = {
          type: 'relationship',
          spec_version: '2.1',
          id: `relationship--${randomUUID()}`,
          created: '2025-06-01T00:00:00.000Z',
          modified: '2025-06-01T00:00:00.000Z',
          relationship_type: 'indicates',
          source_ref: ind.id,
          target_ref: actors[n % actors.length].id,
        };
        const sighting = {
          type: 'sighting',
          spec_version: '2.1',
          id: `sighting--${randomUUID()}`,
          created: '2025-06-01T00:00:00.000Z',
          modified: '2025-06-01T00:00:00.000Z',
          sighting_of_ref: ind.id,
          first_seen: '2025-06-01T09:00:00Z',
          last_seen: '2025-06-01T17:00:00Z',
          count: 1,
        };
        const start = wallNow();
        published.set(ind.id, { start, publisher: p, type: 'indicator' });
        published.set(sighting.id, { start, publisher: p, type: 'sighting' });
        const res = await gql<{ publishBundle: { created: number } }>(base, tenants[p].key, PUBLISH, {
          b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [ind, ip, email, rel, sighting] },
        });
        if (!res.data || res.errors) {
          published.delete(ind.id);
          published.delete(sighting.id);
          throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.errors)}`);
        }
        knownValues.push(ip.value, email.value);
      },
      async lookup() {
        const values = Array.from({ length: 20 }, () =>
          rand(10) < 3 ? knownValues[rand(knownValues.length)] : `unknown.${rand(1e9)}@nowhere.example`,
        );
        const res = await gql(base, tenants[pick()].key, CHECK, { v: values });
        if (!res.data || res.errors) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.errors)}`);
      },
      async feed() {
        const res = await gql(base, tenants[pick()].key, FEED, {});
        if (!res.data || res.errors) throw new Error(`HTTP ${res.status}: ${JSON.stringify(res.errors)}`);
      },
      async taxii() {
        // One SIEM per tenant, paging its `all` collection 100 at a time with `next`; back to the start after 50 pages or at the end.
        const t = pick();
        const siem = siems[t];
        const url = `${base}/taxii2/api/collections/${collections[t]}/objects/?limit=100${siem.next ? `&next=${encodeURIComponent(siem.next)}` : ''}`;
        const res = await fetch(url, { headers: { accept: TAXII, authorization: basic(tenants[t]) } });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text}`);
        const body = JSON.parse(text) as { more?: boolean; next?: string; objects?: unknown[] };
        siem.pages++;
        siem.next = body.more && siem.pages < 50 ? body.next : undefined;
        if (!siem.next) siem.pages = 0;
      },
    };
    const siems = tenants.map(() => ({ next: undefined as string | undefined, pages: 0 }));
    const timed = async (kind: Kind, stats: Record<Kind, Stats>) => {
      const t0 = now();
      try {
        await ops[kind]();
        stats[kind].ok(now() - t0);
      } catch (err) {
        stats[kind].fail(err instanceof Error ? err.message : String(err));
      }
    };
    const newStats = (): Record<Kind, Stats> => ({ publish: new Stats(), lookup: new Stats(), feed: new Stats(), taxii: new Stats() });
    const cumulative = KINDS.map((k) => MIX[k]).map((_, i, a) => a.slice(0, i + 1).reduce((x, y) => x + y, 0));
    const randomKind = (): Kind => {
      const r = rand(1_000_000) / 1_000_000;
      return KINDS[cumulative.findIndex((c) => r < c)] ?? 'taxii';
    };

    // ── Subscribers: half sightingReported, half indicatorPublished, spread over tenants ──
    let events = 0;
    let wrong = 0;
    const eventLat: number[] = [];
    let measuringEvents = false;
    const onEvent = (sub: FeedSubscriber, at: number, item: { id: string } | undefined) => {
      if (!item) return;
      events++;
      const p = published.get(item.id);
      if (!p) return;
      if (!mayView(tenants[p.publisher], tenants[sub.tenantIndex])) wrong++;
      if (measuringEvents) eventLat.push(at - p.start);
    };
    for (let s = 0; s < subscriberCount; s++) subscribers.push(new FeedSubscriber(s, s % tenants.length, s % 2, onEvent));
    await connectAll(
      subscribers.map((s) => () => s.connect(base, tenants[s.tenantIndex].key, s.instance === 0 ? SUB_SIGHTINGS : SUB_INDICATORS)),
    );
    for (const deadline = Date.now() + 30_000; (await api.call<ChildStats>('stats', {})).subscribers < subscriberCount; await sleep(100)) {
      if (Date.now() > deadline) throw new Error('subscriptions did not all register');
    }

    // ── Calibration: the same mix, closed loop at `concurrency`, after a warm-up ──
    const closedLoop = async (ms: number) => {
      const stats = newStats();
      const t0 = now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (now() - t0 < ms) await timed(randomKind(), stats);
        }),
      );
      return { stats, seconds: (now() - t0) / 1000 };
    };
    await closedLoop(5000);
    const cal = await closedLoop(calibrateSeconds * 1000);
    const capacity = KINDS.reduce((n, k) => n + cal.stats[k].lat.length, 0) / cal.seconds;
    const target = (capacity * loadPct) / 100;
    console.log(
      `  calibration: the mix (${KINDS.map((k) => `${k} ${Math.round(MIX[k] * 100)} %`).join(', ')}) closed loop at concurrency ${concurrency} for ${calibrateSeconds} s with ${subscriberCount} subscribers: ` +
        `${fmt(capacity)} requests/s (${KINDS.map((k) => `${k} ${(cal.stats[k].lat.length / cal.seconds).toFixed(0)}/s p99 ${ms1(p99(cal.stats[k].lat))} ms`).join(', ')}; errors ${KINDS.reduce((n, k) => n + cal.stats[k].errors, 0)})\n` +
        `  soak: ${minutes} min open loop at ${loadPct} % of that = ${fmt(target)} requests/s (${KINDS.map((k) => `${k} ${(target * MIX[k]).toFixed(1)}/s`).join(', ')})`,
    );

    // ── The soak: per kind an open-loop schedule at its rate; per-minute figures ──
    await api.call('stats', { reset: true });
    const heapStart = (await api.call<ChildStats>('stats', { gc: true })).heapUsed;
    await sleep(2000); // let the collection settle before the RSS baseline
    const rssStart = rssOf(api.pid);
    const rssSeries: number[] = [rssStart];
    const total = newStats();
    let minute = newStats();
    const eventsAtStart = events;
    measuringEvents = true;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const sampler = new PgActivitySampler(db.databaseUrl);
    await sampler.start(200);
    const soakStart = now();
    const soakMs = minutes * 60_000;
    let late = 0;
    const schedule = async (kind: Kind) => {
      const interval = 1000 / (target * MIX[kind]);
      const inFlight = new Set<Promise<void>>();
      for (let k = 0; ; k++) {
        const due = soakStart + k * interval;
        if (due - soakStart >= soakMs) break;
        const wait = due - now();
        if (wait > 1) await sleep(wait);
        if (inFlight.size >= 64) {
          late++;
          await Promise.race(inFlight);
        }
        const p = (async () => {
          const t0 = now();
          try {
            await ops[kind]();
            const ms = now() - t0;
            total[kind].ok(ms);
            minute[kind].ok(ms);
          } catch (err) {
            const msg = err instanceof Error ? err.message : String(err);
            total[kind].fail(msg);
            minute[kind].fail(msg);
          }
        })();
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      await Promise.all(inFlight);
    };
    let eventsMark = events;
    const reporter = (async () => {
      for (let m = 1; m <= minutes; m++) {
        const until = soakStart + m * 60_000;
        while (now() < until) await sleep(Math.min(1000, until - now()));
        const rss = rssOf(api!.pid);
        rssSeries.push(rss);
        const s = minute;
        minute = newStats();
        console.log(
          `  minute ${String(m).padStart(2)}: ${KINDS.map((k) => `${k} ${(s[k].lat.length / 60).toFixed(1)}/s p99 ${ms1(p99(s[k].lat))} ms`).join(', ')}; ` +
            `errors ${KINDS.reduce((n, k) => n + s[k].errors, 0)}; subscriber events ${fmt((events - eventsMark) / 60)}/s; API RSS ${(rss / 2 ** 20).toFixed(0)} MiB`,
        );
        eventsMark = events;
      }
    })();
    await Promise.all(KINDS.map((k) => schedule(k)));
    const soakSeconds = (now() - soakStart) / 1000;
    await reporter;
    loop.disable();
    const pgActivity = await sampler.stop();
    await sleep(2000); // deliveries in flight
    measuringEvents = false;
    const rssEnd = rssOf(api.pid);
    const child = await api.call<ChildStats>('stats', {});
    const heapEnd = (await api.call<ChildStats>('stats', { gc: true })).heapUsed;
    const growth = (100 * (rssEnd - rssStart)) / rssStart;
    const closed = subscribers.filter((s) => s.closeCode !== undefined);
    const subErrors = subscribers.reduce((n, s) => n + s.errors, 0);
    eventLat.sort((a, b) => a - b);
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `  soak result over ${(soakSeconds / 60).toFixed(1)} min (open loop, latency from the start of each request to its complete response):\n` +
        KINDS.map(
          (k) =>
            `    ${k.padEnd(7)} ${DESCRIBE[k]}: ${(total[k].lat.length / soakSeconds).toFixed(1)}/s (target ${(target * MIX[k]).toFixed(1)}/s), ${fmt(total[k].lat.length)} ok, ` +
            `p50 ${ms1(
              percentile(
                [...total[k].lat].sort((a, b) => a - b),
                50,
              ),
            )} ms, p99 ${ms1(p99(total[k].lat))} ms, errors ${total[k].errors}${total[k].firstErrors.length ? ` (first: ${total[k].firstErrors.join(' | ')})` : ''}`,
        ).join('\n') +
        `\n    subscribers: ${subscriberCount} (half sightingReported, half indicatorPublished), ${fmt((events - eventsAtStart) / soakSeconds)} events/s received, ` +
        `publish → receipt p50 ${ms1(percentile(eventLat, 50))} ms, p99 ${ms1(percentile(eventLat, 99))} ms; wrong deliveries ${wrong}; subscription errors ${subErrors}; closed ${closed.length}${closed.length ? ` (codes ${[...new Set(closed.map((s) => s.closeCode))].join(', ')})` : ''}\n` +
        `    API process (child pid ${api.pid}): RSS at start ${mib(rssStart)}, at end ${mib(rssEnd)} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %; limit +10 %: ${growth < 10 ? 'met' : 'NOT met'}), ` +
        `min ${mib(Math.min(...rssSeries))}, max ${mib(Math.max(...rssSeries, rssEnd))}; heap after full GC ${mib(heapStart)} → ${mib(heapEnd)}; ` +
        `CPU ${((100 * child.cpuSeconds) / child.wallSeconds).toFixed(0)} % of a core, event-loop delay p99 ${ms1(child.loopDelayP99)} ms (max ${ms1(child.loopDelayMax)} ms)\n` +
        `    API instance logged ${api.logSummary()}\n` +
        `    load generator: event-loop delay p99 ${ms1(loop.percentile(99) / 1e6)} ms, ${late} ticks delayed by the in-flight cap (64 per kind)\n` +
        pgActivity,
    );
  } finally {
    for (const s of subscribers) s.close();
    await api?.stop();
    await db.stop();
  }
}

export const benches: Bench[] = [
  {
    name: 'soak',
    description:
      'run only when named: 10 min of mixed load (publishBundle, checkIdentifiers, feed, TAXII paging, 500 subscribers) on one API instance at 70 % of the capacity measured first; throughput, p99, errors, RSS growth (--minutes N, --load=PCT, --calibrate=S)',
    run: runSoak,
  },
];
