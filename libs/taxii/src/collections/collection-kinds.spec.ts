import { collectionDefinitions, collectionFilter, collectionSharing, isCurrent } from './collection-kinds';

const scope = { tenantId: 't', country: 'DE', sectors: ['healthcare', 'insurance'], groupIds: ['g1'] };

describe('TAXII collection kinds', () => {
  it('gives a tenant all, own, community, one per sector and one per group, in a stable order', () => {
    const defs = collectionDefinitions('Acme', ['insurance', 'healthcare'], [{ id: 'g1', slug: 'nordic', name: 'Nordic banks' }]);
    expect(defs.map((d) => `${d.kind}:${d.key}`)).toEqual([
      'all:',
      'own:',
      'community:',
      'sector:healthcare',
      'sector:insurance',
      'group:g1',
    ]);
    expect(defs.map((d) => d.alias)).toEqual(['all', 'own', 'community', 'sector-healthcare', 'sector-insurance', 'group-nordic']);
    expect(defs[5].title).toBe('Sharing group: Nordic banks');
  });

  it('maps each kind to the filter of GraphQL objects(filter) and to the sharing of a POST', () => {
    expect(collectionFilter({ kind: 'all', key: '' })).toEqual({});
    expect(collectionFilter({ kind: 'own', key: '' })).toEqual({ publishedByViewer: true });
    expect(collectionFilter({ kind: 'sector', key: 'healthcare' })).toEqual({ distributions: ['SECTOR'], sectors: ['healthcare'] });
    expect(collectionFilter({ kind: 'group', key: 'g1' })).toEqual({ distributions: ['SHARING_GROUP'], groupIds: ['g1'] });
    expect(collectionSharing({ kind: 'community', key: '' })).toEqual({ distribution: 'COMMUNITY' });
    expect(collectionSharing({ kind: 'sector', key: 'healthcare' })).toEqual({ distribution: 'SECTOR', sectors: ['healthcare'] });
    expect(collectionSharing({ kind: 'group', key: 'g1' })).toEqual({ distribution: 'SHARING_GROUP', groupId: 'g1' });
    expect(collectionSharing({ kind: 'own', key: '' })).toEqual({ distribution: 'ORGANISATION' });
    expect(collectionSharing({ kind: 'all', key: '' })).toEqual({});
  });

  it('drops sector and group collections the tenant no longer belongs to', () => {
    expect(isCurrent({ kind: 'sector', key: 'healthcare' }, scope)).toBe(true);
    expect(isCurrent({ kind: 'sector', key: 'energy' }, scope)).toBe(false);
    expect(isCurrent({ kind: 'group', key: 'g2' }, scope)).toBe(false);
    expect(isCurrent({ kind: 'community', key: '' }, scope)).toBe(true);
  });
});
