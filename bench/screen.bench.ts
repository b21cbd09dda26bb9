import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { setViewer } from '@cairn/access';
import { JsonLogger, loadConfig, type Viewer } from '@cairn/common';
import { IntelService, protectedKey, type SharingRequest } from '@cairn/intel';
import { CAIRN_PROTECTION_EXTENSION_ID } from '@cairn/stix';
import { ScreeningService, identifierKeys, normaliseField, parseApplicants, type ApplicantInput } from '@cairn/lookup';
// The statement itself, for --explain (not part of lookup's public surface).
import { screenKeys } from '../libs/lookup/src/screening.queries';
import { ApiKeyService } from '@cairn/auth';
import { TenancyService } from '@cairn/tenancy';
import { createRng, type Rng } from '@cairn/demo';
import { createApp } from '../apps/api/src/create-app';
import { cpuLine, cpuMeter, type Bench, benchEnv, fmt, median, numberArg, withApiWorkers, machine, type CpuPerCall } from './bench';
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
const T = '2025-01-01T00:00:00.000Z';
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

/** Applicant i's identifiers as the ATS has them (the same person a member published, written differently). */
function person(i: number) {
  const tail = String(1_000_000 + i).slice(-7);
  return {
    email: `dan.kim.${i}+cv@googlemail.com`,
    phone: `+1 (202) ${tail.slice(0, 3)}-${tail.slice(3)}`,
    github: `https://github.com/Dev-${i}`,
    resume: createHashHex(i),
    ip: `${100 + ((i >> 16) & 127)}.${(i >> 8) & 255}.${i & 255}.7`,
    wallet: `0x${createHashHex(i + 7_000_000)
      .slice(0, 40)
      .toUpperCase()}`.replace('0X', '0x'),
  };
}
function createHashHex(i: number): string {
  return createHash('sha256').update(`resume-${i}`).digest('hex');
}

const protectedDoc = (type: string, kind: 'email' | 'phone', value: string, secret: string) => {
  const key = protectedKey(kind, value, secret);
  return {
    type,
    spec_version: '2.1',
    id: `${type}--${randomUUID()}`,
    value: kind === 'email' ? `${key}@protected.invalid` : `protected:${key}`,
    extensions: { [CAIRN_PROTECTION_EXTENSION_ID]: { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', value: key } },
  };
};

/** What a member published about applicant i: one of its identifiers, in the member's own spelling. */
function published(rng: Rng, i: number, secret: string): Record<string, unknown> {
  const p = person(i);
  const id = (type: string) => `${type}--${randomUUID()}`;
  switch (rng.int(0, 5)) {
    case 0:
      return protectedDoc('email-addr', 'email', `dankim${i}@gmail.com`, secret);
    case 1:
      return protectedDoc('phone-number', 'phone', `+1202${String(1_000_000 + i).slice(-7)}`, secret);
    case 2:
      return { type: 'user-account', spec_version: '2.1', id: id('user-account'), account_type: 'github', account_login: `dev-${i}` };
    case 3:
      return { type: 'file', spec_version: '2.1', id: id('file'), name: `Resume_${i}.pdf`, hashes: { 'SHA-256': p.resume } };
    case 4:
      return {
        type: 'indicator',
        spec_version: '2.1',
        id: id('indicator'),
        created: T,
        modified: T,
        pattern: `[ipv4-addr:value = '${p.ip}']`,
        pattern_type: 'stix',
        valid_from: T,
        confidence: rng.int(20, 95),
      };
    default:
      return { type: 'cryptocurrency-wallet', spec_version: '2.1', id: id('cryptocurrency-wallet'), value: p.wallet.toLowerCase() };
  }
}

function sharingFor(rng: Rng): SharingRequest {
  const roll = rng.int(0, 99);
  if (roll < 60) return { distribution: 'COMMUNITY', tlp: 'GREEN' };
  if (roll < 90) return { distribution: 'SECTOR', tlp: 'AMBER' };
  return { distribution: 'ORGANISATION', tlp: 'AMBER' };
}

const SCREEN = `query($a: [ApplicantInput!]!) { screenApplicants(applicants: $a) {
  ref matches { field normalised reporters cells { sector area } firstSeen lastSeen sightings interviewStages roleCategories linkedActors linkedPersonas }
  rejected { field value reason } signals { matchedIdentifiers maxReporters } } }`;

/** Runs the batches from `concurrency` workers until all are done; returns the seconds it took. */
async function drain<T>(batches: T[], concurrency: number, call: (b: T) => Promise<void>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) await call(batches[next++]);
    }),
  );
  return (performance.now() - start) / 1000;
}

export const benches: Bench[] = [
  {
    name: 'screen',
    description:
      'screenApplicants: --applicants=N (10,000) with 6 identifiers each over HTTP GraphQL (API in its own process), --batch=N applicants per call (1,000), --concurrency=N (2), --rounds=N (3), against the raw index probe of the same keys over plain pg; --published=N objects indexed (60,000); --profile prints a CPU profile of the API process; --explain prints the plan of the statement',
    async run(args) {
      const applicants = numberArg(args, 'applicants', 10_000);
      const batch = numberArg(args, 'batch', 1000);
      const concurrency = numberArg(args, 'concurrency', 2);
      const rounds = numberArg(args, 'rounds', 3);
      const indexed = numberArg(args, 'published', 60_000);
      const database = await benchDatabase('screen', ['-c', 'shared_buffers=256MB']);
      const { databaseUrl } = database;
      let close: (() => Promise<void>) | undefined;
      let child: ApiChild | undefined;
      const owner = new Pool({ connectionString: databaseUrl, max: concurrency });
      // The embedded server's shutdown ends idle connections: not a failure of the bench.
      owner.on('error', () => undefined);
      try {
        const config = loadConfig(benchEnv(databaseUrl));
        const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
        close = () => app.close();
        const rng = createRng(191919);
        const tenants = await app.get(TenancyService).createTenants(
          Array.from({ length: 60 }, (_, i) => ({
            slug: `screen-${i}`,
            name: `Screen ${i}`,
            country: COUNTRIES[i % COUNTRIES.length],
            sectors: [SECTORS[i % SECTORS.length]],
          })),
        );
        // Published: identifiers of every 5th applicant-to-be and of people who never apply, one per object.
        const seedStart = performance.now();
        for (let done = 0; done < indexed;) {
          const n = Math.min(1000, indexed - done);
          const docs = Array.from({ length: n }, (_, k) =>
            published(rng, (done + k) % 5 === 0 ? (done + k) / 5 : 1_000_000 + done + k, config.identifierHmacSecret),
          );
          await app.get(IntelService).storeObjects(machine(rng.pick(tenants)), docs, sharingFor(rng));
          done += n;
        }
        await owner.query('VACUUM ANALYZE');
        const {
          rows: [{ n: rows }],
        } = await owner.query(`SELECT count(*)::int AS n FROM observable_index`);
        console.log(
          `screen: seeded ${fmt(rows)} index rows (${fmt(indexed)} objects, 60 tenants) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
        );

        const input: ApplicantInput[] = Array.from({ length: applicants }, (_, i) => {
          const p = person(i);
          return {
            ref: `ats-${i}`,
            emails: [p.email],
            phones: [p.phone],
            handles: [{ platform: 'github', value: p.github }],
            resumeHashes: [p.resume],
            ips: [p.ip],
            wallets: [p.wallet],
          };
        });
        const identifiers = applicants * 6;
        const batches = Array.from({ length: Math.ceil(applicants / batch) }, (_, b) => input.slice(b * batch, (b + 1) * batch));
        // The raw probe's keys: exactly the keys screening probes, computed beforehand (the HMACs are screening's cost, not the probe's).
        const keyBatches = batches.map((list) =>
          list.flatMap((a) =>
            [
              ...a.emails!.map((v) => normaliseField('EMAIL', v)),
              ...a.phones!.map((v) => normaliseField('PHONE', v)),
              ...a.handles!.map((h) => normaliseField('HANDLE', h.value, { platform: h.platform })),
              ...a.resumeHashes!.map((v) => normaliseField('RESUME_HASH', v)),
              ...a.ips!.map((v) => normaliseField('IP', v)),
              ...a.wallets!.map((v) => normaliseField('WALLET', v)),
            ].flatMap((n) => (n.ok ? identifierKeys(n, config.identifierHmacSecret) : [])),
          ),
        );
        const keyCount = keyBatches.reduce((s, k) => s + k.length, 0);

        const viewer = tenants[1];
        const { secret } = await app.get(ApiKeyService).create({ tenantId: viewer.id, name: 'bench', scopes: ['intel:read'] });
        // Where the time goes, in process: parsing (normalisation + HMAC) alone, and the whole service call.
        const apiViewer: Viewer = { kind: 'apikey', tenantId: viewer.id, operator: false, scopes: new Set(['intel:read']) };
        const service = app.get(ScreeningService);
        await service.screenApplicants(apiViewer, batches[0]);
        const parseStart = performance.now();
        for (const list of batches) parseApplicants(list, config.identifierHmacSecret);
        const parseSeconds = (performance.now() - parseStart) / 1000;
        if (args.includes('--explain')) {
          // The plan of the screening statement for one batch, as cairn_app under row-level security.
          const scope = await app.get(TenancyService).accessScope(viewer.id);
          const { wanted } = parseApplicants(batches[0], config.identifierHmacSecret);
          const pool = new Pool({ connectionString: databaseUrl, max: 1, options: '-c role=cairn_app' });
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await setViewer(client, scope);
            const m = {
              query: async (sql: string, params: unknown[]) => {
                console.log(
                  (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows
                    .map((r: Record<string, string>) => r['QUERY PLAN'])
                    .join('\n'),
                );
                return [];
              },
            } as unknown as EntityManager;
            await screenKeys(m, scope, wanted);
            await client.query('COMMIT');
          } finally {
            client.release();
            await pool.end();
          }
        }
        const probeCall = async (keys: Array<{ kind: string; key: string }>) => {
          await owner.query(
            `SELECT w.kind, w.key, x.object_pk FROM unnest($1::text[], $2::text[]) AS w(kind, key) JOIN observable_index x ON x.kind = w.kind AND x.key = w.key`,
            [keys.map((k) => k.kind), keys.map((k) => k.key)],
          );
        };
        // One call at a time, per call (median over the batches): where a call's time goes, in process.
        const tenancyService = app.get(TenancyService);
        const perCall = async (f: (b: number) => Promise<unknown>) => {
          const t: number[] = [];
          for (let b = 0; b < batches.length; b++) {
            const t0 = performance.now();
            await f(b);
            t.push(performance.now() - t0);
          }
          return median(t);
        };
        const wantedBatches = batches.map((list) => parseApplicants(list, config.identifierHmacSecret).wanted);
        const alone = {
          parse: await perCall(async (b) => parseApplicants(batches[b], config.identifierHmacSecret)),
          statement: await perCall((b) => tenancyService.asViewer(viewer.id, (m, scope) => screenKeys(m, scope, wantedBatches[b]))),
          service: await perCall((b) => service.screenApplicants(apiViewer, batches[b])),
          probe: await perCall((b) => probeCall(keyBatches[b])),
        };
        const serviceSeconds = await drain(batches, concurrency, async (list) => void (await service.screenApplicants(apiViewer, list)));
        await close();
        close = undefined;
        child = await ApiChild.start(databaseUrl, { DB_POOL_SIZE: String(Math.max(2, concurrency)) });
        let matched = 0;
        let rejected = 0;
        const screenAt = (baseUrl: string) => async (list: ApplicantInput[]) => {
          const res = await gql<{ screenApplicants: Array<{ matches: unknown[]; rejected: unknown[] }> }>(baseUrl, secret, SCREEN, {
            a: list,
          });
          if (!res.data || res.errors) throw new Error(`screenApplicants failed: ${JSON.stringify(res.errors)}`);
          matched = res.data.screenApplicants.reduce((s, a) => s + a.matches.length, matched);
          rejected = res.data.screenApplicants.reduce((s, a) => s + a.rejected.length, rejected);
        };
        const screenCall = screenAt(child.baseUrl);
        // Warm up both (prepared statements, caches), then alternate rounds so that load drifts hit both alike.
        await screenCall(batches[0]);
        await probeCall(keyBatches[0]);
        const load = [`before ${loadavg()}`];
        const http: number[] = [];
        const raw: number[] = [];
        const profile = args.includes('--profile');
        if (profile) await child.call('profile-start');
        // CPU per call of 1,000 applicants, in the last round: the API, PostgreSQL, and this process (the client).
        let httpCpu: CpuPerCall | undefined;
        let rawCpu: CpuPerCall | undefined;
        for (let r = 0; r < rounds; r++) {
          matched = 0;
          rejected = 0;
          await child.call('stats', { reset: true });
          const httpMeter = cpuMeter();
          http.push(await drain(batches, concurrency, screenCall));
          httpCpu = httpMeter.stop(batches.length, { API: (await child.call<ChildStats>('stats')).cpuSeconds });
          const rawMeter = cpuMeter();
          raw.push(await drain(keyBatches, concurrency, probeCall));
          rawCpu = rawMeter.stop(batches.length);
        }
        const last = { matched, rejected };
        if (profile) {
          const file = join(tmpdir(), 'cairn-screen-api.cpuprofile');
          const p = await child.call<ChildProfile>('profile-stop', { file });
          console.log(`  CPU profile of the API process during the HTTP rounds (self time; ${file}):`);
          console.log(profileLines(p, 25));
        }
        await child.stop();
        child = undefined;
        // As a two-core machine is deployed: `npm start` with API_WORKERS=2, one API process per core on one port.
        const two = await withApiWorkers(databaseUrl, 2, concurrency, async (baseUrl) => {
          const call = screenAt(baseUrl);
          await call(batches[0]);
          await call(batches[1 % batches.length]);
          const times: number[] = [];
          for (let r = 0; r < rounds; r++) times.push(await drain(batches, concurrency, call));
          return median(times);
        });
        load.push(`after ${loadavg()}`);
        const httpRate = identifiers / median(http);
        const rawRate = identifiers / median(raw);
        console.log(
          `screen: ${fmt(applicants)} applicants, ${fmt(identifiers)} identifiers (${fmt(keyCount)} index keys), ${batch} applicants per call, concurrency ${concurrency}, median of ${rounds} rounds; /proc/loadavg ${load.join(', ')}\n` +
            `  HTTP GraphQL screenApplicants, API in its own process: ${median(http).toFixed(2)} s, ${fmt(httpRate)} identifiers/s (${fmt(last.matched)} matches, ${last.rejected} rejected in the last round)\n` +
            `  HTTP GraphQL screenApplicants, API_WORKERS=2 (one process per core, one port): ${two.toFixed(2)} s, ${fmt(identifiers / two)} identifiers/s, ratio to raw ${(identifiers / two / rawRate).toFixed(2)}\n` +
            `  one call at a time, in process, median ms per call of ${batch} applicants: parsing ${alone.parse.toFixed(1)}, the statement (scope + screenKeys + COMMIT) ${alone.statement.toFixed(1)}, the whole service call ${alone.service.toFixed(1)}, the raw probe ${alone.probe.toFixed(1)}\n` +
            `  in process (one round, same load): parsing alone ${fmt(identifiers / parseSeconds)} identifiers/s; ScreeningService.screenApplicants ${fmt(identifiers / serviceSeconds)} identifiers/s\n` +
            `  raw index probe of the same keys over plain pg (owner, no visibility, no context): ${median(raw).toFixed(2)} s, ${fmt(rawRate)} identifiers/s\n` +
            `  CPU, HTTP (last round): ${cpuLine(httpCpu!)}; raw probe: ${cpuLine(rawCpu!)}; with every core busy the ratio cannot pass ${(rawCpu!.totalMs / httpCpu!.totalMs).toFixed(2)}\n` +
            `  ratio screening/raw ${(httpRate / rawRate).toFixed(2)}; targets ≥ 20,000 identifiers/s ${httpRate >= 20_000 ? 'met' : 'NOT met'}, ≥ 50 % of the raw probe ${httpRate >= rawRate / 2 ? 'met' : 'NOT met'}`,
        );
      } finally {
        await child?.stop();
        await close?.();
        await owner.end();
        await database.stop();
      }
    },
  },
];
