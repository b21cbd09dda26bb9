import { isSchemaProperty, isStructuralValue, structuralKindOf } from './value-kinds';

describe('structuralKindOf / isStructuralValue', () => {
  it.each([
    ['indicator', ['id'], 'identifier'],
    ['indicator', ['created'], 'timestamp'],
    ['indicator', ['valid_from'], 'timestamp'],
    ['campaign', ['first_seen'], 'timestamp'],
    ['sighting', ['where_sighted_refs'], 'identifier'],
    ['indicator', ['x_custom_ref'], 'identifier'],
    ['indicator', ['granular_markings', 'marking_ref'], 'identifier'],
    ['file', ['extensions', 'windows-pebinary-ext', 'time_date_stamp'], 'timestamp'],
    ['user-account', ['account_created'], 'timestamp'],
    ['x-custom-sdo', ['modified'], 'timestamp'],
    ['indicator', ['type'], 'type-name'],
  ] as const)('%s %j is a %s', (type, path, kind) => {
    expect(structuralKindOf(type, path)).toBe(kind);
  });

  it.each([
    ['indicator', ['description']],
    ['indicator', ['x_seen_at']],
    ['indicator', ['external_references', 'external_id']],
    ['file', ['extensions', 'extension-definition--00000000-0000-4000-8000-000000000001', 'x_time']],
  ])('%s %j is text', (type, path) => {
    expect(structuralKindOf(type, path)).toBeUndefined();
  });

  it('exempts a value only when it is what the schema says', () => {
    expect(isStructuralValue('indicator', ['valid_from'], '2025-06-02T09:00:00Z')).toBe(true);
    expect(isStructuralValue('indicator', ['valid_from'], '2025-06-02T09:00:00Z Acme')).toBe(false);
    expect(isStructuralValue('note', ['object_refs'], 'indicator--00000000-0000-4000-8000-000000000001')).toBe(true);
    expect(isStructuralValue('note', ['object_refs'], 'jane@example.com')).toBe(false);
    expect(isStructuralValue('note', ['content'], '2025-06-02T09:00:00Z')).toBe(false);
  });
});

describe('isSchemaProperty', () => {
  it('names the properties the schema defines at their place, and nothing a member made up', () => {
    expect(isSchemaProperty('relationship', ['target_ref'])).toBe(true);
    expect(isSchemaProperty('indicator', ['pattern'])).toBe(true);
    expect(isSchemaProperty('indicator', ['external_references', 'source_name'])).toBe(true);
    expect(isSchemaProperty('file', ['extensions', 'archive-ext'])).toBe(true);
    expect(isSchemaProperty('file', ['extensions', 'archive-ext', 'comment'])).toBe(true);
    expect(isSchemaProperty('x-thing', ['spec_version'])).toBe(true);
    expect(isSchemaProperty('indicator', ['x_target_score'])).toBe(false);
    expect(isSchemaProperty('file', ['hashes', 'target'])).toBe(false);
    expect(isSchemaProperty('indicator', ['target_ref'])).toBe(false);
  });
});
