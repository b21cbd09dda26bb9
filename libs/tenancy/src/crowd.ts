import { createHash } from 'node:crypto';

/**
 * Small-crowd protection (DESIGN.md "Anonymisation"): a member is only ever described by a
 * sector + area cell that at least k member tenants share, so no single member can be singled out.
 */

const REGIONS: Record<string, string> = {
  US: 'north-america', CA: 'north-america', MX: 'north-america',
  GB: 'europe', IE: 'europe', DE: 'europe', FR: 'europe', NL: 'europe', BE: 'europe', LU: 'europe', PL: 'europe', ES: 'europe',
  PT: 'europe', IT: 'europe', AT: 'europe', CH: 'europe', SE: 'europe', NO: 'europe', DK: 'europe', FI: 'europe', CZ: 'europe',
  RO: 'europe', EE: 'europe', LT: 'europe', LV: 'europe', UA: 'europe',
  IN: 'asia-pacific', SG: 'asia-pacific', AU: 'asia-pacific', NZ: 'asia-pacific', JP: 'asia-pacific', KR: 'asia-pacific',
  TW: 'asia-pacific', HK: 'asia-pacific', MY: 'asia-pacific', PH: 'asia-pacific', ID: 'asia-pacific', VN: 'asia-pacific',
  BR: 'latin-america', AR: 'latin-america', CL: 'latin-america', CO: 'latin-america',
  AE: 'middle-east-africa', IL: 'middle-east-africa', SA: 'middle-east-africa', ZA: 'middle-east-africa', NG: 'middle-east-africa', KE: 'middle-east-africa',
};

/** Where a sector is too small on its own, it is reported as its parent. */
const PARENT_SECTORS: Record<string, string> = {
  'payroll-processing': 'financial-services',
  insurance: 'financial-services',
  'artificial-intelligence': 'technology',
  telecommunications: 'technology',
  'government-public-services': 'government',
  'government-national': 'government',
  'government-regional': 'government',
  'government-local': 'government',
  'government-emergency-services': 'government',
  'professional-services': 'commercial',
  consulting: 'commercial',
  retail: 'commercial',
  pharmaceuticals: 'healthcare',
  biotechnology: 'healthcare',
};

export const GLOBAL_AREA = 'global';
export const ANY_SECTOR = 'any-sector';

export function regionOf(country: string): string {
  return REGIONS[country] ?? GLOBAL_AREA;
}

export function parentSector(sector: string): string {
  return PARENT_SECTORS[sector] ?? sector;
}

/** A sector + area cell; area is a country code, a region name or "global". */
export interface CrowdCell {
  sector: string;
  area: string;
  /** How many member tenants the cell covers (≥ k unless nothing reaches k). */
  members: number;
}

export interface CrowdMember {
  country: string;
  sectors: readonly string[];
}

/** The cells to try, finest first: sector+country, sector+region, parent+region, sector, parent, anyone. */
function ladder(sector: string, country: string): Array<{ sector: string; area: string }> {
  const parent = parentSector(sector);
  const region = regionOf(country);
  const steps = [
    { sector, area: country },
    { sector, area: region },
    { sector: parent, area: region },
    { sector, area: GLOBAL_AREA },
    { sector: parent, area: GLOBAL_AREA },
    { sector: ANY_SECTOR, area: GLOBAL_AREA },
  ];
  return steps.filter((s, i) => steps.findIndex((o) => o.sector === s.sector && o.area === s.area) === i);
}

function inCell(m: CrowdMember, cell: { sector: string; area: string }): boolean {
  const areaOk = cell.area === GLOBAL_AREA || cell.area === m.country || cell.area === regionOf(m.country);
  const sectorOk = cell.sector === ANY_SECTOR || m.sectors.some((s) => s === cell.sector || parentSector(s) === cell.sector);
  return areaOk && sectorOk;
}

/**
 * The finest cell containing (sector, country) that at least k of `members` share.
 * Guarantees: the answer never has fewer than k members unless the whole community has fewer.
 */
export function generalise(sector: string, country: string, members: readonly CrowdMember[], k: number): CrowdCell {
  let last: CrowdCell = { sector: ANY_SECTOR, area: GLOBAL_AREA, members: members.length };
  for (const step of ladder(sector, country)) {
    const count = members.filter((m) => inCell(m, step)).length;
    last = { ...step, members: count };
    if (count >= k) return last;
  }
  return last;
}

const CELL_NAMESPACE = '8c1f6a52-3b7e-5d0a-9f4e-2a6b1c8d7e90';

/** The stable STIX identity id that stands for everyone in a cell (where_sighted_refs, lookups). */
export function cellIdentityId(cell: { sector: string; area: string }): string {
  const hash = createHash('sha1').update(Buffer.from(CELL_NAMESPACE.replace(/-/g, ''), 'hex')).update(`cairn-cell:${cell.sector}:${cell.area}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `identity--${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Human label for a cell, e.g. "healthcare members in europe". */
export function cellLabel(cell: { sector: string; area: string }): string {
  const who = cell.sector === ANY_SECTOR ? 'Cairn members' : `${cell.sector} members`;
  return cell.area === GLOBAL_AREA ? `${who} worldwide` : `${who} in ${cell.area}`;
}
