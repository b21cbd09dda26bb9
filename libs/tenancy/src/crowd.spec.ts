import { cellIdentityId, generalise, type CrowdMember } from './crowd';

const m = (country: string, ...sectors: string[]): CrowdMember => ({ country, sectors });

describe('generalise (small-crowd protection)', () => {
  const members = [
    m('US', 'healthcare'), m('US', 'healthcare'), m('US', 'healthcare'),
    m('DE', 'healthcare'), m('FR', 'healthcare'), m('GB', 'insurance'),
    m('DE', 'payroll-processing'), m('DE', 'financial-services'), m('NL', 'financial-services'),
    m('JP', 'technology'),
  ];

  it('keeps sector + country when at least k members share it', () => {
    expect(generalise('healthcare', 'US', members, 3)).toEqual({ sector: 'healthcare', area: 'US', members: 3 });
  });

  it('widens to the region when the country has fewer than k', () => {
    expect(generalise('healthcare', 'DE', members, 2)).toEqual({ sector: 'healthcare', area: 'europe', members: 2 });
  });

  it('then to the parent sector in the region', () => {
    // payroll in DE: 1; payroll in europe: 1; financial-services (incl. payroll, insurance) in europe: 4
    expect(generalise('payroll-processing', 'DE', members, 3)).toEqual({ sector: 'financial-services', area: 'europe', members: 4 });
  });

  it('then worldwide, and never returns a cell smaller than k while the community is large enough', () => {
    expect(generalise('technology', 'JP', members, 3)).toEqual({ sector: 'any-sector', area: 'global', members: 10 });
    for (const k of [1, 2, 3, 5]) {
      for (const x of members) expect(generalise(x.sectors[0], x.country, members, k).members).toBeGreaterThanOrEqual(k);
    }
  });

  it('gives every cell one stable identity id (UUIDv5 shape)', () => {
    const id = cellIdentityId({ sector: 'healthcare', area: 'europe' });
    expect(id).toMatch(/^identity--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(cellIdentityId({ sector: 'healthcare', area: 'europe' })).toBe(id);
    expect(cellIdentityId({ sector: 'healthcare', area: 'US' })).not.toBe(id);
  });
});
