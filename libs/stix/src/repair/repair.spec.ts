import { validateBundle } from '../validate';
import { batchesOf, lowerCaseIds, referenceOrder, repairBundle, RepairCode } from '.';

const T = '2025-04-01T10:00:00.000Z';
const IDENTITY = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';
const component = (extra: Record<string, unknown> = {}) => ({
  type: 'x-mitre-data-component',
  spec_version: '2.1',
  id: 'x-mitre-data-component--3d20385b-24ef-40e1-9f56-f39750379077',
  created: T,
  modified: T,
  created_by_ref: IDENTITY,
  name: 'Process Creation',
  x_mitre_domains: ['ics-attack'],
  ...extra,
});
const bundle = (objects: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'bundle',
  id: 'bundle--0b0a9a0e-4c2c-4d0b-8f1e-8a1c2f3e4d5a',
  ...extra,
  objects,
});

describe('repairBundle', () => {
  it('drops an empty-string optional reference, naming object, property and code, and leaves the input alone', () => {
    const input = bundle([component({ x_mitre_data_source_ref: '' })]);
    expect(validateBundle(input).map((i) => `${i.code} ${i.path}`)).toEqual(['INVALID_REFERENCE $.objects[0].x_mitre_data_source_ref']);
    const { bundle: out, repairs } = repairBundle(input);
    expect(repairs).toEqual([
      expect.objectContaining({
        index: 0,
        objectId: component().id,
        path: '$.objects[0].x_mitre_data_source_ref',
        code: RepairCode.EMPTY_OPTIONAL_PROPERTY,
      }),
    ]);
    expect(validateBundle(out)).toEqual([]);
    expect((input.objects[0] as Record<string, unknown>).x_mitre_data_source_ref).toBe('');
  });

  it('drops empty optional lists, also nested, but puts back a required one so the object is refused for it', () => {
    const set = {
      type: 'intrusion-set',
      spec_version: '2.1',
      id: 'intrusion-set--2a158b0a-7ef8-43cb-9985-bf34d1e12050',
      created: T,
      modified: T,
      name: 'X',
      aliases: [],
      external_references: [{ source_name: 'mitre-attack', external_id: 'G0001', hashes: {} }],
    };
    const report = {
      type: 'report',
      spec_version: '2.1',
      id: 'report--84e4d88f-44ea-4bcd-93e3-0c1b3a1a1a1a',
      created: T,
      modified: T,
      name: 'R',
      published: T,
      object_refs: [],
    };
    const { bundle: out, repairs } = repairBundle(bundle([set, report]));
    expect(repairs.map((r) => r.path)).toEqual(['$.objects[0].aliases', '$.objects[0].external_references[0].hashes']);
    const issues = validateBundle(out).map((i) => `${i.code} ${i.path}`);
    expect(issues).toEqual(['EMPTY_VALUE $.objects[1].object_refs']);
  });

  it('strips a 2.0 bundle spec_version, gives its objects spec_version 2.1, pads created/modified to milliseconds', () => {
    const old = { ...component(), spec_version: undefined, created: '2021-10-20T12:00:00Z', modified: '2022-01-05T08:30:00.5Z' };
    delete old.spec_version;
    const input = bundle([old], { spec_version: '2.0' });
    expect(
      validateBundle(input)
        .map((i) => i.code)
        .sort(),
    ).toEqual(['FORBIDDEN_PROPERTY', 'INVALID_TIMESTAMP', 'INVALID_TIMESTAMP', 'REQUIRED_PROPERTY']);
    const { bundle: out, repairs } = repairBundle(input);
    expect(repairs.map((r) => `${r.code} ${r.path}`)).toEqual([
      'BUNDLE_SPEC_VERSION $.spec_version',
      'OBJECT_SPEC_VERSION $.objects[0].spec_version',
      'TIMESTAMP_PRECISION $.objects[0].created',
      'TIMESTAMP_PRECISION $.objects[0].modified',
    ]);
    const o = (out as { objects: Array<Record<string, unknown>> }).objects[0];
    expect([o.created, o.modified]).toEqual(['2021-10-20T12:00:00.000Z', '2022-01-05T08:30:00.500Z']);
    expect(validateBundle(out)).toEqual([]);
  });

  it('gives a 2.0 indicator pattern_type "stix", and only in a 2.0 bundle', () => {
    const ind = {
      type: 'indicator',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: T,
      modified: T,
      pattern: "[ipv4-addr:value = '198.51.100.7']",
      valid_from: T,
    };
    const { bundle: out, repairs } = repairBundle(bundle([ind], { spec_version: '2.0' }));
    expect(repairs.map((r) => r.code)).toEqual(['BUNDLE_SPEC_VERSION', 'OBJECT_SPEC_VERSION', 'PATTERN_TYPE_STIX']);
    expect(validateBundle(out)).toEqual([]);
    const { repairs: none } = repairBundle(bundle([{ ...ind, spec_version: '2.1' }]));
    expect(none).toEqual([]);
  });

  it('does not touch what it cannot safely repair', () => {
    const broken = component({ modified: '2020-01-01T00:00:00.000Z', x_mitre_data_source_ref: 'not-an-id' });
    const { repairs, bundle: out } = repairBundle(bundle([broken]));
    expect(repairs).toEqual([]);
    expect(
      validateBundle(out)
        .map((i) => i.code)
        .sort(),
    ).toEqual(['INVALID_REFERENCE', 'MODIFIED_BEFORE_CREATED']);
  });

  it('repairs nothing in a valid bundle', () => {
    expect(repairBundle(bundle([component()])).repairs).toEqual([]);
  });
});

describe('lowerCaseIds', () => {
  it('rewrites ids, nested references and extension keys consistently, and not free text', () => {
    const UP = 'intrusion-set--2A158B0A-7EF8-43CB-9985-BF34D1E12050';
    const b = bundle([
      {
        type: 'intrusion-set',
        id: UP,
        description: `see ${UP}`,
        extensions: { 'extension-definition--D83FCE45-EF58-4C6C-A3F4-1FBC32E98C6E': { extension_type: 'property-extension' } },
      },
      {
        type: 'relationship',
        id: 'relationship--0E1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D',
        source_ref: UP,
        target_ref: IDENTITY,
        x_mitre_contents: [{ object_ref: UP }],
        object_marking_refs: [UP],
      },
    ]);
    const changes = lowerCaseIds(b);
    expect(changes.map((c) => c.path)).toEqual([
      '$.objects[0].id',
      "$.objects[0].extensions['extension-definition--D83FCE45-EF58-4C6C-A3F4-1FBC32E98C6E']",
      '$.objects[1].id',
      '$.objects[1].source_ref',
      '$.objects[1].x_mitre_contents[0].object_ref',
      '$.objects[1].object_marking_refs[0]',
    ]);
    const text = JSON.stringify(b);
    expect(text.match(/[0-9A-F]{8}-[0-9A-F]{4}/g)).toEqual(['2A158B0A-7EF8']); // only inside the description
    expect(Object.keys((b.objects[0] as { extensions: object }).extensions)).toEqual([
      'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e',
    ]);
  });
});

describe('batches', () => {
  it('places what is referenced before what references it, and cuts into batches of at most n', () => {
    const id = (n: number) => `x-thing--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const objects = [
      { id: id(0), x_contents: [{ object_ref: id(1) }, { object_ref: id(2) }] },
      { id: id(1), source_ref: id(2), target_ref: id(3) },
      { id: id(2) },
      { id: id(3), x_self_ref: id(3) },
    ];
    const order = referenceOrder(objects);
    expect(order).toEqual([2, 3, 1, 0]);
    expect(batchesOf(objects, 3)).toEqual([[2, 3, 1], [0]]);
    expect(batchesOf(objects, 10)).toEqual([[0, 1, 2, 3]]);
  });
});
