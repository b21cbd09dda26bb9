import { createHash } from 'node:crypto';
import { SECTORS, isCountryCode, type Sector } from './sectors';

/**
 * Small-crowd protection (DESIGN.md "Anonymisation"): a member is only ever described by a
 * sector + area cell that at least k member tenants share, so no single member can be singled out.
 */

const REGIONS: Record<string, string> = {
  US: 'north-america',
  CA: 'north-america',
  MX: 'north-america',
  GB: 'europe',
  IE: 'europe',
  DE: 'europe',
  FR: 'europe',
  NL: 'europe',
  BE: 'europe',
  LU: 'europe',
  PL: 'europe',
  ES: 'europe',
  PT: 'europe',
  IT: 'europe',
  AT: 'europe',
  CH: 'europe',
  SE: 'europe',
  NO: 'europe',
  DK: 'europe',
  FI: 'europe',
  CZ: 'europe',
  RO: 'europe',
  EE: 'europe',
  LT: 'europe',
  LV: 'europe',
  UA: 'europe',
  IN: 'asia-pacific',
  SG: 'asia-pacific',
  AU: 'asia-pacific',
  NZ: 'asia-pacific',
  JP: 'asia-pacific',
  KR: 'asia-pacific',
  TW: 'asia-pacific',
  HK: 'asia-pacific',
  MY: 'asia-pacific',
  PH: 'asia-pacific',
  ID: 'asia-pacific',
  VN: 'asia-pacific',
  BR: 'latin-america',
  AR: 'latin-america',
  CL: 'latin-america',
  CO: 'latin-america',
  AE: 'middle-east-africa',
  IL: 'middle-east-africa',
  SA: 'middle-east-africa',
  ZA: 'middle-east-africa',
  NG: 'middle-east-africa',
  KE: 'middle-east-africa',
};

/** Where a sector is too small on its own, it is reported as its parent. */
const PARENT_SECTORS: Readonly<Partial<Record<Sector, Sector>>> = {
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
  return PARENT_SECTORS[sector as Sector] ?? sector;
}

/** A sector + area cell; area is a country code, a region name or "global". */
export interface CrowdCell {
  sector: string;
  area: string;
  /** How many member tenants report under exactly this cell (always ≥ k). */
  members: number;
}

/** A member tenant as the crowd sees it: only its primary sector counts. */
export interface CrowdMember {
  id: string;
  country: string;
  /** The member's primary sector (its first); a member with none is placed by area alone. */
  sector: string;
  /** When it joined (ISO text): the newest members of a big cell are the ones moved up to keep a lone member company. */
  joined?: string;
}

/** The cells to try, finest first: sector+country, sector+region, parent+region, sector, parent, anyone. */
export function ladder(sector: string, country: string): Array<{ sector: string; area: string }> {
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

const keyOf = (c: { sector: string; area: string }) => `${c.sector}\u0000${c.area}`;
const TOP = { sector: ANY_SECTOR, area: GLOBAL_AREA };
const TOP_KEY = keyOf(TOP);

/** How coarse a cell is: by area (country, region, world), then by sector (a sub-sector, a sector, any). */
function rankOf(key: string): [number, number] {
  const [sector, area] = key.split('\u0000');
  const areaLevel = area === GLOBAL_AREA ? 2 : isCountryCode(area) ? 0 : 1;
  const sectorLevel = sector === ANY_SECTOR ? 2 : parentSector(sector) === sector ? 1 : 0;
  return [areaLevel, sectorLevel];
}

function compareRank(a: string, b: string): number {
  const [ra, rb] = [rankOf(a), rankOf(b)];
  return ra[0] - rb[0] || ra[1] - rb[1] || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Places every member in exactly one cell that at least k members report under, or in none.
 *
 * Guarantees: each member's cell contains it (its primary sector, the parent of it or any sector;
 * its country, region or the world); a cell is only ever given to a member when at least k members
 * get exactly that cell — a member placed in a finer cell, or holding a sector only as a secondary
 * one, never counts towards a coarser cell; the answer depends only on the membership (not on
 * order). Only when the whole community has fewer than k members are they left out (null): then
 * none may report at all.
 *
 * Members climb their ladders; cells are decided finest first, each once: the members that have
 * climbed to a cell are placed there if they are at least k, else they climb one step further.
 * When what is left at the top is fewer than k, members of cells with more than k (the largest
 * first, its newest members first) — or, if they are too few, a whole cell — move up to "any sector, worldwide"
 * to make it k: a member may always be described more coarsely than it has to be. So while the
 * community has at least k members, every member is placed.
 */
export function assignCells(members: readonly CrowdMember[], k: number): Map<string, CrowdCell | null> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ladders = new Map(sorted.map((m) => [m.id, ladder(m.sector, m.country)]));
  const placedIn = new Map<string, string>();
  const cells = new Map<string, { sector: string; area: string; ids: string[] }>();
  const place = (key: string, cell: { sector: string; area: string }, ids: string[]) => {
    const entry = cells.get(key) ?? { sector: cell.sector, area: cell.area, ids: [] };
    entry.ids.push(...ids);
    cells.set(key, entry);
    for (const id of ids) placedIn.set(id, key);
  };
  // Cells are decided finest first (rankOf), each once, with every member whose ladder has got there:
  // ladders climb in strictly increasing rank, so no member can arrive at a cell after it was decided.
  const at = new Map<string, string[]>();
  const stepOf = new Map<string, number>();
  const arrive = (id: string, step: number) => {
    stepOf.set(id, step);
    const key = keyOf(ladders.get(id)![step]);
    const here = at.get(key);
    if (here) here.push(id);
    else at.set(key, [id]);
  };
  for (const x of sorted) arrive(x.id, 0);
  let atTop: string[] = [];
  while (at.size > 0) {
    const [key, ids] = [...at.entries()].reduce((a, b) => (compareRank(a[0], b[0]) <= 0 ? a : b));
    at.delete(key);
    if (key === TOP_KEY) atTop = ids;
    else if (ids.length >= k) place(key, ladders.get(ids[0])![stepOf.get(ids[0])!], ids);
    else for (const id of ids) arrive(id, stepOf.get(id)! + 1);
  }
  if (atTop.length >= k) place(TOP_KEY, TOP, atTop);
  else if (atTop.length > 0) {
    const joined = new Map(members.map((x) => [x.id, x.joined ?? '']));
    const newestFirst = (a: string, b: string) =>
      joined.get(b)! < joined.get(a)! ? -1 : joined.get(b)! > joined.get(a)! ? 1 : a < b ? 1 : -1;
    const borrowed = borrowForTop(atTop.length, cells, k, newestFirst);
    if (borrowed) {
      for (const id of borrowed) {
        const from = cells.get(placedIn.get(id)!)!;
        from.ids = from.ids.filter((x) => x !== id);
      }
      place(TOP_KEY, TOP, [...atTop, ...borrowed]);
    }
    // else: nobody can be described without singling someone out; those left stay unplaced.
  }

  const out = new Map<string, CrowdCell | null>();
  for (const m of members) {
    const key = placedIn.get(m.id);
    const cell = key === undefined ? undefined : cells.get(key);
    out.set(m.id, cell ? { sector: cell.sector, area: cell.area, members: cell.ids.length } : null);
  }
  return out;
}

/**
 * Fewer than k are left at the top: the members to move up to it — spare members of cells that
 * keep k without them, else every member of the smallest cell — or null when there is no other cell.
 */
function borrowForTop(
  waiting: number,
  cells: Map<string, { ids: string[] }>,
  k: number,
  newestFirst: (a: string, b: string) => number,
): string[] | null {
  const need = k - waiting;
  const byKey = ([ka]: [string, unknown], [kb]: [string, unknown]) => (ka < kb ? -1 : ka > kb ? 1 : 0);
  const others = [...cells.entries()].filter(([key]) => key !== TOP_KEY);
  const moved: string[] = [];
  for (const [, c] of others.filter(([, c]) => c.ids.length > k).sort((a, b) => b[1].ids.length - a[1].ids.length || byKey(a, b))) {
    const spare = [...c.ids].sort(newestFirst).slice(0, c.ids.length - k);
    moved.push(...spare.slice(0, need - moved.length));
    if (moved.length === need) return moved;
  }
  const smallest = others.sort((a, b) => a[1].ids.length - b[1].ids.length || byKey(a, b))[0];
  return smallest ? [...smallest[1].ids] : null;
}

const CELL_NAMESPACE = '8c1f6a52-3b7e-5d0a-9f4e-2a6b1c8d7e90';

/** The stable STIX identity id that stands for everyone in a cell (where_sighted_refs, lookups). */
export function cellIdentityId(cell: { sector: string; area: string }): string {
  const hash = createHash('sha1')
    .update(Buffer.from(CELL_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(`cairn-cell:${cell.sector}:${cell.area}`)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `identity--${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

let cellIds: ReadonlySet<string> | undefined;

/**
 * True when `id` is the identity of a crowd cell — of any cell a member can be placed in, now or
 * later: every sector (or any sector) with every two-letter country code, every region or the
 * world. These ids are the exchange's: a member computing one must not be able to publish under it.
 * The set (some 35,000 ids) is built on first use.
 */
export function isCellIdentityId(id: string): boolean {
  if (!cellIds) {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const countries = [...letters].flatMap((a) => [...letters].map((b) => a + b));
    const areas = [...countries, ...new Set(Object.values(REGIONS)), GLOBAL_AREA];
    const ids = new Set<string>();
    for (const sector of [...SECTORS, ANY_SECTOR]) for (const area of areas) ids.add(cellIdentityId({ sector, area }));
    cellIds = ids;
  }
  return cellIds.has(id);
}

/** Human label for a cell, e.g. "healthcare members in europe". */
export function cellLabel(cell: { sector: string; area: string }): string {
  const who = cell.sector === ANY_SECTOR ? 'Cairn members' : `${cell.sector} members`;
  return cell.area === GLOBAL_AREA ? `${who} worldwide` : `${who} in ${cell.area}`;
}
