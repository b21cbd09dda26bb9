import { randomUUID } from 'node:crypto';
import { IntelService } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { machineViewer, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { SightingsService } from './sightings.service';
import { StatsService, type StatsQuery } from './stats.service';

/**
 * StatsService's small-count rule on real sightings (k = 3): a figure is shown only where none or
 * at least k members other than the viewer stand behind it — so the same rows give two tenants
 * different answers, and a breakdown hides a second figure when hiding one alone could be undone.
 */
describe('StatsService small-count suppression on the real database (libs/sightings)', () => {
  let ctx: ServiceContext;
  let stats: StatsService;
  let sightings: SightingsService;
  /** r[0..3] report sightings; viewer reports none; outsider is in another sector and sees none of them. */
  const r: TenantEntity[] = [];
  let viewer: TenantEntity;
  let outsider: TenantEntity;
  let subjectId: string;
  const q: StatsQuery = {
    sector: 'technology',
    countries: ['US'],
    from: new Date('2025-06-01T00:00:00Z'),
    to: new Date('2025-06-15T00:00:00Z'),
    interval: 'week',
  };

  const sight = (t: TenantEntity, roleCategory: 'software' | 'payroll-accounting') =>
    sightings.report(machineViewer(t), [{ sightingOf: subjectId, firstSeen: '2025-06-03T09:00:00.000Z', roleCategory }]);
  const view = async (t: TenantEntity) => {
    const s = await stats.sectorStats(machineViewer(t), q);
    return {
      total: s.totalSightings,
      series: s.series.map((b) => b.sightings),
      top: s.topIdentities.map((i) => [i.reportingMembers, i.sightings]),
      byRole: s.byRoleCategory,
    };
  };

  beforeAll(async () => {
    ctx = await startServiceContext();
    stats = ctx.app.get(StatsService);
    sightings = ctx.app.get(SightingsService);
    for (let i = 0; i < 4; i++) r.push(await newTenant(ctx.app, { country: 'US', sectors: ['technology'] }));
    viewer = await newTenant(ctx.app, { country: 'US', sectors: ['technology'] });
    outsider = await newTenant(ctx.app, { country: 'DE', sectors: ['healthcare'] });
    subjectId = `indicator--${randomUUID()}`;
    const doc = {
      type: 'indicator',
      spec_version: '2.1',
      id: subjectId,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: 'persona e-mail',
      pattern: "[email-addr:value = 'p@example.org']",
      pattern_type: 'stix',
      valid_from: '2025-01-01T00:00:00Z',
    };
    await ctx.app.get(IntelService).storeObjects(machineViewer(r[0]), [doc], { distribution: 'COMMUNITY', tlp: 'CLEAR' });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('two reporting members: suppressed for a third member and for each reporter alike', async () => {
    await sight(r[0], 'software');
    await sight(r[1], 'software');
    const hidden = { total: null, series: [null], top: [], byRole: [{ key: 'software', sightings: null }] };
    expect(await view(viewer)).toEqual(hidden);
    expect(await view(r[0])).toEqual(hidden);
  });

  it('three reporting members: shown to a member who is not one of them, still suppressed for a reporter (only two others)', async () => {
    await sight(r[2], 'software');
    expect(await view(viewer)).toEqual({ total: 3, series: [3], top: [[3, 3]], byRole: [{ key: 'software', sightings: 3 }] });
    expect(await view(r[0])).toEqual({ total: null, series: [null], top: [], byRole: [{ key: 'software', sightings: null }] });
  });

  it('a figure of one member is hidden, and so is the figure it could be worked out from', async () => {
    await sight(r[3], 'payroll-accounting');
    // 4 = 3 + 1: showing "software 3" beside the total would give away the one payroll sighting.
    // Four members reported it, but the answer says at least k: two answers could differ by one member.
    expect(await view(viewer)).toEqual({
      total: 4,
      series: [4],
      top: [[3, 4]],
      // Hidden rows in the order of their keys: ordered by their counts, they would tell which is larger.
      byRole: [
        { key: 'payroll-accounting', sightings: null },
        { key: 'software', sightings: null },
      ],
    });
    // The first reporter now has three others behind the totals.
    expect((await view(r[0])).total).toBe(4);
  });

  it('a member who may see none of the sightings gets nothing to suppress: empty figures, total 0', async () => {
    expect(await view(outsider)).toEqual({ total: 0, series: [], top: [], byRole: [] });
  });
});
