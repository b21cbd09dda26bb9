/**
 * Sectors a tenant can belong to and objects can be shared with: the STIX 2.1 industry-sector
 * open vocabulary plus the mission's own (payroll processing, AI, professional services). The one
 * list: validation, the CLI's `sectors` and every other list of sectors (the parents in crowd.ts,
 * the demo's) are checked against it, and the README's sector table is checked against it by
 * sectors.spec.ts.
 */
export const SECTORS = [
  'aerospace',
  'aviation',
  'agriculture',
  'automotive',
  'biotechnology',
  'chemical',
  'commercial',
  'consulting',
  'construction',
  'cosmetics',
  'dams',
  'defense',
  'education',
  'emergency-services',
  'energy',
  'entertainment',
  'financial-services',
  'food',
  'government',
  'government-emergency-services',
  'government-local',
  'government-national',
  'government-public-services',
  'government-regional',
  'healthcare',
  'hospitality-leisure',
  'infrastructure',
  'infrastructure-dams',
  'infrastructure-nuclear',
  'infrastructure-water',
  'insurance',
  'manufacturing',
  'mining',
  'non-profit',
  'nuclear',
  'pharmaceuticals',
  'retail',
  'technology',
  'telecommunications',
  'transportation',
  'utilities',
  'water',
  // The mission's sectors, not in the STIX vocabulary.
  'artificial-intelligence',
  'payroll-processing',
  'professional-services',
] as const;

export type Sector = (typeof SECTORS)[number];

const SECTOR_SET: ReadonlySet<string> = new Set(SECTORS);

export function isSector(value: string): value is Sector {
  return SECTOR_SET.has(value);
}

/** The error text for a sector that is not in the vocabulary: names it and lists every valid one. */
export function unknownSectorMessage(value: string): string {
  return `Unknown sector "${value}" (valid sectors: ${SECTORS.join(', ')})`;
}

/** ISO 3166-1 alpha-2 shape; the exchange accepts any assigned-looking code. */
export function isCountryCode(value: string): boolean {
  return /^[A-Z]{2}$/.test(value);
}
