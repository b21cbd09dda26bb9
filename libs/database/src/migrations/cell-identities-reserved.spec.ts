import { ANY_SECTOR, SECTORS, cellIdentityId, isCellIdentityId } from '@cairn/tenancy';
import { CELL_SECTORS, cellIdentityIdOf, cellIdentityIds } from './1766001100000-cell-identities-reserved';

// The migration writes its rules out (it runs outside the module aliases); these keep them equal to the code's.
describe('migration CellIdentitiesReserved1766001100000 (pure part)', () => {
  it('computes cell identity ids as crowd.ts does, over sectors the code knows', () => {
    expect([...SECTORS, ANY_SECTOR]).toEqual(expect.arrayContaining(CELL_SECTORS));
    for (const [sector, area] of [
      ['healthcare', 'DE'],
      ['financial-services', 'europe'],
      [ANY_SECTOR, 'global'],
    ])
      expect(cellIdentityIdOf(sector, area)).toBe(cellIdentityId({ sector, area }));
  });

  it('deletes under cell identity ids only', () => {
    const ids = cellIdentityIds();
    expect(ids.size).toBe(CELL_SECTORS.length * (26 * 26 + 6));
    for (const id of ids) expect(isCellIdentityId(id)).toBe(true);
  });
});
