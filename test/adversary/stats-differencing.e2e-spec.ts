import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf, indicatorObject } from '../factories/stix.factory';

/**
 * sectorStats hides a week that fewer than k members stand behind. But `from` / `to` were free and
 * the window's figures (total, top identities' members and sightings, breakdowns) counted the
 * whole window: the same figures over two windows, one a little wider than the other, gave back
 * by subtraction exactly what the suppression hid — the sightings, and the number of distinct
 * members, of the week where only one member reported. It is the attack that screening is tested
 * against ("a union over {X, Z} would say 4 and so tell that X has exactly one reporter, not among
 * Z's"), run through the dashboard, and here run with every pair of windows, days against weeks,
 * country filters, and before and after a sighting.
 */
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const SIGHT = 'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }';
const STATS = `query($from: DateTime, $to: DateTime, $interval: StatsInterval!, $countries: [String!]) {
  sectorStats(sector: "technology", countries: $countries, from: $from, to: $to, interval: $interval) {
    totalSightings series { bucket sightings } topIdentities { subjectId reportingMembers sightings }
    byArea { key sightings } byStage { key sightings }
  }
}`;
type Row = { key: string; sightings: number | null };
type Stats = {
  totalSightings: number | null;
  series: Array<{ bucket: string; sightings: number | null }>;
  topIdentities: Array<{ subjectId: string; reportingMembers: number; sightings: number }>;
  byArea: Row[];
  byStage: Row[];
};

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** The Mondays of the weeks the sightings below fall in, and one empty week on each side. */
const WEEKS = Array.from({ length: 8 }, (_v, i) => new Date(Date.parse('2025-04-28T00:00:00Z') + i * WEEK_MS).toISOString());

describe('adversary: differencing sectorStats over two or more answers (k = 3)', () => {
  let api: TestApp;
  let hostile: TenantEntity;
  const crowd: TenantEntity[] = [];
  const abroad: TenantEntity[] = []; // three members in CA, so that they have a cell of their own
  let victim: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const subject = indicatorObject({ name: 'persona e-mail' }, '2025-01-01T00:00:00.000Z');
  const stats = async (from: string, to: string, interval: 'WEEK' | 'DAY' = 'WEEK', countries?: string[]) => {
    const res = await gql<{ sectorStats: Stats }>(api.baseUrl, STATS, { from, to, interval, countries }, as(hostile));
    expect(res.errors).toBeUndefined();
    return res.data!.sectorStats;
  };
  const sight = async (t: TenantEntity, firstSeen: string, interviewStage = 'INTERVIEW') => {
    const res = await gql(api.baseUrl, SIGHT, { i: { sightingOf: subject.id, firstSeen, interviewStage } }, as(t));
    expect(res.errors).toBeUndefined();
  };
  const top = (s: Stats) => s.topIdentities.find((i) => i.subjectId === subject.id);

  beforeAll(async () => {
    api = await startTestApp();
    expect(api.config.kAnonymity).toBe(3);
    hostile = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    for (let i = 0; i < 3; i++) crowd.push(await newTenant(api.app, { country: 'US', sectors: ['technology'] }));
    victim = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    for (let i = 0; i < 3; i++) abroad.push(await newTenant(api.app, { country: 'CA', sectors: ['technology'] }));
    for (const t of [hostile, victim, ...crowd, ...abroad]) key.set(t.id, await newApiKey(api.app, t));
    const pub = await gql(api.baseUrl, PUBLISH, { b: bundleOf(subject), s: { distribution: 'COMMUNITY', tlp: 'GREEN' } }, as(hostile));
    expect(pub.errors).toBeUndefined();
    // Week of 2025-05-05: three members. Week of 2025-05-12: the victim alone, twice.
    for (const t of crowd) await sight(t, '2025-05-06T10:00:00Z');
    await sight(victim, '2025-05-14T10:00:00Z', 'OFFER');
    await sight(victim, '2025-05-15T10:00:00Z', 'OFFER');
    // Week of 2025-05-26: two of the crowd and the victim (shown). Week of 2025-06-02: the crowd on
    // the Tuesday, the victim alone on the Wednesday.
    await sight(crowd[0], '2025-05-27T10:00:00Z');
    await sight(crowd[1], '2025-05-28T10:00:00Z', 'APPLICATION');
    await sight(victim, '2025-05-29T10:00:00Z');
    for (const t of crowd) await sight(t, '2025-06-03T10:00:00Z');
    await sight(victim, '2025-06-04T10:00:00Z', 'OFFER');
  }, 120_000);
  afterAll(() => api?.close());

  it('one window: the victim’s week is hidden, and the total is the sum of the weeks shown, so total − shown gives nothing', async () => {
    const wide = await stats('2025-05-01T00:00:00Z', '2025-05-20T00:00:00Z');
    expect(wide.series.find((b) => b.bucket === '2025-05-12')).toEqual({ bucket: '2025-05-12', sightings: null });
    const shown = wide.series.reduce((n, b) => n + (b.sightings ?? 0), 0);
    expect(wide.totalSightings).toBe(shown); // before: 5 beside two hidden weeks, 3 of them the crowd's
    expect(shown).toBe(3);
  });

  it('two windows: subtracting the answers gives back neither the count nor the member count the suppression hid', async () => {
    const narrow = await stats('2025-05-01T00:00:00Z', '2025-05-12T00:00:00Z'); // the crowd's week only
    const wide = await stats('2025-05-01T00:00:00Z', '2025-05-20T00:00:00Z'); // + the victim's week
    const [n, w] = [top(narrow), top(wide)];
    expect(n && w).toBeTruthy(); // the crowd's week alone may be shown, in both
    // Before: the victim-only week held 2 sightings, by 1 member not among the crowd.
    expect({
      sightings: wide.totalSightings! - narrow.totalSightings!,
      members: w!.reportingMembers - n!.reportingMembers,
      theirSightings: w!.sightings - n!.sightings,
    }).toEqual({ sightings: 0, members: 0, theirSightings: 0 });
  });

  it('a window that starts or ends within a week is answered for the whole week, so no slice of a week can be asked for', async () => {
    const whole = await stats('2025-05-05T00:00:00Z', '2025-05-19T00:00:00Z');
    // Before: a window ending on 2025-05-15 held one of the victim's two sightings, and its
    // difference to one ending a day later counted the other.
    expect(await stats('2025-05-07T13:00:00Z', '2025-05-15T00:00:00Z')).toEqual(whole);
    expect(await stats('2025-05-11T23:59:59Z', '2025-05-14T12:00:00Z')).toEqual(whole);
  });

  it('any pair of windows: every figure over a window is the sum of the figures of its single weeks', async () => {
    // What two windows differ by is then a sum of single weeks' figures, each shown or left out on
    // its own: no set of answers adds up to a hidden one.
    const single = await Promise.all(WEEKS.slice(0, -1).map((w, i) => stats(w, WEEKS[i + 1])));
    const sum = (answers: Stats[], figure: (s: Stats) => number | null | undefined) => {
      const shown = answers.map(figure).filter((v): v is number => typeof v === 'number');
      return shown.length ? shown.reduce((a, b) => a + b, 0) : null;
    };
    const row = (rows: Row[], k: string) => rows.find((r) => r.key === k)?.sightings;
    const seen: string[] = [];
    for (let a = 0; a < WEEKS.length - 1; a++)
      for (let b = a + 1; b < WEEKS.length; b++) {
        const window = await stats(WEEKS[a], WEEKS[b]);
        const parts = single.slice(a, b);
        const label = `${WEEKS[a].slice(0, 10)}..${WEEKS[b].slice(0, 10)}`;
        // (null: sightings, none of them shown; 0: none at all — the same nothing to add.)
        expect({ label, total: window.totalSightings ?? 0 }).toEqual({ label, total: sum(parts, (s) => s.totalSightings) ?? 0 });
        expect({ label, top: top(window)?.sightings ?? null }).toEqual({ label, top: sum(parts, (s) => top(s)?.sightings) });
        for (const k of ['US', 'CA'])
          expect({ label, k, area: row(window.byArea, k) ?? null }).toEqual({ label, k, area: sum(parts, (s) => row(s.byArea, k)) });
        for (const k of ['interview', 'offer', 'application'])
          expect({ label, k, stage: row(window.byStage, k) ?? null }).toEqual({ label, k, stage: sum(parts, (s) => row(s.byStage, k)) });
        seen.push(label);
      }
    expect(seen).toHaveLength(28);
  });

  it('days against the week around them: a day is hidden where the rest of its week would give it back', async () => {
    // Before: the crowd's Tuesday, asked for alone by day, said 3 and its week 4: the victim's Wednesday was 1.
    const tuesday = await stats('2025-06-03T00:00:00Z', '2025-06-04T00:00:00Z', 'DAY');
    const week = await stats('2025-06-02T00:00:00Z', '2025-06-09T00:00:00Z', 'WEEK');
    expect(week.series).toEqual([{ bucket: '2025-06-02', sightings: 4 }]);
    expect(tuesday.totalSightings).toBe(week.totalSightings);
    expect(tuesday.series).toEqual([
      { bucket: '2025-06-03', sightings: null },
      { bucket: '2025-06-04', sightings: null },
    ]);
  });

  it('country filters, and answers before and after a sighting: the member count never tells one more member apart', async () => {
    const [from, to] = ['2025-06-09T00:00:00Z', '2025-06-16T00:00:00Z'];
    for (const t of crowd) await sight(t, '2025-06-10T10:00:00Z');
    const before = await stats(from, to, 'WEEK', ['US', 'CA']);
    await sight(abroad[0], '2025-06-11T10:00:00Z');
    const usOnly = await stats(from, to, 'WEEK', ['US']);
    const after = await stats(from, to, 'WEEK', ['US', 'CA']);
    // Before: 3, 3 and 4 — a fourth member, in CA, not among the three in the US.
    expect([before, usOnly, after].map((s) => top(s)?.reportingMembers)).toEqual([3, 3, 3]);
    // The sightings themselves differ (3, 3, 4): one sighting in the CA cell on 2025-06-11, which
    // the feed shows the hostile member as it is (README "Not promised").
    expect([before, usOnly, after].map((s) => top(s)?.sightings)).toEqual([3, 3, 4]);
  });
});
