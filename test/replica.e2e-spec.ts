import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { JsonLogger, loadConfig, Metrics, TEST_SECRETS, type CairnConfig } from '@cairn/common';
import type { TenantEntity } from '@cairn/tenancy';
import { loginUrl, parseLsn, prepareDatabase, replayTarget } from '@cairn/database';
import { createApp } from '../apps/api/src/create-app';
import { findPostgresBin } from './support/external-pg';
import { startReplicatedPostgres, superuserQuery, type ReplicatedPostgres } from './support/pg-replication';
import { gql } from './support/test-app';
import { waitFor } from './support/wait';
import { newApiKey, newTenant } from './factories/tenancy.factory';
import { bundleOf } from './factories/stix.factory';

/**
 * DATABASE_REPLICA_URL against a real primary and a real streaming replica (Debian's `postgresql`,
 * two clusters on loopback, the replica made by pg_basebackup -R). Which server ran a statement is
 * read from each server's own log, where a routed read's statements carry its label as
 * application_name. Lag is made deterministic with pg_wal_replay_pause(), never with sleeps.
 * In CI (CI=true) missing binaries fail this suite; elsewhere it is skipped with the reason.
 */
const found = findPostgresBin();
const unavailable = 'missing' in found ? found.missing : undefined;
if (unavailable && process.env.CI !== 'true') process.stdout.write(`replica.e2e-spec: skipped — ${unavailable}\n`);
const maybe = unavailable && process.env.CI !== 'true' ? describe.skip : describe;

const TRUST_KEY = loadConfig({ NODE_ENV: 'test' }, TEST_SECRETS).databaseTrustKey;
const PW = 'login-password-for-tests';
const TAXII = 'application/taxii+json;version=2.1';
const DB = 'cairn_rep';
// Long enough for a test to see a read waiting; a lagging replica costs a read this much before the primary answers.
const MAX_WAIT_MS = 5000;

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const EXPORT = 'query { exportBundle { bundle objectCount } }';
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known reporters cells { sector area } firstSeen lastSeen } }';
const STATS =
  'query { sectorStats(sector: "healthcare", from: "2020-01-01T00:00:00Z", interval: WEEK) { totalSightings series { bucket sightings newIndicators } byArea { key sightings } } }';
const REPORT = 'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }';
const FEED = 'query { feed(filter: { types: [SIGHTING] }, first: 100, newestFirst: false) { edges { node { id } } } }';

/** A statement of the read `path` in a server's log, other than its wait for replay and the transaction's own BEGIN / COMMIT / ROLLBACK. */
const ranRead = (line: string, path: string) =>
  line.startsWith(`cairn-api-replica/${path}|`) &&
  /(statement|execute [^:]*):/.test(line) &&
  !/pg_last_wal_replay_lsn|:\s+(BEGIN|START TRANSACTION|COMMIT|ROLLBACK)\s*$/.test(line);

let ipSeq = 1;
const indicator = () => {
  const ip = `198.51.100.${ipSeq++}`;
  return {
    ip,
    doc: {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: `ip ${ip}`,
      pattern: `[ipv4-addr:value = '${ip}']`,
      pattern_type: 'stix',
      valid_from: '2025-01-01T00:00:00Z',
    },
  };
};

maybe('reads on a streaming replica (DATABASE_REPLICA_URL)', () => {
  let pg: ReplicatedPostgres;
  let app: INestApplication;
  let plain: INestApplication;
  let base: string;
  let plainBase: string;
  let config: CairnConfig;
  let a: TenantEntity;
  let b: TenantEntity;
  const keys: Record<'a' | 'b', string> = { a: '', b: '' };
  const published: Record<'own' | 'shared', { ip: string; doc: { id: string } }> = {} as never;

  const urlOf = (port: number, user: string) => loginUrl(`postgres://x@127.0.0.1:${port}/${DB}`, user, PW);
  const onReplica = <T>(sql: string[]) => superuserQuery<T>(pg.replica.url, sql);
  const publish = async (key: string, distribution: string) => {
    const i = indicator();
    const res = await gql(base, PUBLISH, { b: bundleOf(i.doc), s: { distribution, tlp: 'GREEN' } }, { authorization: key });
    expect(res.errors).toBeUndefined();
    return i;
  };
  /** Until the replica has replayed everything the primary has inserted so far (the same test ReplicaReads makes). */
  const caughtUp = async () => {
    const [{ lsn, block, segment }] = await superuserQuery<{ lsn: string; block: number; segment: string }>(pg.primary.url, [
      `SELECT pg_current_wal_insert_lsn()::text AS lsn, current_setting('wal_block_size')::int AS block, (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size') AS segment`,
    ]);
    const target = replayTarget(parseLsn(lsn), { blockSize: block, segmentSize: Number(segment) });
    await waitFor(
      async () => parseLsn((await onReplica<{ lsn: string }>(['SELECT pg_last_wal_replay_lsn()::text AS lsn']))[0].lsn) >= target,
      { what: `the replica to replay up to ${lsn}` },
    );
  };
  const pauseReplay = async () => {
    await onReplica(['SELECT pg_wal_replay_pause()']);
    await waitFor(async () => (await onReplica<{ s: string }>(['SELECT pg_get_wal_replay_pause_state() AS s']))[0].s === 'paused', {
      what: 'replay to pause',
    });
  };
  const resumeReplay = () => onReplica(['SELECT pg_wal_replay_resume()']);
  /** How many routed reads of `path` the app counted as answered by `server`. */
  const served = async (path: string, server: 'replica' | 'primary', reason?: string) =>
    (await app.get(Metrics).replicaReads.get()).values
      .filter((v) => v.labels.path === path && v.labels.server === server && (reason === undefined || v.labels.reason === reason))
      .reduce((n, v) => n + v.value, 0);
  /**
   * Runs fn and returns its result with what each server logged meanwhile: `routed` are the replica's
   * statements under the read's label, after the wait (anything but the replay-position poll).
   */
  const watch = async <T>(path: string, fn: () => Promise<T>) => {
    const from = { primary: pg.primary.logLength(), replica: pg.replica.logLength() };
    const result = await fn();
    const replicaLog = pg.replica.logSince(from.replica);
    const routed = replicaLog.split('\n').filter((l) => ranRead(l, path));
    return { result, routed, replicaLog, primaryLog: pg.primary.logSince(from.primary) };
  };
  // Each key's `all` collection, looked up once (listing collections stores them, on the primary).
  const collections = new Map<string, string>();
  const taxii = async (baseUrl: string, key: string, query = '') => {
    if (!collections.has(key)) {
      const list = (await (
        await fetch(`${baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: key } })
      ).json()) as { collections: Array<{ id: string; alias: string }> };
      collections.set(key, list.collections.find((c) => c.alias === 'all')!.id);
    }
    const res = await fetch(`${baseUrl}/taxii2/api/collections/${collections.get(key)}/objects/?${query}`, {
      headers: { accept: TAXII, authorization: key },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { objects: Array<{ id: string }>; more: boolean; next?: string };
  };
  const answers = async (baseUrl: string, key: string) => {
    const exported = (
      await gql<{ exportBundle: { bundle: { objects: Array<{ id: string }> }; objectCount: number } }>(
        baseUrl,
        EXPORT,
        {},
        { authorization: key },
      )
    ).data!.exportBundle;
    return {
      taxii: await taxii(baseUrl, key),
      // A bundle gets a fresh id each time; what it holds is the answer.
      export: { objectCount: exported.objectCount, ids: exported.bundle.objects.map((o) => o.id).sort() },
      lookup: (await gql(baseUrl, CHECK, { v: [published.own.ip, published.shared.ip] }, { authorization: key })).data,
      stats: (await gql(baseUrl, STATS, {}, { authorization: key })).data,
    };
  };

  beforeAll(async () => {
    if ('missing' in found) throw new Error(`CI=true but no PostgreSQL binaries to run a primary and a replica: ${found.missing}`);
    pg = await startReplicatedPostgres(found.bin);
    await superuserQuery(pg.primary.url, [
      `CREATE ROLE ${DB}_owner LOGIN CREATEROLE PASSWORD '${PW}'`,
      `CREATE DATABASE ${DB} OWNER ${DB}_owner`,
      `CREATE ROLE ${DB}_api LOGIN PASSWORD '${PW}'`,
    ]);
    const [owner, appLogin] = [urlOf(pg.primary.port, `${DB}_owner`), urlOf(pg.primary.port, `${DB}_api`)];
    await prepareDatabase(owner, appLogin, TRUST_KEY, () => undefined);
    // The replica checks the login as the primary does: once it holds the grants just made.
    await caughtUp();
    // DB_RETRY_DELAY_MS: how soon a replica that could not be reached is tried again.
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: owner,
      DATABASE_APP_URL: appLogin,
      SEED_DEMO: 'false',
      K_ANONYMITY: '1',
      DB_RETRY_DELAY_MS: '50',
    };
    // Roles, passwords and the schema reach the replica by replication, as everything else.
    config = loadConfig(
      { ...env, DATABASE_REPLICA_URL: urlOf(pg.replica.port, `${DB}_api`), DATABASE_REPLICA_MAX_WAIT_MS: String(MAX_WAIT_MS) },
      TEST_SECRETS,
    );
    app = await createApp({ config, appDatabaseUrl: appLogin, connectDatabase: true }, new JsonLogger('error'));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    // The same exchange without a replica: what the primary answers, to compare with.
    plain = await createApp(
      { config: loadConfig(env, TEST_SECRETS), appDatabaseUrl: appLogin, connectDatabase: true },
      new JsonLogger('error'),
    );
    await plain.listen(0, '127.0.0.1');
    plainBase = `http://127.0.0.1:${(plain.getHttpServer().address() as { port: number }).port}`;

    a = await newTenant(app, { country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(app, { country: 'FR', sectors: ['healthcare'] });
    [keys.a, keys.b] = [await newApiKey(app, a), await newApiKey(app, b)];
    published.own = await publish(keys.a, 'ORGANISATION');
    published.shared = await publish(keys.a, 'COMMUNITY');
    const sighted = await gql(
      base,
      REPORT,
      { i: { sightingOf: published.shared.doc.id, firstSeen: '2025-06-02T09:00:00Z' } },
      { authorization: keys.b },
    );
    expect(sighted.errors).toBeUndefined();
    for (const key of Object.values(keys)) await taxii(plainBase, key, 'limit=1');
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await plain?.close();
    pg?.stop();
  });

  it('TAXII pages, export, stats and lookups are served by the replica, each tenant seeing there exactly what the primary shows it', async () => {
    await caughtUp();
    for (const [tenant, key] of Object.entries(keys)) {
      const before = {
        taxii: await served('taxii.objects', 'replica'),
        export: await served('intel.export', 'replica'),
        lookup: await served('lookup.check', 'replica'),
        stats: await served('sightings.stats', 'replica'),
      };
      const onReplicaAnswers = await watch('', () => answers(base, key));
      const log = onReplicaAnswers.replicaLog.split('\n');
      for (const path of ['taxii.objects', 'intel.export', 'lookup.check', 'sightings.stats']) {
        // The replica's own log: the read's statements ran there, under its label, on the run-time login's row-level security.
        expect(log.some((l) => ranRead(l, path))).toBe(true);
      }
      expect({
        taxii: await served('taxii.objects', 'replica'),
        export: await served('intel.export', 'replica'),
        lookup: await served('lookup.check', 'replica'),
        stats: await served('sightings.stats', 'replica'),
      }).toEqual({
        taxii: before.taxii + 1,
        export: before.export + 1,
        lookup: before.lookup + 1,
        stats: before.stats + 1,
      });
      expect(onReplicaAnswers.result).toEqual(await answers(plainBase, key));

      const ids = onReplicaAnswers.result.taxii.objects.map((o) => o.id);
      const lookup = (onReplicaAnswers.result.lookup as { checkIdentifiers: Array<{ known: boolean }> }).checkIdentifiers.map(
        (c) => c.known,
      );
      if (tenant === 'a') {
        expect(ids).toEqual(expect.arrayContaining([published.own.doc.id, published.shared.doc.id]));
        expect(onReplicaAnswers.result.export.ids).toContain(published.own.doc.id);
        expect(lookup).toEqual([true, true]);
      } else {
        // B may see the community indicator, never A's own one — on the replica as on the primary.
        expect(ids).toContain(published.shared.doc.id);
        expect(ids).not.toContain(published.own.doc.id);
        expect(onReplicaAnswers.result.export.ids).not.toContain(published.own.doc.id);
        expect(lookup).toEqual([false, true]);
      }
    }
  }, 120_000);

  it('/metrics shows the replica’s pool and which server answered each routed read', async () => {
    await caughtUp();
    await gql(base, CHECK, { v: [published.shared.ip] }, { authorization: keys.b });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^cairn_db_pool_max\{pool="replica"\} \d+$/m);
    expect(text).toMatch(/^cairn_replica_reads_total\{path="lookup\.check",server="replica",reason="none"\} [1-9]\d*$/m);
  });

  it('row-level security holds on the replica by itself: as the run-time login, tenant B reads none of A’s own rows', async () => {
    await caughtUp();
    const count = async (tenant: string) =>
      (
        await superuserQuery<{ n: number }>(
          urlOf(pg.replica.port, `${DB}_api`),
          [
            'BEGIN',
            `SELECT set_config('cairn.tenant_id', '${tenant}', true)`,
            `SELECT count(*)::int AS n FROM stix_object WHERE id = '${published.own.doc.id}'`,
          ],
          DB,
        )
      )[0].n;
    expect(await count(a.id)).toBe(1);
    expect(await count(b.id)).toBe(0);
  });

  it('a read after a write is never served by a replica that has not replayed it: it waits for the replica, or the primary answers', async () => {
    await caughtUp();
    // A cursor issued while the replica was current…
    const first = await watch('taxii.objects', () => taxii(base, keys.b, 'limit=1'));
    expect(first.routed.length).toBeGreaterThan(0);
    expect(first.result.next).toBeDefined();
    const nextPage = () => taxii(base, keys.b, `next=${encodeURIComponent(first.result.next!)}`);
    await pauseReplay();
    try {
      // …then a write the replica has not applied: the next page must hold it, so the stale replica may not serve it.
      const later = await publish(keys.a, 'COMMUNITY');
      // The read waits on the replica (seen there, polling its replay position); replay resumes; the replica serves it, with the write.
      const replicaBefore = await served('taxii.objects', 'replica');
      const waiting = watch('taxii.objects', nextPage);
      await waitFor(
        async () =>
          (
            await onReplica<{ n: number }>([
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'cairn-api-replica/taxii.objects'`,
            ])
          )[0].n > 0,
        {
          what: 'the next page to wait on the replica',
        },
      );
      await resumeReplay();
      const caught = await waiting;
      expect(caught.result.objects.map((o) => o.id)).toContain(later.doc.id);
      expect(caught.routed.length).toBeGreaterThan(0);
      expect(await served('taxii.objects', 'replica')).toBe(replicaBefore + 1);

      // Replay paused for longer than a read waits: the primary answers, with both writes; the replica ran none of the page.
      await caughtUp();
      await pauseReplay();
      const latest = await publish(keys.a, 'COMMUNITY');
      const lagging = await served('taxii.objects', 'primary', 'lagging');
      const next = await watch('taxii.objects', nextPage);
      expect(next.result.objects.map((o) => o.id)).toEqual(expect.arrayContaining([later.doc.id, latest.doc.id]));
      expect(next.routed).toEqual([]);
      expect(await served('taxii.objects', 'primary', 'lagging')).toBe(lagging + 1);
      // Read-your-writes for the publisher too: its own look-up of what it just stored (the replica is still behind).
      const mine = await watch('lookup.check', () =>
        gql<{ checkIdentifiers: Array<{ known: boolean }> }>(base, CHECK, { v: [latest.ip] }, { authorization: keys.a }),
      );
      expect(mine.result.data!.checkIdentifiers[0].known).toBe(true);
      expect(mine.routed).toEqual([]);
    } finally {
      await resumeReplay();
    }
  }, 120_000);

  it('a look-up does not wait for its own quota charge: it must see what committed before it began, not the charge it writes', async () => {
    // With replay paused right after catching up, only the charge is newer than the replica — unless the
    // server writes WAL of its own in between (autovacuum, a standby snapshot): then try again.
    let replicaServed = false;
    for (let attempt = 0; attempt < 5 && !replicaServed; attempt++) {
      await caughtUp();
      await pauseReplay();
      try {
        const w = await watch('lookup.check', () =>
          gql<{ checkIdentifiers: Array<{ known: boolean }> }>(base, CHECK, { v: [published.shared.ip] }, { authorization: keys.b }),
        );
        expect(w.result.data!.checkIdentifiers[0].known).toBe(true);
        replicaServed = w.routed.length > 0;
      } finally {
        await resumeReplay();
      }
    }
    expect(replicaServed).toBe(true);
  }, 120_000);

  it('writes and the feed stay on the primary: with replay paused they work, see what was just written, and the replica ran none of it', async () => {
    await caughtUp();
    await pauseReplay();
    try {
      const from = pg.replica.logLength();
      const fresh = await publish(keys.a, 'COMMUNITY');
      const sighting = await gql<{ reportSighting: { id: string } }>(
        base,
        REPORT,
        { i: { sightingOf: fresh.doc.id, firstSeen: '2025-06-03T09:00:00Z' } },
        { authorization: keys.b },
      );
      expect(sighting.errors).toBeUndefined();
      const feed = await gql<{ feed: { edges: Array<{ node: { id: string } }> } }>(base, FEED, {}, { authorization: keys.a });
      expect(feed.data!.feed.edges.map((e) => e.node.id)).toContain(sighting.data!.reportSighting.id);
      // Nothing but routed reads ever reaches the replica; none ran here. (Lines of the server's own processes have no application_name.)
      expect(
        pg.replica
          .logSince(from)
          .split('\n')
          .filter((l) => /^[^|\s][^|]*\|/.test(l)),
      ).toEqual([]);
    } finally {
      await resumeReplay();
    }
  }, 60_000);

  it('a replica that is down costs a fallback to the primary, not an error — even at start-up — and serves again once it is back', async () => {
    const fresh = await publish(keys.a, 'COMMUNITY');
    const check = (baseUrl: string) =>
      gql<{ checkIdentifiers: Array<{ known: boolean }> }>(baseUrl, CHECK, { v: [fresh.ip] }, { authorization: keys.b });
    pg.replica.stop();
    // An instance starting while the replica is down starts, on the primary alone.
    const late = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
    try {
      await late.listen(0, '127.0.0.1');
      const lateBase = `http://127.0.0.1:${(late.getHttpServer().address() as { port: number }).port}`;
      try {
        const before = await served('lookup.check', 'primary', 'unavailable');
        for (const answer of [await check(base), await check(lateBase)]) {
          expect(answer.errors).toBeUndefined();
          expect(answer.data!.checkIdentifiers[0].known).toBe(true);
        }
        expect(await served('lookup.check', 'primary', 'unavailable')).toBe(before + 1);
      } finally {
        pg.replica.start();
      }
      await caughtUp();
      // Both serve from the replica again once it answers (tried again after DB_RETRY_DELAY_MS).
      for (const baseUrl of [base, lateBase]) {
        const back = await waitFor(
          async () => {
            const w = await watch('lookup.check', () => check(baseUrl));
            return w.routed.length > 0 && w.result.data!.checkIdentifiers[0].known;
          },
          { what: 'a look-up to be served by the replica again' },
        );
        expect(back).toBe(true);
      }
    } finally {
      await late.close();
    }
  }, 120_000);

  it('a DATABASE_REPLICA_URL that is not a standby is refused at start-up', async () => {
    const appLogin = urlOf(pg.primary.port, `${DB}_api`);
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: urlOf(pg.primary.port, `${DB}_owner`),
        DATABASE_APP_URL: appLogin,
        DATABASE_REPLICA_URL: appLogin,
        SEED_DEMO: 'false',
      },
      TEST_SECRETS,
    );
    await expect(createApp({ config, appDatabaseUrl: appLogin, connectDatabase: true }, new JsonLogger('error'))).rejects.toThrow(
      /DATABASE_REPLICA_URL: the server is not a standby/,
    );
  });
});
