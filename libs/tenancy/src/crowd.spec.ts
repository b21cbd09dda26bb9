import {
  ANY_SECTOR,
  GLOBAL_AREA,
  assignCells,
  cellIdentityId,
  isCellIdentityId,
  ladder,
  parentSector,
  regionOf,
  type CrowdMember,
} from './crowd';
import { SECTORS } from './sectors';

let n = 0;
const m = (country: string, sector: string): CrowdMember => ({ id: `t${String(++n).padStart(3, '0')}`, country, sector });

/** The cell each member got, as "sector/area", or null. */
function cellsOf(members: CrowdMember[], k: number): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [id, c] of assignCells(members, k)) out[id] = c ? `${c.sector}/${c.area}` : null;
  return out;
}

/** Independent of assignCells: a cell holds a member when it names its sector, parent or any, and its country, region or the world. */
function holds(cell: { sector: string; area: string }, x: CrowdMember): boolean {
  const sectorOk = cell.sector === x.sector || cell.sector === parentSector(x.sector) || cell.sector === ANY_SECTOR;
  const areaOk = cell.area === x.country || cell.area === regionOf(x.country) || cell.area === GLOBAL_AREA;
  return sectorOk && areaOk;
}

describe('assignCells (small-crowd protection)', () => {
  it('keeps sector + country when at least k members report under it', () => {
    const us = [m('US', 'healthcare'), m('US', 'healthcare'), m('US', 'healthcare')];
    const cells = cellsOf(us, 3);
    for (const x of us) expect(cells[x.id]).toBe('healthcare/US');
  });

  it('does not count a member towards a coarser cell when its finer cell already reached k', () => {
    // Four healthcare members in DE fill their own cell; the one in FR must not be "healthcare in europe, 5 members".
    const de = [m('DE', 'healthcare'), m('DE', 'healthcare'), m('DE', 'healthcare'), m('DE', 'healthcare')];
    const fr = m('FR', 'healthcare');
    const cells = assignCells([...de, fr], 3);
    expect(cells.get(fr.id)).not.toMatchObject({ area: 'europe' });
    // FR is alone below the top: one spare DE member moves up with two… no — two are needed, one is spare, so the whole cell goes.
    expect(cells.get(fr.id)).toEqual({ sector: ANY_SECTOR, area: GLOBAL_AREA, members: 5 });
    for (const x of de) expect(cells.get(x.id)).toEqual({ sector: ANY_SECTOR, area: GLOBAL_AREA, members: 5 });
  });

  it('moves spare members of a big cell up to keep a lone member company', () => {
    const us = Array.from({ length: 6 }, () => m('US', 'technology'));
    const jp = m('JP', 'healthcare');
    const cells = assignCells([...us, jp], 3);
    expect(cells.get(jp.id)).toEqual({ sector: ANY_SECTOR, area: GLOBAL_AREA, members: 3 });
    const stayed = us.filter((x) => cells.get(x.id)!.area === 'US');
    expect(stayed).toHaveLength(4);
    for (const x of stayed) expect(cells.get(x.id)!.members).toBe(4);
  });

  it('counts only primary sectors: a second sector does not make a cell look bigger', () => {
    const ins = m('GB', 'insurance');
    const others = [m('GB', 'technology'), m('GB', 'technology'), m('GB', 'technology')];
    // Before, a member holding insurance as a second sector counted for "insurance, GB".
    const cells = cellsOf([ins, ...others], 3);
    expect(cells[ins.id]).not.toMatch(/^insurance\/GB$/);
    expect(cells[ins.id]).not.toMatch(/^financial-services/);
  });

  it('widens to the region, then to the parent sector in the region', () => {
    const payroll = [m('DE', 'payroll-processing'), m('FR', 'insurance'), m('NL', 'financial-services')];
    const cells = cellsOf(payroll, 3);
    for (const x of payroll) expect(cells[x.id]).toBe('financial-services/europe');
  });

  it('leaves members out only while the whole community has fewer than k', () => {
    const two = [m('US', 'healthcare'), m('JP', 'technology')];
    expect(Object.values(cellsOf(two, 3))).toEqual([null, null]);
    expect(Object.values(cellsOf(two, 2))).toEqual(['any-sector/global', 'any-sector/global']);
  });

  it('depends on the membership only, not on its order', () => {
    const list = [
      m('US', 'healthcare'),
      m('US', 'healthcare'),
      m('DE', 'healthcare'),
      m('FR', 'insurance'),
      m('JP', 'technology'),
      m('US', 'healthcare'),
    ];
    expect(cellsOf([...list].reverse(), 3)).toEqual(cellsOf(list, 3));
  });

  it('random memberships: every cell given out holds its members and exactly that many report under it, each ≥ k', () => {
    let seed = 12345;
    const rnd = (max: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % max;
    const countries = ['US', 'CA', 'DE', 'FR', 'GB', 'JP', 'SG', 'BR', 'ZA', 'XX'];
    const sectors = [
      'healthcare',
      'pharmaceuticals',
      'insurance',
      'payroll-processing',
      'financial-services',
      'technology',
      'artificial-intelligence',
      'government-local',
      'retail',
      'energy',
    ];
    for (let round = 0; round < 400; round++) {
      const k = 1 + rnd(5);
      const members = Array.from({ length: rnd(30) }, () => m(countries[rnd(countries.length)], sectors[rnd(sectors.length)]));
      const cells = assignCells(members, k);
      const byCell = new Map<string, CrowdMember[]>();
      for (const x of members) {
        const c = cells.get(x.id);
        if (members.length < k) {
          expect(c).toBeNull();
          continue;
        }
        expect(c).not.toBeNull();
        expect(holds(c!, x)).toBe(true);
        const key = `${c!.sector}/${c!.area}`;
        byCell.set(key, [...(byCell.get(key) ?? []), x]);
      }
      for (const [key, group] of byCell) {
        expect(group.length).toBeGreaterThanOrEqual(k);
        for (const x of group) expect(cells.get(x.id)!.members).toBe(group.length);
        expect(key).toBeTruthy();
      }
    }
  });

  it('gives every cell one stable identity id (UUIDv5 shape)', () => {
    const id = cellIdentityId({ sector: 'healthcare', area: 'europe' });
    expect(id).toMatch(/^identity--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(cellIdentityId({ sector: 'healthcare', area: 'europe' })).toBe(id);
    expect(cellIdentityId({ sector: 'healthcare', area: 'US' })).not.toBe(id);
  });

  it('knows the identity of every cell a member can be placed in as a cell identity, and no other id', () => {
    for (const sector of [...SECTORS, ANY_SECTOR])
      for (const country of ['DE', 'US', 'SG', 'BR', 'ZA', 'XK', 'ZZ'])
        for (const cell of ladder(sector, country)) expect(isCellIdentityId(cellIdentityId(cell))).toBe(true);
    expect(isCellIdentityId('identity--6b0c2c1e-8d5e-4c6e-9a51-8f3d2f5b0a11')).toBe(false);
    expect(isCellIdentityId(cellIdentityId({ sector: 'not-a-sector', area: 'DE' }))).toBe(false);
    expect(isCellIdentityId(cellIdentityId({ sector: 'healthcare', area: 'atlantis' }))).toBe(false);
  });
});
