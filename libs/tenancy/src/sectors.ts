/**
 * Sectors a tenant can belong to and objects can be shared with: the STIX 2.1 industry-sector
 * open vocabulary plus the mission's own (payroll processing, AI, professional services).
 */
export const SECTORS = [
  'aerospace', 'aviation', 'agriculture', 'automotive', 'biotechnology', 'chemical', 'commercial',
  'consulting', 'construction', 'cosmetics', 'dams', 'defense', 'education', 'emergency-services',
  'energy', 'entertainment', 'financial-services', 'food', 'government', 'government-emergency-services',
  'government-local', 'government-national', 'government-public-services', 'government-regional',
  'healthcare', 'hospitality-leisure', 'infrastructure', 'infrastructure-dams', 'infrastructure-nuclear',
  'infrastructure-water', 'insurance', 'manufacturing', 'mining', 'non-profit', 'nuclear',
  'pharmaceuticals', 'retail', 'technology', 'telecommunications', 'transportation', 'utilities', 'water',
  // The mission's sectors, not in the STIX vocabulary.
  'artificial-intelligence', 'payroll-processing', 'professional-services',
] as const;

const SECTOR_SET: ReadonlySet<string> = new Set(SECTORS);

export function isSector(value: string): boolean {
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
