import { canonicalScope, canonicalScopes } from './scopes';

describe('canonicalScope: both spellings of a scope are one scope', () => {
  it.each([
    ['taxii:read', 'taxii:read'],
    ['TAXII_READ', 'taxii:read'],
    ['taxii_read', 'taxii:read'],
    [' Intel:Write ', 'intel:write'],
    ['SIGHTINGS_WRITE', 'sightings:write'],
    ['TENANT_ADMIN', 'tenant:admin'],
  ])('%s → %s', (input, scope) => expect(canonicalScope(input)).toBe(scope));

  it.each(['taxii', 'taxii:delete', 'TAXII-READ', '', 'intel_read_write'])('%j is no scope', (input) =>
    expect(canonicalScope(input)).toBeUndefined(),
  );

  it('drops duplicates across spellings and names the unknown ones', () => {
    expect(canonicalScopes(['TAXII_READ', 'taxii:read', 'intel:read', 'root'])).toEqual({
      scopes: ['taxii:read', 'intel:read'],
      unknown: ['root'],
    });
  });
});
