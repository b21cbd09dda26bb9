import { randomUUID } from 'node:crypto';
import { IntelService } from '@cairn/intel';
import { LookupService } from '@cairn/lookup';
import { ANY_SECTOR, GLOBAL_AREA, TenancyService, parentSector, regionOf, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';

/**
 * Small-crowd protection, attacked by a member who holds the public tenant directory and can
 * publish, sight, look up and subscribe. The rule: a cell is only ever published when at least k
 * members report under exactly that cell, and no figure shown stands for fewer than k members
 * other than the viewer.
 */
const REPORT = `mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id reportedAs { sector area } } }`;
const FEED = `query($after: String) { feed(filter: { types: [SIGHTING] }, first: 500, after: $after, newestFirst: false) {
  edges { node { id sighting { sector area } } } pageInfo { hasNextPage endCursor } } }`;
const STATS = `query($s: String!) { sectorStats(sector: $s, from: "2020-01-01T00:00:00Z", interval: WEEK) {
  totalSightings series { bucket sightings } topIdentities { subjectId reportingMembers sightings } byArea { key sightings } byStage { key sightings } } }`;
const CHECK = `query($v: [String!]!) { checkIdentifiers(values: $v) { known reporters cells { sector area } } }`;

type Cell = { sector: string; area: string };
type Stats = {
  totalSightings: number | null;
  series: Array<{ bucket: string; sightings: number | null }>;
  topIdentities: Array<{ subjectId: string; reportingMembers: number; sightings: number }>;
  byArea: Array<{ key: string; sightings: number | null }>;
  byStage: Array<{ key: string; sightings: number | null }>;
};

/** Independent of the server: a cell holds a member when it names its primary sector, the parent of it or any, and its country, region or the world. */
const holds = (cell: Cell, t: TenantEntity) =>
  [t.sectors[0] ?? ANY_SECTOR, parentSector(t.sectors[0] ?? ANY_SECTOR), ANY_SECTOR].includes(cell.sector) &&
  [t.country, regionOf(t.country), GLOBAL_AREA].includes(cell.area);

/** A little world: members, each with an API key, a COMMUNITY indicator of one IP address everybody may see. */
async function world(api: TestApp, members: Array<{ country: string; sectors: string[] }>) {
  const tenants: TenantEntity[] = [];
  const keys = new Map<string, string>();
  for (const m of members) {
    const t = await newTenant(api.app, { ...m, defaultDistribution: 'COMMUNITY', defaultTlp: 'GREEN' });
    tenants.push(t);
    keys.set(t.id, await newApiKey(api.app, t));
  }
  const ip = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
  const indicator = {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2025-05-01T00:00:00.000Z',
    modified: '2025-05-01T00:00:00.000Z',
    name: 'laptop farm',
    pattern: `[ipv4-addr:value = '${ip}']`,
    pattern_type: 'stix',
    valid_from: '2025-05-01T00:00:00Z',
  };
  const exchange = await api.app.get(TenancyService).exchangeTenant();
  await api.app.get(IntelService).storeObjects(machineViewer(exchange), [indicator], { distribution: 'COMMUNITY', tlp: 'CLEAR' });
  const report = (t: TenantEntity, stage = 'INTERVIEW') =>
    gql<{ reportSighting: { id: string; reportedAs: Cell } }>(
      api.baseUrl,
      REPORT,
      { i: { sightingOf: indicator.id, firstSeen: '2025-06-02T09:00:00Z', interviewStage: stage } },
      { authorization: keys.get(t.id)! },
    );
  return { tenants, keys, ip, indicatorId: indicator.id, report };
}

/** Every sighting in the viewer's feed, with the cell it is shown under. */
async function feedCells(api: TestApp, key: string): Promise<Map<string, Cell>> {
  const out = new Map<string, Cell>();
  for (let after: string | null = null; ;) {
    const res: {
      data?: { feed: { edges: Array<{ node: { id: string; sighting: Cell } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    } = await gql(api.baseUrl, FEED, { after }, { authorization: key });
    for (const e of res.data!.feed.edges) out.set(e.node.id, e.node.sighting);
    if (!res.data!.feed.pageInfo.hasNextPage) return out;
    after = res.data!.feed.pageInfo.endCursor;
  }
}

const others = (viewer: string, who: Iterable<string>) => new Set([...who].filter((w) => w !== viewer)).size;

describe('adversary: small-crowd cells and small counts', () => {
  describe('the reported attack, k = 3', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp({ env: { K_ANONYMITY: '3' } });
    });
    afterAll(() => api.close());

    it('a member alone in its country is never described by a cell that members reporting elsewhere make look big', async () => {
      // Three healthcare members in DE fill their own cell; one in FR; a technology member that holds healthcare as a second sector.
      const w = await world(api, [
        { country: 'DE', sectors: ['healthcare'] },
        { country: 'DE', sectors: ['healthcare'] },
        { country: 'DE', sectors: ['healthcare'] },
        { country: 'FR', sectors: ['healthcare'] },
        { country: 'GB', sectors: ['technology', 'healthcare'] },
        { country: 'US', sectors: ['technology'] },
        { country: 'US', sectors: ['technology'] },
        { country: 'US', sectors: ['technology'] },
        { country: 'US', sectors: ['technology'] },
        { country: 'US', sectors: ['technology'] },
      ]);
      const reporterOf = new Map<string, TenantEntity>();
      for (const t of w.tenants) {
        const res = await w.report(t);
        expect(res.errors).toBeUndefined();
        reporterOf.set(res.data!.reportSighting.id, t);
      }
      const attacker = w.tenants[0];
      const byCell = new Map<string, Set<string>>();
      for (const [id, cell] of await feedCells(api, w.keys.get(attacker.id)!)) {
        const t = reporterOf.get(id);
        if (!t) continue;
        expect(holds(cell, t)).toBe(true);
        const key = `${cell.sector}/${cell.area}`;
        byCell.set(key, new Set([...(byCell.get(key) ?? []), t.id]));
      }
      // Before: FR was "healthcare in europe" counted as 4 with the DE members, alone in fact.
      expect(byCell.get('healthcare/europe')).toBeUndefined();
      for (const [, who] of byCell) expect(who.size).toBeGreaterThanOrEqual(3);

      // sectorStats: no figure that stands for one or two other members.
      const stats = (
        await gql<{ sectorStats: Stats }>(api.baseUrl, STATS, { s: 'healthcare' }, { authorization: w.keys.get(attacker.id)! })
      ).data!.sectorStats;
      for (const t of stats.topIdentities) expect(t.reportingMembers).toBeGreaterThanOrEqual(3);
      // The look-up: who published or sighted the address, as a count only when k others stand behind it.
      const [check] = (
        await gql<{ checkIdentifiers: Array<{ known: boolean; reporters: number | null; cells: Cell[] }> }>(
          api.baseUrl,
          CHECK,
          { v: [w.ip] },
          { authorization: w.keys.get(attacker.id)! },
        )
      ).data!.checkIdentifiers;
      expect(check.known).toBe(true);
      expect(check.reporters).toBe(10);
      expect(check.cells.map((c) => `${c.sector}/${c.area}`)).not.toContain('healthcare/europe');
    });

    it('a membership change on another API instance moves the next report at once', async () => {
      const second = await startTestApp({ databaseUrl: api.databaseUrl, env: { K_ANONYMITY: '3' } });
      try {
        const w = await world(api, [
          { country: 'JP', sectors: ['mining'] },
          { country: 'JP', sectors: ['mining'] },
          { country: 'JP', sectors: ['mining'] },
        ]);
        // Warm the second instance's crowd, then take one member out of the cell through the first.
        const before = await gql<{ reportSighting: { reportedAs: Cell } }>(
          second.baseUrl,
          REPORT,
          { i: { sightingOf: w.indicatorId, firstSeen: '2025-06-02T09:00:00Z' } },
          { authorization: w.keys.get(w.tenants[0].id)! },
        );
        expect(before.data!.reportSighting.reportedAs).toEqual({ sector: 'mining', area: 'JP' });
        await api.app.get(TenancyService).updateProfile(w.tenants[2].id, { sectors: ['retail'] }, machineViewer(w.tenants[2]));
        const after = await gql<{ reportSighting: { reportedAs: Cell } }>(
          second.baseUrl,
          REPORT,
          { i: { sightingOf: w.indicatorId, firstSeen: '2025-06-02T09:00:00Z' } },
          { authorization: w.keys.get(w.tenants[0].id)! },
        );
        expect(after.errors).toBeUndefined();
        expect(after.data!.reportSighting.reportedAs).not.toEqual({ sector: 'mining', area: 'JP' });
      } finally {
        await second.close();
      }
    });

    it('a new version of a sighting keeps the cell it was first reported under', async () => {
      const w = await world(api, [
        { country: 'BR', sectors: ['energy'] },
        { country: 'BR', sectors: ['energy'] },
        { country: 'BR', sectors: ['energy'] },
      ]);
      const sighting = {
        type: 'sighting',
        spec_version: '2.1',
        id: `sighting--${randomUUID()}`,
        created: '2025-06-02T09:00:00.000Z',
        modified: '2025-06-02T09:00:00.000Z',
        sighting_of_ref: w.indicatorId,
      };
      const intel = api.app.get(IntelService);
      await intel.storeObjects(machineViewer(w.tenants[0]), [sighting], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      await api.app.get(TenancyService).updateProfile(w.tenants[1].id, { country: 'AR' }, machineViewer(w.tenants[1]));
      await intel.storeObjects(machineViewer(w.tenants[0]), [{ ...sighting, modified: '2025-06-03T09:00:00.000Z', count: 2 }], {
        distribution: 'COMMUNITY',
        tlp: 'GREEN',
      });
      const cells = [...(await feedCells(api, w.keys.get(w.tenants[2].id)!)).entries()]
        .filter(([id]) => id === sighting.id)
        .map(([, c]) => c);
      // Both versions, one cell: describing one sighting by two cells would let anyone intersect them.
      expect(new Set(cells.map((c) => `${c.sector}/${c.area}`))).toEqual(new Set(['energy/BR']));
    });

    it('a publisher is described in look-ups by the cell it published under, through membership changes, reindexing and new versions', async () => {
      const w = await world(api, [
        { country: 'KR', sectors: ['education'] },
        { country: 'KR', sectors: ['education'] },
        { country: 'KR', sectors: ['education'] },
      ]);
      const ip = `192.0.2.${1 + Math.floor(Math.random() * 250)}`;
      const doc = {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${randomUUID()}`,
        created: '2025-05-01T00:00:00.000Z',
        modified: '2025-05-01T00:00:00.000Z',
        name: 'x',
        pattern: `[ipv4-addr:value = '${ip}']`,
        pattern_type: 'stix',
        valid_from: '2025-05-01T00:00:00Z',
      };
      const intel = api.app.get(IntelService);
      await intel.storeObjects(machineViewer(w.tenants[0]), [doc], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      const cells = async () =>
        (
          await gql<{ checkIdentifiers: Array<{ cells: Cell[] }> }>(
            api.baseUrl,
            CHECK,
            { v: [ip] },
            { authorization: w.keys.get(w.tenants[1].id)! },
          )
        ).data!.checkIdentifiers[0].cells;
      expect(await cells()).toEqual([{ sector: 'education', area: 'KR' }]);
      // Two members leave the cell: the publisher now reports under a coarser one. Recomputing the
      // published answer would hand the attacker two cells to intersect.
      await api.app.get(TenancyService).updateProfile(w.tenants[1].id, { sectors: ['retail'] }, machineViewer(w.tenants[1]));
      expect(await api.app.get(TenancyService).cellFor(w.tenants[0].id)).not.toMatchObject({ area: 'KR' });
      expect(await cells()).toEqual([{ sector: 'education', area: 'KR' }]);
      await intel.storeObjects(machineViewer(w.tenants[0]), [{ ...doc, modified: '2025-05-02T00:00:00.000Z', name: 'y' }], {
        distribution: 'COMMUNITY',
        tlp: 'GREEN',
      });
      expect(await cells()).toEqual([{ sector: 'education', area: 'KR' }]);
      await api.app.get(LookupService).reindexAll();
      expect(await cells()).toEqual([{ sector: 'education', area: 'KR' }]);
    });

    it('with fewer members than k nobody may report a sighting at all', async () => {
      const tiny = await startTestApp({ env: { K_ANONYMITY: '50' } });
      try {
        const w = await world(tiny, [
          { country: 'DE', sectors: ['healthcare'] },
          { country: 'FR', sectors: ['healthcare'] },
        ]);
        const res = await w.report(w.tenants[0]);
        expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_CELL' });
        expect((await feedCells(tiny, w.keys.get(w.tenants[1].id)!)).size).toBe(0);
      } finally {
        await tiny.close();
      }
    });
  });

  describe('randomised: random members, sectors (primary and secondary), countries and k', () => {
    const countries = ['US', 'CA', 'DE', 'FR', 'GB', 'JP', 'SG', 'BR'];
    const sectors = [
      'healthcare',
      'pharmaceuticals',
      'insurance',
      'payroll-processing',
      'financial-services',
      'technology',
      'artificial-intelligence',
      'retail',
    ];
    const stages = ['APPLICATION', 'INTERVIEW', 'OFFER'];

    for (const seed of [11, 23, 37]) {
      it(`seed ${seed}: no published cell, count or lookup answer stands for fewer than k members`, async () => {
        let s = seed;
        const rnd = (max: number) => (s = (s * 1103515245 + 12345) % 2 ** 31) % max;
        const k = 2 + rnd(3);
        const api = await startTestApp({ env: { K_ANONYMITY: String(k) } });
        try {
          const members = Array.from({ length: 6 + rnd(9) }, () => {
            const primary = sectors[rnd(sectors.length)];
            return { country: countries[rnd(countries.length)], sectors: rnd(2) ? [primary] : [primary, sectors[rnd(sectors.length)]] };
          });
          const w = await world(api, members);
          // Every member reports; some report twice, at another stage.
          const reporterOf = new Map<string, string>();
          const stageOf = new Map<string, string>();
          for (const t of w.tenants) {
            for (let n = 0; n < 1 + rnd(2); n++) {
              const stage = stages[rnd(stages.length)];
              const res = await w.report(t, stage);
              if (w.tenants.length < k) {
                expect(res.errors?.[0]?.extensions?.reason).toBe('NO_CELL');
                continue;
              }
              expect(res.errors).toBeUndefined();
              reporterOf.set(res.data!.reportSighting.id, t.id);
              stageOf.set(res.data!.reportSighting.id, stage.toLowerCase());
            }
          }
          const byId = new Map(w.tenants.map((t) => [t.id, t]));
          for (const attacker of w.tenants) {
            const key = w.keys.get(attacker.id)!;
            const feed = await feedCells(api, key);
            // Cells: every member under a cell is in it, and at least k members report under it.
            const byCell = new Map<string, Set<string>>();
            for (const [id, cell] of feed) {
              const who = reporterOf.get(id)!;
              expect(holds(cell, byId.get(who)!)).toBe(true);
              byCell.set(`${cell.sector}/${cell.area}`, new Set([...(byCell.get(`${cell.sector}/${cell.area}`) ?? []), who]));
            }
            for (const [cell, who] of byCell) expect({ cell, members: who.size >= k }).toEqual({ cell, members: true });

            // Stats: every figure shown stands for 0 or ≥ k members other than the attacker (ground truth from who reported what).
            for (const sector of new Set(w.tenants.map((t) => t.sectors[0]))) {
              const stats = (await gql<{ sectorStats: Stats }>(api.baseUrl, STATS, { s: sector }, { authorization: key })).data!
                .sectorStats;
              const inScope = [...feed].filter(([, c]) => [sector, parentSector(sector), ANY_SECTOR].includes(c.sector));
              const whoOf = (ids: Array<[string, Cell]>) => ids.map(([id]) => reporterOf.get(id)!);
              const ok = (n: number) => n === 0 || n >= k;
              if (stats.totalSightings !== null) {
                expect(stats.totalSightings).toBe(inScope.length);
                expect(ok(others(attacker.id, whoOf(inScope)))).toBe(true);
              }
              for (const a of stats.byArea)
                if (a.sightings !== null) expect(ok(others(attacker.id, whoOf(inScope.filter(([, c]) => c.area === a.key))))).toBe(true);
              for (const a of stats.byStage)
                if (a.sightings !== null)
                  expect(ok(others(attacker.id, whoOf(inScope.filter(([id]) => stageOf.get(id) === a.key))))).toBe(true);
              for (const top of stats.topIdentities) {
                // A floor (k others, plus the attacker if it reported): an exact count differenced across answers counts one member.
                expect(top.reportingMembers).toBe(
                  Math.min(others(attacker.id, whoOf(inScope)), k) + (whoOf(inScope).includes(attacker.id) ? 1 : 0),
                );
                expect(others(attacker.id, whoOf(inScope))).toBeGreaterThanOrEqual(k);
              }
              // What is hidden of one breakdown, together, never stands for a lone member either.
              const hidden = stats.byArea
                .filter((a) => a.sightings === null)
                .flatMap((a) => whoOf(inScope.filter(([, c]) => c.area === a.key)));
              if (stats.totalSightings !== null) expect(ok(others(attacker.id, hidden))).toBe(true);
            }

            // Lookup: the count of reporters only when k others stand behind it; cells only ones k report under.
            const [check] = (
              await gql<{ checkIdentifiers: Array<{ reporters: number | null; cells: Cell[] }> }>(
                api.baseUrl,
                CHECK,
                { v: [w.ip] },
                { authorization: key },
              )
            ).data!.checkIdentifiers;
            const reporters = new Set(reporterOf.values());
            if (check.reporters !== null) {
              expect(check.reporters).toBe(reporters.size);
              expect(others(attacker.id, reporters) === 0 || others(attacker.id, reporters) >= k).toBe(true);
            } else expect(others(attacker.id, reporters)).toBeLessThan(k);
            for (const c of check.cells) expect(byCell.has(`${c.sector}/${c.area}`)).toBe(true);
          }
        } finally {
          await api.close();
        }
      });
    }
  });
});
