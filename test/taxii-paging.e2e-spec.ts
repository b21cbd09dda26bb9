import { randomUUID } from 'node:crypto';
import { IntelService } from '@cairn/intel';
// The store's insert itself, to stagger commits by hand (not part of the lib's surface).
import { insertObjects } from '../libs/intel/src/object-store';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { startTestApp, type TestApp } from './support/test-app';
import { machineViewer, newApiKey, newTenant } from './factories/tenancy.factory';
import { sleep } from './support/ws';

const TAXII = 'application/taxii+json;version=2.1';
const indicator = (i: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  name: `paging ${i}`,
  pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
  pattern_type: 'stix',
  valid_from: '2025-01-01T00:00:00Z',
});
const ipv4 = (i: number) => ({ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value: `192.0.2.${i}` });

interface Page {
  objects: Array<{ id: string; modified?: string }>;
  more: boolean;
  next?: string;
  first: string | null;
  last: string | null;
}

/** A SIEM's poller: one GET of a collection's objects with Basic auth (any user name, the key as password). */
async function poll(baseUrl: string, key: string, collectionId: string, query: string): Promise<Page> {
  const res = await fetch(`${baseUrl}/taxii2/api/collections/${collectionId}/objects/?${query}`, {
    headers: { accept: TAXII, authorization: `Basic ${Buffer.from(`siem:${key.replace(/^Bearer /, '')}`).toString('base64')}` },
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { objects: Page['objects']; more: boolean; next?: string };
  return { ...body, first: res.headers.get('x-taxii-date-added-first'), last: res.headers.get('x-taxii-date-added-last') };
}

async function collectionId(baseUrl: string, key: string, alias: string): Promise<string> {
  const res = await fetch(`${baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: key } });
  const body = (await res.json()) as { collections: Array<{ id: string; alias: string }> };
  return body.collections.find((c) => c.alias === alias)!.id;
}

const versionKey = (o: { id: string; modified?: string }) => `${o.id}|${o.modified ?? ''}`;

describe('TAXII paging over 25,000 objects', () => {
  let api: TestApp;
  let reader: TenantEntity;
  let readerKey: string;
  let community: string;
  const expected = new Set<string>();

  beforeAll(async () => {
    api = await startTestApp({ env: { DB_POOL_SIZE: '20' } });
    const p = await newTenant(api.app, { country: 'DE', sectors: ['insurance'] });
    const q = await newTenant(api.app, { country: 'GB', sectors: ['insurance'] });
    reader = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    const intel = api.app.get(IntelService);
    // The store path, 5,000 per transaction; another publisher's private objects in between.
    for (let batch = 0; batch < 5; batch++) {
      const docs = Array.from({ length: 5000 }, (_, i) => indicator(batch * 5000 + i));
      await intel.storeObjects(machineViewer(p), docs, { distribution: 'COMMUNITY', tlp: 'GREEN' });
      docs.forEach((d) => expected.add(versionKey(d)));
      await intel.storeObjects(
        machineViewer(q),
        Array.from({ length: 100 }, (_, i) => indicator(i)),
        { distribution: 'ORGANISATION', tlp: 'RED' },
      );
    }
    // The same observables (deterministic ids) from two publishers: one (id, version), served once.
    const shared = Array.from({ length: 100 }, (_, i) => ipv4(i));
    await intel.storeObjects(machineViewer(p), shared, { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    await intel.storeObjects(machineViewer(q), shared, { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    shared.forEach((d) => expected.add(versionKey(d)));
    readerKey = await newApiKey(api.app, reader, ['taxii:read']);
    community = await collectionId(api.baseUrl, readerKey, 'community');
  }, 180_000);
  afterAll(() => api.close());

  const check = (seen: string[], dates: string[]) => {
    expect(seen.length).toBe(expected.size);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.every((k) => expected.has(k))).toBe(true);
    expect(dates.every((d, i) => i === 0 || d > dates[i - 1])).toBe(true);
  };

  it('with next (limit 1000): every object exactly once, in date_added order', async () => {
    const seen: string[] = [];
    const dates: string[] = [];
    let page = await poll(api.baseUrl, readerKey, community, 'limit=1000');
    let pages = 1;
    for (;;) {
      seen.push(...page.objects.map(versionKey));
      dates.push(page.first!, page.last!);
      expect(page.objects.length).toBe(page.more ? 1000 : expected.size % 1000 || 1000);
      if (!page.more) break;
      page = await poll(api.baseUrl, readerKey, community, `limit=1000&next=${page.next}`);
      pages++;
    }
    expect(pages).toBe(Math.ceil(expected.size / 1000));
    check(seen, dates);
  }, 120_000);

  it('with added_after = the previous X-TAXII-Date-Added-Last: every object exactly once, then nothing', async () => {
    const seen: string[] = [];
    const dates: string[] = [];
    let query = 'limit=1000';
    for (;;) {
      const page = await poll(api.baseUrl, readerKey, community, query);
      if (page.objects.length === 0) {
        expect(page.last).toBeNull();
        break;
      }
      seen.push(...page.objects.map(versionKey));
      dates.push(page.first!, page.last!);
      expect(page.first! > (query.match(/added_after=([^&]+)/)?.[1] ?? '')).toBe(true);
      query = `limit=1000&added_after=${page.last}`;
    }
    check(seen, dates);
  }, 120_000);

  it('while writers commit out of order, pollers using next or added_after each see every object exactly once', async () => {
    const writerTenant = await newTenant(api.app, { country: 'NL', sectors: ['energy'] });
    const readerTenant = await newTenant(api.app, { country: 'NL', sectors: ['energy'] });
    const key = await newApiKey(api.app, readerTenant, ['taxii:read']);
    const sector = await collectionId(api.baseUrl, key, 'sector-energy');
    const tenancy = api.app.get(TenancyService);
    const scope = await tenancy.accessScope(writerTenant.id);
    const audience = {
      publisherTenantId: writerTenant.id,
      distribution: 'SECTOR' as const,
      sectors: ['energy'],
      countries: [],
      groupId: null,
      recipients: [],
    };
    const written: string[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; i < 12; i++) {
        const docs = Array.from({ length: 1 + ((w + i) % 4) }, (_, k) => indicator(w * 1000 + i * 10 + k));
        await tenancy.asViewer(scope, async (m) => {
          // Each transaction takes its place in the feed, then commits at a staggered time (pg_sleep
          // makes the out-of-order commits under test; nothing waits on it).
          await m.query('SELECT pg_sleep($1)', [((w * 7 + i * 3) % 11) / 1000]);
          await insertObjects(
            m,
            audience,
            'GREEN',
            docs.map((d) => ({ id: d.id, type: d.type, modified: d.modified, revoked: false, validUntil: null, doc: d })),
          );
          await m.query('SELECT pg_sleep($1)', [((w * 5 + i) % 13) / 1000]);
        });
        written.push(...docs.map(versionKey));
      }
    };
    const poller = async (useNext: boolean) => {
      const seen: string[] = [];
      let next: string | undefined;
      let last: string | null = null;
      for (let idle = 0; idle < 3;) {
        const query = ['limit=5', next ? `next=${next}` : last ? `added_after=${last}` : ''].filter(Boolean).join('&');
        const page = await poll(api.baseUrl, key, sector, query);
        seen.push(...page.objects.map(versionKey));
        if (page.last) last = page.last;
        next = useNext && page.more ? page.next : undefined;
        // Stop after a few empty polls once every writer has committed.
        if (page.objects.length === 0) {
          if (!writing) idle++;
          await sleep(5); // a poller's pause between empty polls, not a wait for anything
        }
      }
      return seen;
    };
    const polling = [poller(true), poller(false)];
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    writing = false;
    const [withNext, withAddedAfter] = await Promise.all(polling);
    expect(written.length).toBeGreaterThan(150);
    for (const seen of [withNext, withAddedAfter]) {
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...written].sort());
    }
  }, 120_000);
});
