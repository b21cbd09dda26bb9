import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IntelService } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { createDatabaseIfMissing, prepareWithLogin } from '../../libs/database/src/bootstrap';
import { deriveDatabaseTrustKey, TEST_SECRETS } from '@cairn/common';
import { TEST_APP_LOGIN, TEST_APP_PASSWORD } from '../support/database';
import { ControllablePostgres } from '../support/pg-server';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { collect, sleep, wsClient } from '../support/ws';
import { untilSubscriptions, waitFor } from '../support/wait';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';

const REPORT = `mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id cursor } }`;
const SUB = `subscription($after: String) { sightingReported(after: $after) { cursor id } }`;
type SubEvent = { sightingReported: { cursor: string; id: string } };

describe('PostgreSQL stopped and restarted under a stream of sightings', () => {
  let pg: ControllablePostgres;
  let api: TestApp;
  let databaseUrl: string;
  let reporter: TenantEntity;
  let watcher: TenantEntity;
  let subject: string;
  const key: Record<string, string> = {};

  beforeAll(async () => {
    pg = await ControllablePostgres.create();
    await createDatabaseIfMissing(pg.url, 'cairn');
    databaseUrl = pg.url.replace(/\/postgres$/, '/cairn');
    await prepareWithLogin(databaseUrl, TEST_APP_LOGIN, TEST_APP_PASSWORD, deriveDatabaseTrustKey(TEST_SECRETS.IDENTIFIER_HMAC_SECRET!));
    api = await startTestApp({ databaseUrl, env: { DB_RETRY_DELAY_MS: '100', K_ANONYMITY: '1' } }); // One or two members only, and this test is not about small crowds: k = 1 lets them report.
    reporter = await newTenant(api.app, { sectors: ['financial-services'] });
    watcher = await newTenant(api.app, { sectors: ['financial-services'] });
    key.reporter = await newApiKey(api.app, reporter);
    key.watcher = await newApiKey(api.app, watcher, ['intel:read']);
    const doc = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      pattern: "[ipv4-addr:value = '198.51.100.7']",
      pattern_type: 'stix',
      valid_from: '2025-01-01T00:00:00Z',
    };
    await api.app.get(IntelService).storeObjects(machineViewer(reporter), [doc], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    subject = doc.id;
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await pg?.destroy();
  });

  it('acknowledges only what it stored, fails the rest clearly, recovers without a restart, and subscribers resume exactly once', async () => {
    const client1 = wsClient(api.baseUrl, key.watcher);
    const before = collect<SubEvent>(client1, SUB);
    await untilSubscriptions(api.app, 1);

    const acknowledged: string[] = [];
    const failures: Array<{ code: unknown; message: string }> = [];
    let writing = true;
    const writer = (async () => {
      let i = 0;
      while (writing) {
        const res = await gql<{ reportSighting: { id: string } }>(
          api.baseUrl,
          REPORT,
          { i: { sightingOf: subject, firstSeen: '2025-06-01T00:00:00Z', count: ++i } },
          { authorization: key.reporter },
        ).catch((err: Error) => ({ transport: err.message }) as never);
        if ('data' in res && res.data?.reportSighting) acknowledged.push(res.data.reportSighting.id);
        else if ('errors' in res && res.errors) failures.push({ code: res.errors[0].extensions?.code, message: res.errors[0].message });
        await sleep(15); // pacing the writer, not waiting for anything
      }
    })();

    await waitFor(() => acknowledged.length >= 5, { what: 'some sightings to be acknowledged before PostgreSQL stops' });
    await pg.stop();
    const downHealth = await fetch(`${api.baseUrl}/health`);
    const failedBeforeRestart = await waitFor(() => failures.length >= 3 && failures.length, {
      what: 'writes to fail while PostgreSQL is down',
    });
    await pg.start();

    // The server recovers by itself: health comes back and writes succeed again.
    await waitFor(async () => (await fetch(`${api.baseUrl}/health`)).status === 200, {
      what: 'health to come back after the restart',
      timeoutMs: 30_000,
    });
    const ackedBeforeRecovery = acknowledged.length;
    await waitFor(() => acknowledged.length >= ackedBeforeRecovery + 5, {
      what: 'writes to succeed again after the restart',
      timeoutMs: 30_000,
    });
    writing = false;
    await writer;

    expect(downHealth.status).toBe(503);
    expect(failures.length).toBeGreaterThanOrEqual(failedBeforeRestart);
    for (const f of failures) {
      expect(f.code).toBe('SERVICE_UNAVAILABLE');
      expect(f.message).not.toMatch(/\bat .*\.[jt]s:\d+|ECONN|stack/);
    }

    // Exactly the acknowledged sightings are stored: nothing half-written, nothing lost.
    const owner = new Client({ connectionString: databaseUrl });
    await owner.connect();
    const { rows } = await owner.query(`SELECT id FROM stix_object WHERE type = 'sighting' AND publisher_tenant_id = $1`, [reporter.id]);
    const facts = await owner.query(`SELECT count(*)::int AS n FROM sighting_fact WHERE publisher_tenant_id = $1`, [reporter.id]);
    await owner.end();
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual([...acknowledged].sort());
    expect(facts.rows[0].n).toBe(acknowledged.length);

    // The subscriber reconnects from its last cursor and ends with every sighting exactly once.
    const firstEvents = [...before.events];
    before.stop();
    await client1.dispose();
    const lastCursor = firstEvents.length ? firstEvents[firstEvents.length - 1].sightingReported.cursor : undefined;
    const client2 = wsClient(api.baseUrl, key.watcher);
    const after = collect<SubEvent>(client2, SUB, lastCursor ? { after: lastCursor } : {});
    const missing = acknowledged.length - firstEvents.length;
    if (missing > 0) await after.waitFor(missing, 15_000);
    // A barrier instead of a pause: one more sighting, delivered in commit order after any repeat of an earlier one.
    const barrier = (
      await gql<{ reportSighting: { id: string } }>(
        api.baseUrl,
        REPORT,
        { i: { sightingOf: subject, firstSeen: '2025-06-01T00:00:00Z' } },
        { authorization: key.reporter },
      )
    ).data!.reportSighting.id;
    await waitFor(() => after.events.some((e) => e.sightingReported.id === barrier), { what: 'the barrier sighting after the reconnect' });
    const all = [...firstEvents, ...after.events].map((e) => e.sightingReported.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...acknowledged, barrier].sort());
    after.stop();
    await client2.dispose();
  }, 90_000);
});
