/**
 * Counts over a demo data set, for tests and for the CLI to print after seeding.
 * Every record has sorted keys so printed summaries diff cleanly.
 */
import type { DemoData } from './demo.types';

export interface DemoSummary {
  totals: {
    tenants: number;
    users: number;
    sharingGroups: number;
    identities: number;
    sightings: number;
    /** Distinct (reporter tenant, persona) pairs among the sightings. */
    reporterPersonaPairs: number;
    /** IPs that belong to two or more personas (shared laptop-farm / VPN infrastructure). */
    sharedIps: number;
  };
  tenantsPerCountry: Record<string, number>;
  /** By primary sector (sectors[0]). */
  tenantsPerSector: Record<string, number>;
  /** Keyed `sector/country` by primary sector. */
  tenantsPerSectorCountry: Record<string, number>;
  /** Sector + country cells with fewer than k members, which small-crowd protection must coarsen. */
  smallCrowdCells: string[];
  sightingsPerCountry: Record<string, number>;
  sightingsPerSector: Record<string, number>;
  sightingsPerSectorCountry: Record<string, number>;
  sightingsPerYear: Record<string, number>;
  sightingsPerStage: Record<string, number>;
  sightingsPerRoleCategory: Record<string, number>;
  sightingsPerHiringChannel: Record<string, number>;
  sightingsPerIdentifierType: Record<string, number>;
}

function tally(keys: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const key of [...counts.keys()].sort()) out[key] = counts.get(key) ?? 0;
  return out;
}

/** Counts per country, sector, year, stage …; `k` is the small-crowd threshold (default 3, as in the design). */
export function summarise(data: DemoData, k = 3): DemoSummary {
  const tenantBySlug = new Map(data.tenants.map((t) => [t.slug, t]));
  const reporter = (slug: string) => {
    const tenant = tenantBySlug.get(slug);
    if (!tenant) throw new Error(`sighting names unknown tenant ${slug}`);
    return tenant;
  };
  const cell = (t: { sectors: string[]; country: string }) => `${t.sectors[0]}/${t.country}`;

  const ipOwners = new Map<string, number>();
  for (const identity of data.identities) for (const ip of identity.ips) ipOwners.set(ip, (ipOwners.get(ip) ?? 0) + 1);
  const tenantsPerSectorCountry = tally(data.tenants.map(cell));

  return {
    totals: {
      tenants: data.tenants.length,
      users: data.tenants.reduce((sum, t) => sum + t.users.length, 0),
      sharingGroups: data.sharingGroups.length,
      identities: data.identities.length,
      sightings: data.sightings.length,
      reporterPersonaPairs: new Set(data.sightings.map((s) => `${s.reporterTenant}|${s.identityKey}`)).size,
      sharedIps: [...ipOwners.values()].filter((n) => n >= 2).length,
    },
    tenantsPerCountry: tally(data.tenants.map((t) => t.country)),
    tenantsPerSector: tally(data.tenants.map((t) => t.sectors[0])),
    tenantsPerSectorCountry,
    smallCrowdCells: Object.keys(tenantsPerSectorCountry).filter((key) => tenantsPerSectorCountry[key] < k),
    sightingsPerCountry: tally(data.sightings.map((s) => reporter(s.reporterTenant).country)),
    sightingsPerSector: tally(data.sightings.map((s) => reporter(s.reporterTenant).sectors[0])),
    sightingsPerSectorCountry: tally(data.sightings.map((s) => cell(reporter(s.reporterTenant)))),
    sightingsPerYear: tally(data.sightings.map((s) => s.firstSeen.slice(0, 4))),
    sightingsPerStage: tally(data.sightings.map((s) => s.stage)),
    sightingsPerRoleCategory: tally(data.sightings.map((s) => s.roleCategory)),
    sightingsPerHiringChannel: tally(data.sightings.map((s) => s.hiringChannel)),
    sightingsPerIdentifierType: tally(data.sightings.map((s) => s.observedIdentifier.type)),
  };
}
