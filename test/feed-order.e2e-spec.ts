import { randomUUID } from 'node:crypto';
// The store's insert itself, to stagger commits by hand (not part of the lib's surface).
import { insertObjects } from '../libs/intel/src/object-store';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';
import { sleep } from './support/ws';

const FEED = `query($after: String) { feed(filter: { types: [INDICATOR] }, after: $after, newestFirst: false, first: 7) {
  edges { node { id } } pageInfo { endCursor hasNextPage } } }`;

describe('feed order under concurrent writers', () => {
  let api: TestApp;
  let tenant: TenantEntity;

  beforeAll(async () => {
    api = await startTestApp({ env: { DB_POOL_SIZE: '20' } });
    tenant = await newTenant(api.app);
  });
  afterAll(async () => {
    await api.close();
  });

  it('a reader paging meanwhile sees every committed row exactly once, although writers commit out of start order', async () => {
    const WRITERS = 8;
    const PER_WRITER = 15;
    const tenancy = api.app.get(TenancyService);
    const scope = await tenancy.accessScope(tenant.id);
    const audience = {
      publisherTenantId: tenant.id,
      distribution: 'COMMUNITY' as const,
      sectors: [],
      countries: [],
      groupId: null,
      recipients: [],
    };
    const written: string[] = [];
    let writing = true;

    const writer = async (w: number) => {
      for (let i = 0; i < PER_WRITER; i++) {
        const id = `indicator--${randomUUID()}`;
        const doc = {
          type: 'indicator',
          spec_version: '2.1',
          id,
          created: '2025-01-01T00:00:00.000Z',
          modified: '2025-01-01T00:00:00.000Z',
          pattern: "[ipv4-addr:value = '192.0.2.1']",
          pattern_type: 'stix',
          valid_from: '2025-01-01T00:00:00Z',
        };
        await tenancy.asViewer(scope, async (m) => {
          // Transactions start, take their number and commit at staggered times (pg_sleep makes the
          // out-of-order commits under test; nothing waits on it).
          await m.query('SELECT pg_sleep($1)', [((w * 7 + i * 3) % 11) / 1000]);
          await insertObjects(m, audience, 'GREEN', [
            { id, type: 'indicator', modified: doc.modified, revoked: false, validUntil: null, doc },
          ]);
          await m.query('SELECT pg_sleep($1)', [((w * 5 + i) % 13) / 1000]);
        });
        written.push(id);
      }
    };

    const key = await newApiKey(api.app, tenant, ['intel:read']);
    const seen: string[] = [];
    const reader = async () => {
      let after: string | null = null;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        // Read before the request: an empty page ends the reading only if every writer had committed when it was asked for.
        const writersDone = !writing;
        const res: Awaited<
          ReturnType<typeof gql<{ feed: { edges: Array<{ node: { id: string } }>; pageInfo: { endCursor: string | null } } }>>
        > = await gql(api.baseUrl, FEED, { after }, { authorization: key });
        const page = res.data!.feed;
        seen.push(...page.edges.map((e) => e.node.id));
        if (page.pageInfo.endCursor) after = page.pageInfo.endCursor;
        if (page.edges.length === 0) {
          if (writersDone) return;
          await sleep(3); // a reader's pause between empty polls, not a wait for anything
        }
      }
    };

    const readerDone = reader();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await readerDone;

    expect(written).toHaveLength(WRITERS * PER_WRITER);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...written].sort());
  }, 90_000);
});
