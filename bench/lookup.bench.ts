import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setViewer } from '@cairn/access';
import { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { JsonLogger, loadConfig, type Viewer } from '@cairn/common';
import { IntelService, protectedKey, type SharingRequest } from '@cairn/intel';
import { CAIRN_PROTECTION_EXTENSION_ID } from '@cairn/stix';
import { LookupService, parseIdentifier } from '@cairn/lookup';
// The lookup statement itself, measured without the service around it (not part of the lib's surface).
import { lookupKeys, type WantedKey } from '../libs/lookup/src/lookup.queries';
import { ApiKeyService } from '@cairn/auth';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { createRng, type Rng } from '@cairn/demo';
import { createApp } from '../apps/api/src/create-app';
import { cpuLine, cpuMeter, percentile, type Bench, benchEnv, fmt, numberArg, withApiWorkers, machine, type CpuPerCall } from './bench';
import { benchDatabase } from './bench-database';
import { ApiChild, profileLines, type ChildProfile, type ChildStats } from './feed/api-child';
import { gql } from './feed/clients';

const SECTORS = [
  'technology',
  'financial-services',
  'healthcare',
  'insurance',
  'government-public-services',
  'manufacturing',
  'professional-services',
];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'CA', 'IN', 'SG', 'AU', 'JP', 'FR', 'NL'];
const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');

/** One identifier of a realistic mix: what DPRK IT-worker hunters trade. Returns the doc and the raw value a member would type. */
function observable(rng: Rng, i: number, secret: string): { doc: Record<string, unknown>; value: string } {
  const id = (type: string) => `${type}--${randomUUID()}`;
  const roll = rng.int(0, 99);
  if (roll < 25) {
    const value = `${['daniel', 'kim', 'alex', 'li', 'sam'][i % 5]}.dev${i}@${['proton.example', 'gmail.example', 'outlook.example'][i % 3]}`;
    const key = protectedKey('email', value, secret);
    return {
      value,
      doc: {
        type: 'email-addr',
        spec_version: '2.1',
        id: id('email-addr'),
        value: `${key}@protected.invalid`,
        extensions: { [CAIRN_PROTECTION_EXTENSION_ID]: { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', value: key } },
      },
    };
  }
  if (roll < 40) {
    const value = `+1202${String(1_000_000 + i).slice(-7)}`;
    const key = protectedKey('phone', value, secret);
    return {
      value,
      doc: {
        type: 'phone-number',
        spec_version: '2.1',
        id: id('phone-number'),
        value: `protected:${key}`,
        extensions: { [CAIRN_PROTECTION_EXTENSION_ID]: { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', value: key } },
      },
    };
  }
  if (roll < 60) {
    const value = `${(i >> 16) & 255 || 100}.${(i >> 8) & 255}.${i & 255}.${rng.int(1, 254)}`;
    return {
      value,
      doc: {
        type: 'indicator',
        spec_version: '2.1',
        id: id('indicator'),
        created: '2025-01-01T00:00:00.000Z',
        modified: '2025-01-01T00:00:00.000Z',
        pattern: `[ipv4-addr:value = '${value}']`,
        pattern_type: 'stix',
        valid_from: '2025-01-01T00:00:00Z',
        confidence: rng.int(20, 95),
      },
    };
  }
  if (roll < 72) {
    const value = `laptop-farm-${i}.${['example', 'test', 'invalid'][i % 3]}`;
    return { value, doc: { type: 'domain-name', spec_version: '2.1', id: id('domain-name'), value } };
  }
  if (roll < 84) {
    const value = hex(rng, 64);
    return { value, doc: { type: 'file', spec_version: '2.1', id: id('file'), name: `Resume_${i}.pdf`, hashes: { 'SHA-256': value } } };
  }
  if (roll < 92) {
    const value = `github:dev-${i}`;
    return {
      value,
      doc: { type: 'user-account', spec_version: '2.1', id: id('user-account'), account_type: 'github', account_login: `dev-${i}` },
    };
  }
  const value = `0x${hex(rng, 40)}`;
  return { value, doc: { type: 'cryptocurrency-wallet', spec_version: '2.1', id: id('cryptocurrency-wallet'), value } };
}

function sharingFor(rng: Rng, t: TenantEntity, tenants: TenantEntity[]): SharingRequest {
  const roll = rng.int(0, 99);
  if (roll < 50) return { distribution: 'COMMUNITY', tlp: 'GREEN' };
  if (roll < 80) return { distribution: 'SECTOR', tlp: 'AMBER' };
  if (roll < 90) return { distribution: 'RECIPIENTS', tlp: 'AMBER', recipientTenantIds: [rng.pick(tenants.filter((x) => x !== t)).id] };
  return { distribution: 'ORGANISATION', tlp: 'AMBER' };
}

/** Runs `call` from `concurrency` workers for `ms`; returns calls and sorted latencies. */
async function load(
  concurrency: number,
  ms: number,
  call: (worker: number, n: number) => Promise<void>,
): Promise<{ calls: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const t0 = performance.now();
        await call(w, n);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { calls: latencies.length, seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

/** --explain: the plan of the lookup statement for one call, as cairn_app under row-level security. */
async function explain(pool: Pool, scope: Awaited<ReturnType<TenancyService['accessScope']>>, wanted: WantedKey[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await setViewer(client, scope);
    const plans: string[] = [];
    const m = {
      // No queryRunner: plain (unprepared) queries, so that EXPLAIN sees each one.
      query: async (sql: string, params: unknown[]) => {
        plans.push(
          (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows
            .map((r: Record<string, string>) => r['QUERY PLAN'])
            .join('\n'),
        );
        return (await client.query(sql, params)).rows;
      },
    } as unknown as EntityManager;
    await lookupKeys(m, scope, wanted);
    await client.query('COMMIT');
    console.log(plans.join('\n\n'));
  } finally {
    client.release();
  }
}

const CHECK = `query($v: [String!]!) { checkIdentifiers(values: $v) {
  value type normalised known reporters cells { sector area label } firstSeen lastSeen linkedActors maxConfidence latestTlp error } }`;

export const benches: Bench[] = [
  {
    name: 'lookup',
    description:
      'checkIdentifiers, 100 values per call at concurrency 32 over HTTP GraphQL, vs the same SQL over plain pg (--values=N indexed, --ms=N, --concurrency=N, --batch=N)',
    async run(args) {
      const indexed = numberArg(args, 'values', 100_000);
      const ms = numberArg(args, 'ms', 10_000);
      const concurrency = numberArg(args, 'concurrency', 32);
      const batch = numberArg(args, 'batch', 100);
      const database = await benchDatabase('lookup', ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB']);
      const { databaseUrl } = database;
      let pool: Pool | undefined;
      let close: (() => Promise<void>) | undefined;
      try {
        const config = loadConfig(benchEnv(databaseUrl, { DB_POOL_SIZE: String(concurrency) }));
        const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
        await app.listen(0, '127.0.0.1');
        close = () => app.close();
        const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

        // Seed: 60 member tenants, `indexed` identifiers published in batches of 1,000 through IntelService (which indexes them).
        const rng = createRng(424242);
        const tenancy = app.get(TenancyService);
        const tenants = await tenancy.createTenants(
          Array.from({ length: 60 }, (_, i) => ({
            slug: `bench-${i}`,
            name: `Bench ${i}`,
            country: COUNTRIES[i % COUNTRIES.length],
            sectors: [SECTORS[i % SECTORS.length]],
          })),
        );
        const known: string[] = [];
        const indicatorIds: string[] = [];
        const actors = Array.from({ length: 130 }, (_, i) => ({
          type: 'threat-actor',
          spec_version: '2.1',
          id: `threat-actor--${randomUUID()}`,
          created: '2025-01-01T00:00:00.000Z',
          modified: '2025-01-01T00:00:00.000Z',
          name: `DPRK IT worker cluster ${i}`,
        }));
        await app.get(IntelService).storeObjects(machine(tenants[0]), actors, { distribution: 'COMMUNITY', tlp: 'GREEN' });
        const seedStart = performance.now();
        for (let done = 0; done < indexed;) {
          const publisher = rng.pick(tenants);
          const n = Math.min(1000, indexed - done);
          const items = Array.from({ length: n }, (_, k) => observable(rng, done + k, config.identifierHmacSecret));
          const docs = items.map((x) => x.doc);
          // A fifth of the indicators name the actor they indicate, as member reports do.
          for (const d of items.map((x) => x.doc).filter((d) => d.type === 'indicator')) {
            indicatorIds.push(d.id as string);
            if (rng.chance(0.2))
              docs.push({
                type: 'relationship',
                spec_version: '2.1',
                id: `relationship--${randomUUID()}`,
                created: '2025-01-01T00:00:00.000Z',
                modified: '2025-01-01T00:00:00.000Z',
                relationship_type: 'indicates',
                source_ref: d.id,
                target_ref: rng.pick(actors).id,
              });
          }
          await app.get(IntelService).storeObjects(machine(publisher), docs, sharingFor(rng, publisher, tenants));
          for (const x of items) if (rng.chance(0.05)) known.push(x.value);
          done += n;
        }
        // And some of them were sighted by other members.
        for (let i = 0; i < 10; i++) {
          const sightings = Array.from({ length: Math.ceil(indicatorIds.length / 50) }, () => ({
            type: 'sighting',
            spec_version: '2.1',
            id: `sighting--${randomUUID()}`,
            created: '2025-06-01T00:00:00.000Z',
            modified: '2025-06-01T00:00:00.000Z',
            sighting_of_ref: rng.pick(indicatorIds),
            first_seen: '2025-06-01T09:00:00Z',
            last_seen: '2025-06-02T17:00:00Z',
            count: 1,
          }));
          await app.get(IntelService).storeObjects(machine(rng.pick(tenants)), sightings, { distribution: 'COMMUNITY', tlp: 'GREEN' });
        }
        const seedSeconds = (performance.now() - seedStart) / 1000;
        const admin = new Pool({ connectionString: databaseUrl, max: 1 });
        const [{ rows: count }] = [await admin.query(`SELECT count(*)::int AS n FROM observable_index`)];
        await admin.query('VACUUM ANALYZE');
        await admin.end();
        console.log(
          `lookup: seeded ${fmt(count[0].n)} index rows (${fmt(indexed)} objects, 60 tenants) in ${seedSeconds.toFixed(1)} s (${fmt(indexed / seedSeconds)} objects/s)`,
        );

        // Workload: per call `batch` values, ~30 % known to someone (visible or not to this viewer), the rest fresh.
        const viewer = tenants[1];
        const { secret } = await app.get(ApiKeyService).create({ tenantId: viewer.id, name: 'bench', scopes: ['intel:read'] });
        const calls = Array.from({ length: 256 }, (_, c) =>
          Array.from({ length: batch }, (_, k) =>
            rng.chance(0.3) ? rng.pick(known) : observable(rng, 50_000_000 + c * batch + k, config.identifierHmacSecret).value,
          ),
        );

        // Warm up both paths, and check that the answers are sane.
        const check = async (base: string, values: string[]) => {
          const res = await gql<{ checkIdentifiers: Array<{ known: boolean }> }>(base, secret, CHECK, { v: values });
          if (!res.data || res.errors) throw new Error(`checkIdentifiers failed: ${JSON.stringify(res.errors)}`);
          return res.data.checkIdentifiers;
        };
        const hits = (await check(baseUrl, calls[0])).filter((r) => r.known).length;
        // Here the load generator shares the API's event loop (and its core).
        const http = await load(
          concurrency,
          numberArg(args, 'http-ms', ms),
          async (w, n) => void (await check(baseUrl, calls[(w * 7 + n) % calls.length])),
        );
        // As clients on other machines see it: the API in a process of its own, on the same database.
        const child = await ApiChild.start(databaseUrl, { DB_POOL_SIZE: String(concurrency) });
        let httpOwn: Awaited<ReturnType<typeof load>>;
        let httpCpu: CpuPerCall;
        try {
          await check(child.baseUrl, calls[0]);
          const profile = args.includes('--profile');
          if (profile) await child.call('profile-start');
          await child.call('stats', { reset: true });
          const meter = cpuMeter();
          httpOwn = await load(
            concurrency,
            numberArg(args, 'http-ms', ms),
            async (w, n) => void (await check(child.baseUrl, calls[(w * 7 + n) % calls.length])),
          );
          httpCpu = meter.stop(httpOwn.calls, { API: (await child.call<ChildStats>('stats')).cpuSeconds });
          if (profile) {
            const file = join(tmpdir(), 'cairn-lookup-api.cpuprofile');
            const p = await child.call<ChildProfile>('profile-stop', { file });
            console.log(`  CPU profile of the API process during the HTTP phase (self time; ${file}):`);
            console.log(profileLines(p, 25));
          }
        } finally {
          await child.stop();
        }
        // As a two-core machine is deployed: `npm start` with API_WORKERS=2, one API process per core on one port.
        const httpTwo = await withApiWorkers(databaseUrl, 2, Math.ceil(concurrency / 2), async (baseUrl) => {
          await check(baseUrl, calls[0]);
          return load(
            concurrency,
            numberArg(args, 'http-ms', ms),
            async (w, n) => void (await check(baseUrl, calls[(w * 7 + n) % calls.length])),
          );
        });

        // The service alone, in process: what HTTP + GraphQL add is the difference.
        const lookup = app.get(LookupService);
        const apiViewer: Viewer = { kind: 'apikey', tenantId: viewer.id, operator: false, scopes: new Set(['intel:read']) };
        const service = await load(concurrency, ms, async (w, n) => {
          await lookup.checkIdentifiers(apiViewer, calls[(w * 7 + n) % calls.length]);
        });

        // The same statement over plain pg as cairn_app with RLS and the viewer settings, keys precomputed.
        const scope = await tenancy.accessScope(viewer.id);
        const wantedFor = calls.map((values) => {
          const wanted: WantedKey[] = [];
          values.forEach((v, slot) => parseIdentifier(v, config.identifierHmacSecret).keys.forEach((k) => wanted.push({ slot, ...k })));
          return wanted;
        });
        pool = new Pool({ connectionString: databaseUrl, max: concurrency, options: '-c role=cairn_app' });
        if (args.includes('--explain')) await explain(pool, scope, wantedFor[0]);
        const rawMeter = cpuMeter();
        const direct = await load(concurrency, ms, async (w, n) => {
          const client = await pool!.connect();
          try {
            const m = {
              queryRunner: { connect: async () => client },
              query: (sql: string, params: unknown[]) => client.query(sql, params).then((r) => r.rows),
            } as unknown as EntityManager;
            await client.query('BEGIN');
            await setViewer(client, scope);
            await lookupKeys(m, scope, wantedFor[(w * 7 + n) % calls.length]);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        });

        const rawCpu = rawMeter.stop(direct.calls);
        const httpRate = (http.calls * batch) / http.seconds;
        const ownRate = (httpOwn.calls * batch) / httpOwn.seconds;
        const twoRate = (httpTwo.calls * batch) / httpTwo.seconds;
        const sqlRate = (direct.calls * batch) / direct.seconds;
        console.log(
          `lookup: ${batch} values/call, concurrency ${concurrency}, ${hits}/${batch} known in a sample call\n` +
            `  HTTP GraphQL checkIdentifiers, API in its own process: ${fmt(ownRate)} values/s (${fmt(httpOwn.calls / httpOwn.seconds)} calls/s), p50 ${percentile(httpOwn.latencies, 50).toFixed(1)} ms, p99 ${percentile(httpOwn.latencies, 99).toFixed(1)} ms\n` +
            `  HTTP GraphQL checkIdentifiers, API_WORKERS=2 (one API process per core, one port): ${fmt(twoRate)} values/s (${fmt(httpTwo.calls / httpTwo.seconds)} calls/s), p50 ${percentile(httpTwo.latencies, 50).toFixed(1)} ms, p99 ${percentile(httpTwo.latencies, 99).toFixed(1)} ms\n` +
            `  HTTP GraphQL checkIdentifiers, load generator in the API's process: ${fmt(httpRate)} values/s (${fmt(http.calls / http.seconds)} calls/s), p50 ${percentile(http.latencies, 50).toFixed(1)} ms, p99 ${percentile(http.latencies, 99).toFixed(1)} ms\n` +
            `  LookupService.checkIdentifiers in process: ${fmt((service.calls * batch) / service.seconds)} values/s, p50 ${percentile(service.latencies, 50).toFixed(1)} ms, p99 ${percentile(service.latencies, 99).toFixed(1)} ms\n` +
            `  direct SQL over pg (the same statement + BEGIN/set_config/COMMIT): ${fmt(sqlRate)} values/s, p50 ${percentile(direct.latencies, 50).toFixed(1)} ms, p99 ${percentile(direct.latencies, 99).toFixed(1)} ms\n` +
            `  CPU, HTTP with the API in its own process: ${cpuLine(httpCpu!)} ("this process" is the load generator)\n` +
            `  CPU, direct SQL: ${cpuLine(rawCpu)}; with every core busy the HTTP/SQL ratio cannot pass ${(rawCpu.totalMs / httpCpu!.totalMs).toFixed(2)}\n` +
            `  ratio HTTP (own process)/SQL ${(ownRate / sqlRate).toFixed(2)}; target 20,000 values/s over HTTP: one process ${ownRate >= 20_000 ? 'met' : 'NOT met'}, API_WORKERS=2 ${twoRate >= 20_000 ? 'met' : 'NOT met'}`,
        );
      } finally {
        await pool?.end();
        await close?.();
        await database.stop();
      }
    },
  },
];
