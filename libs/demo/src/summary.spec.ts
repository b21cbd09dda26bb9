import type { DemoData, DemoSighting, DemoTenant } from './demo.types';
import { generateDemo } from './generate-demo';
import { summarise, type DemoSummary } from './summary';

const TECH = new Set(['technology', 'artificial-intelligence']);
const sum = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

describe('summarise', () => {
  it('counts a hand-made data set exactly', () => {
    const tenant = (slug: string, country: string, sector: DemoTenant['sectors'][number]): DemoTenant => ({
      slug,
      name: slug,
      country,
      sectors: [sector],
      domains: [`${slug}.example`],
      users: [],
      defaultDistribution: 'SECTOR',
      defaultTlp: 'GREEN',
      attribution: 'ANONYMOUS',
      redactionTerms: [],
    });
    const sighting = (reporterTenant: string, identityKey: string, firstSeen: string, stage: DemoSighting['stage']): DemoSighting => ({
      reporterTenant,
      identityKey,
      observedIdentifier: { type: 'EMAIL', value: 'x@y.example' },
      firstSeen,
      lastSeen: firstSeen,
      count: 1,
      stage,
      roleCategory: 'software',
      hiringChannel: 'job-board',
      confidence: 60,
    });
    const identity = (key: string, ips: string[]) => ({
      key,
      personaName: key,
      nationalityClaimed: 'US',
      emails: ['x@y.example'],
      phones: [],
      githubHandles: [],
      linkedinHandles: [],
      telegramHandles: [],
      resumeSha256: [],
      ips,
      laptopFarmAddresses: [],
      wallets: [],
      firstActive: '2021-01-01',
      lastActive: '2025-06-30',
    });
    const data: DemoData = {
      seed: 0,
      scale: 1,
      tenants: [tenant('a', 'US', 'technology'), tenant('b', 'US', 'technology'), tenant('c', 'DE', 'healthcare')],
      sharingGroups: [],
      campaign: { threatActor: { name: 't', aliases: [], description: '' }, intrusionSet: { name: 'i', aliases: [], description: '' } },
      identities: [identity('p1', ['192.0.2.1', '192.0.2.2']), identity('p2', ['192.0.2.1'])],
      sightings: [
        sighting('a', 'p1', '2021-03-01T00:00:00.000Z', 'application'),
        sighting('a', 'p1', '2022-03-01T00:00:00.000Z', 'interview'),
        sighting('c', 'p2', '2022-04-01T00:00:00.000Z', 'application'),
      ],
    };
    const s = summarise(data);
    expect(s.totals).toEqual({
      tenants: 3,
      users: 0,
      sharingGroups: 0,
      identities: 2,
      sightings: 3,
      reporterPersonaPairs: 2,
      sharedIps: 1,
    });
    expect(s.tenantsPerSectorCountry).toEqual({ 'healthcare/DE': 1, 'technology/US': 2 });
    expect(s.smallCrowdCells).toEqual(['healthcare/DE', 'technology/US']);
    expect(summarise(data, 2).smallCrowdCells).toEqual(['healthcare/DE']);
    expect(s.sightingsPerYear).toEqual({ 2021: 1, 2022: 2 });
    expect(s.sightingsPerCountry).toEqual({ DE: 1, US: 2 });
    expect(s.sightingsPerStage).toEqual({ application: 2, interview: 1 });
    expect(Object.keys(s.tenantsPerCountry)).toEqual(['DE', 'US']);
  });

  it('refuses a sighting by an unknown tenant rather than miscounting it', () => {
    const data = generateDemo({ seed: 1, scale: 0.01 });
    data.sightings[0] = { ...data.sightings[0], reporterTenant: 'nobody' };
    expect(() => summarise(data)).toThrow(/nobody/);
  });
});

describe('distributions at seed 1, scale 1, anchored on a load day', () => {
  const ANCHOR = '2026-12-06';
  let data: DemoData;
  let summary: DemoSummary;
  beforeAll(() => {
    data = generateDemo({ seed: 1, scale: 1, anchor: ANCHOR });
    summary = summarise(data);
  });

  it('has the mission sizes', () => {
    expect(summary.totals.tenants).toBe(60);
    expect(summary.totals.identities).toBe(130);
    expect(summary.totals.sightings).toBe(6500);
    // ~5,000 hiring episodes, most of them at a member the persona had not applied to before.
    expect(summary.totals.reporterPersonaPairs).toBeGreaterThan(4000);
    expect(summary.totals.reporterPersonaPairs).toBeLessThanOrEqual(5000);
  });

  it('puts about 73 % of members and sightings in the US and the rest in the listed countries', () => {
    expect(summary.tenantsPerCountry.US / summary.totals.tenants).toBeGreaterThanOrEqual(0.65);
    expect(summary.tenantsPerCountry.US / summary.totals.tenants).toBeLessThanOrEqual(0.8);
    expect(summary.sightingsPerCountry.US / summary.totals.sightings).toBeGreaterThanOrEqual(0.65);
    expect(summary.sightingsPerCountry.US / summary.totals.sightings).toBeLessThanOrEqual(0.8);
    expect(Object.keys(summary.tenantsPerCountry).sort()).toEqual(['AU', 'CA', 'DE', 'FR', 'GB', 'IN', 'JP', 'KR', 'NL', 'PL', 'SG', 'US']);
  });

  it('splits members and sightings about half tech, half outside tech', () => {
    const techTenants = data.tenants.filter((t) => TECH.has(t.sectors[0])).length;
    expect(techTenants / data.tenants.length).toBeCloseTo(0.5, 1);
    const nonTech = Object.entries(summary.sightingsPerSector)
      .filter(([s]) => !TECH.has(s))
      .reduce((a, [, n]) => a + n, 0);
    expect(nonTech / summary.totals.sightings).toBeGreaterThanOrEqual(0.4);
    expect(nonTech / summary.totals.sightings).toBeLessThanOrEqual(0.6);
    for (const sector of [
      'financial-services',
      'insurance',
      'healthcare',
      'government-public-services',
      'manufacturing',
      'professional-services',
      'payroll-processing',
      'artificial-intelligence',
    ]) {
      expect(summary.sightingsPerSector[sector]).toBeGreaterThan(0);
    }
  });

  it('covers the 4½ years up to the anchor with volume growing over time', () => {
    // Counted by year before the anchor (the calendar years depend on the load day).
    const anchorMs = Date.parse(`${ANCHOR}T00:00:00.000Z`);
    const yearsBack = data.sightings.map((s) => Math.floor((anchorMs - Date.parse(s.firstSeen)) / (365.25 * 86_400_000)));
    const perYearBack = [0, 1, 2, 3, 4].map((n) => yearsBack.filter((y) => y === n).length);
    expect(Math.max(...yearsBack)).toBe(4); // the oldest half year
    expect(perYearBack[0]).toBeGreaterThan(perYearBack[1]);
    expect(perYearBack[1]).toBeGreaterThan(perYearBack[2]);
    expect(perYearBack[2]).toBeGreaterThan(perYearBack[3]);
    expect(perYearBack[3]).toBeGreaterThan(perYearBack[4]);
    expect(Object.keys(summary.sightingsPerYear)).toEqual(['2022', '2023', '2024', '2025', '2026']);
  });

  it('narrows like a hiring funnel', () => {
    const s = summary.sightingsPerStage;
    expect(s.application).toBeGreaterThan(s.interview);
    expect(s.interview).toBeGreaterThan(s.offer);
    expect(s.offer).toBeGreaterThan(s['detected-after-hire']);
    expect(s.hired).toBeGreaterThan(s['detected-after-hire']);
  });

  it('hires roles that fit the reporter sector', () => {
    const sectorOf = new Map(data.tenants.map((t) => [t.slug, t.sectors[0]]));
    const topRole = (sector: string): string => {
      const counts = new Map<string, number>();
      for (const s of data.sightings) {
        if (sectorOf.get(s.reporterTenant) === sector) counts.set(s.roleCategory, (counts.get(s.roleCategory) ?? 0) + 1);
      }
      return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    };
    expect(topRole('artificial-intelligence')).toBe('ai-ml');
    expect(topRole('payroll-processing')).toBe('payroll-accounting');
    expect(topRole('technology')).toBe('software');
  });

  it('counts every sector + country cell, and small countries need small-crowd protection', () => {
    for (const tenant of data.tenants) {
      expect(summary.tenantsPerSectorCountry[`${tenant.sectors[0]}/${tenant.country}`]).toBeGreaterThan(0);
    }
    expect(sum(summary.tenantsPerSectorCountry)).toBe(summary.totals.tenants);
    expect(sum(summary.sightingsPerSectorCountry)).toBe(summary.totals.sightings);
    for (const cell of Object.keys(summary.sightingsPerSectorCountry)) {
      expect(summary.tenantsPerSectorCountry[cell]).toBeGreaterThan(0);
    }
    const usCells = Object.entries(summary.tenantsPerSectorCountry).filter(([cell]) => cell.endsWith('/US'));
    expect(usCells.filter(([, n]) => n >= 3).length / usCells.length).toBeGreaterThanOrEqual(0.75);
    for (const [cell, n] of Object.entries(summary.tenantsPerSectorCountry)) {
      if (!cell.endsWith('/US')) {
        expect(n).toBeLessThanOrEqual(2);
        expect(summary.smallCrowdCells).toContain(cell);
      }
    }
    for (const [country, n] of Object.entries(summary.tenantsPerCountry)) {
      if (country !== 'US') expect(n).toBeLessThanOrEqual(3);
    }
  });

  it('keeps the summary itself deterministic', () => {
    expect(JSON.stringify(summarise(generateDemo({ seed: 1, scale: 1, anchor: ANCHOR })))).toBe(JSON.stringify(summary));
  });
});
