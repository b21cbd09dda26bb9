import { dprkBundle } from '../../../../test/fixtures/stix-bundles';
import { tlpMarkingRef } from '../tlp';
import { validate, validateBundle } from './object';

type Obj = Record<string, any>;
type Bundle = ReturnType<typeof dprkBundle>;

const fresh = (): Bundle => structuredClone(dprkBundle(2));
const ofType =
  (type: string, nth = 0) =>
  (b: Bundle): number => {
    const found = b.objects.map((o, i) => [o, i] as const).filter(([o]) => o.type === type);
    if (!found[nth]) throw new Error(`fixture lacks ${type} #${nth}`);
    return found[nth][1];
  };

describe('validateBundle: DPRK IT-worker bundle round trip', () => {
  it('accepts the realistic bundle as built and after a JSON round trip', () => {
    const b = dprkBundle(3);
    expect(b.objects.length).toBeGreaterThan(60);
    expect(new Set(b.objects.map((o) => o.type))).toEqual(
      new Set([
        'marking-definition',
        'extension-definition',
        'identity',
        'location',
        'threat-actor',
        'intrusion-set',
        'campaign',
        'relationship',
        'persona',
        'email-addr',
        'phone-number',
        'ipv4-addr',
        'user-account',
        'file',
        'cryptocurrency-wallet',
        'indicator',
        'observed-data',
        'sighting',
        'report',
      ]),
    );
    expect(validateBundle(b, { requireDeterministicScoIds: true })).toEqual([]);
    expect(validateBundle(JSON.parse(JSON.stringify(b)))).toEqual([]);
    expect(validate(b)).toEqual([]);
  });

  // Each mutation breaks one rule; the validator must report exactly that code at that path, naming the object.
  const cases: Array<[string, (b: Bundle) => number | undefined, (o: Obj) => void, string, string]> = [
    ['created removed', ofType('threat-actor'), (o) => delete o.created, 'REQUIRED_PROPERTY', 'created'],
    [
      'modified before created',
      ofType('campaign'),
      (o) => (o.modified = '2025-06-01T00:00:00.000Z'),
      'MODIFIED_BEFORE_CREATED',
      'modified',
    ],
    ['created without Z', ofType('indicator'), (o) => (o.created = '2025-06-02T09:00:00.000'), 'INVALID_TIMESTAMP', 'created'],
    ['created to the second', ofType('report'), (o) => (o.created = '2025-06-02T09:00:00Z'), 'INVALID_TIMESTAMP', 'created'],
    ['spec_version 2.0', ofType('intrusion-set'), (o) => (o.spec_version = '2.0'), 'INVALID_SPEC_VERSION', 'spec_version'],
    ['upper-case id type', ofType('identity', 1), (o) => (o.id = o.id.replace('identity--', 'IDENTITY--')), 'INVALID_ID', 'id'],
    ['id of another type', ofType('indicator', 2), (o) => (o.id = o.id.replace('indicator--', 'malware--')), 'TYPE_MISMATCH', 'id'],
    [
      'created_by_ref to a threat actor',
      ofType('indicator'),
      (o) => (o.created_by_ref = o.id.replace('indicator', 'threat-actor')),
      'INVALID_REFERENCE',
      'created_by_ref',
    ],
    [
      'marking ref to an identity',
      ofType('indicator'),
      (o) => (o.object_marking_refs = [o.created_by_ref]),
      'INVALID_REFERENCE',
      'object_marking_refs[0]',
    ],
    [
      'sighted where an indicator is',
      ofType('sighting'),
      (o) => (o.where_sighted_refs[1] = o.sighting_of_ref),
      'INVALID_REFERENCE',
      'where_sighted_refs[1]',
    ],
    ['sighting count too high', ofType('sighting'), (o) => (o.count = 1_000_000_000), 'OUT_OF_RANGE', 'count'],
    ['sighting last_seen first', ofType('sighting'), (o) => (o.last_seen = '2025-01-01T00:00:00Z'), 'INVALID_TIME_ORDER', 'last_seen'],
    ['indicator expires when valid', ofType('indicator', 1), (o) => (o.valid_until = o.valid_from), 'INVALID_TIME_ORDER', 'valid_until'],
    ['broken pattern', ofType('indicator', 3), (o) => (o.pattern = o.pattern.replace(/\]$/, '')), 'INVALID_PATTERN', 'pattern'],
    ['confidence 101', ofType('indicator'), (o) => (o.confidence = 101), 'OUT_OF_RANGE', 'confidence'],
    ['observable with created', ofType('email-addr'), (o) => (o.created = '2025-06-02T09:00:00.000Z'), 'FORBIDDEN_PROPERTY', 'created'],
    ['bad custom property', ofType('threat-actor'), (o) => (o['X-Source'] = 'a'), 'INVALID_PROPERTY_NAME', "['X-Source']"],
    ['short MD5', ofType('file'), (o) => (o.hashes.MD5 = o.hashes.MD5.slice(1)), 'INVALID_HASH', 'hashes.MD5'],
    ['unknown extension key', ofType('persona'), (o) => (o.extensions = { 'my-ext': {} }), 'INVALID_EXTENSION', "extensions['my-ext']"],
    [
      'selector that resolves nowhere',
      ofType('report'),
      (o) => (o.granular_markings[0].selectors[1] = 'object_refs.[7]'),
      'INVALID_SELECTOR',
      'granular_markings[0].selectors[1]',
    ],
    ['marking with lang and ref', ofType('report'), (o) => (o.granular_markings[0].lang = 'en'), 'INVALID_MARKING', 'granular_markings[0]'],
    [
      'external reference without source',
      ofType('threat-actor'),
      (o) => delete o.external_references[0].source_name,
      'REQUIRED_PROPERTY',
      'external_references[0].source_name',
    ],
    [
      'kill chain phase without phase',
      ofType('indicator'),
      (o) => delete o.kill_chain_phases[0].phase_name,
      'REQUIRED_PROPERTY',
      'kill_chain_phases[0].phase_name',
    ],
    ['bad type name', ofType('campaign'), (o) => (o.type = 'Campaign'), 'INVALID_TYPE', 'type'],
    ['empty labels', ofType('threat-actor'), (o) => (o.labels = []), 'EMPTY_VALUE', 'labels'],
    [
      'relationship type with spaces',
      ofType('relationship'),
      (o) => (o.relationship_type = 'attributed to'),
      'INVALID_VALUE',
      'relationship_type',
    ],
    [
      'relationship from a marking',
      ofType('relationship'),
      (o) => (o.source_ref = tlpMarkingRef('AMBER')),
      'INVALID_REFERENCE',
      'source_ref',
    ],
    [
      'TLP id redefined',
      ofType('marking-definition'),
      (o) => (o.extensions = structuredClone(o.extensions)) && (Object.values(o.extensions as Obj)[0].tlp_2_0 = 'clear'),
      'INVALID_MARKING',
      '',
    ],
    ['ipv4 with leading zero', ofType('ipv4-addr'), (o) => (o.value = '198.051.100.1'), 'INVALID_VALUE', 'value'],
  ];

  it.each(cases)('%s', (_name, pick, mutate, code, prop) => {
    const b = fresh();
    const i = pick(b)!;
    const target = b.objects[i] as Obj;
    mutate(target);
    const path = `$.objects[${i}]${prop === '' ? '' : prop.startsWith('[') ? prop : `.${prop}`}`;
    const issues = validateBundle(b);
    expect(issues.map((x) => [x.code, x.path])).toEqual([[code, path]]);
    expect(issues[0].objectId).toBe(typeof target.id === 'string' ? target.id : null);
  });

  it('reports problems in many objects at once, in order', () => {
    const b = fresh();
    const a = ofType('indicator')(b);
    const c = ofType('sighting')(b);
    (b.objects[a] as Obj).confidence = -1;
    (b.objects[c] as Obj).count = -1;
    delete (b.objects[c] as Obj).sighting_of_ref;
    expect(validateBundle(b).map((x) => [x.code, x.path])).toEqual([
      ['OUT_OF_RANGE', `$.objects[${a}].confidence`],
      ['OUT_OF_RANGE', `$.objects[${c}].count`],
      ['REQUIRED_PROPERTY', `$.objects[${c}].sighting_of_ref`],
    ]);
  });

  it('checks the bundle envelope', () => {
    const b = fresh() as Obj;
    b.spec_version = '2.1';
    b.id = b.id.replace('bundle--', 'report--');
    expect(validateBundle(b).map((x) => [x.code, x.path])).toEqual([
      ['INVALID_ID', '$.id'],
      ['FORBIDDEN_PROPERTY', '$.spec_version'],
    ]);
    expect(validateBundle({ ...fresh(), objects: [] }).map((x) => x.code)).toEqual(['EMPTY_VALUE']);
    expect(validateBundle({ ...fresh(), objects: {} }).map((x) => x.code)).toEqual(['WRONG_TYPE']);
    expect(validateBundle({ ...fresh(), type: 'report' }).map((x) => [x.code, x.path])).toEqual([['INVALID_TYPE', '$.type']]);
    const nested = fresh();
    nested.objects.push(fresh() as never);
    expect(validateBundle(nested).map((x) => [x.code, x.path])).toEqual([['INVALID_TYPE', `$.objects[${nested.objects.length - 1}].type`]]);
    const withNull = fresh();
    (withNull.objects as unknown[]).splice(4, 0, null, 'x', [1]);
    expect(validateBundle(withNull).map((x) => [x.code, x.path])).toEqual([4, 5, 6].map((i) => ['WRONG_TYPE', `$.objects[${i}]`]));
  });
});

describe('validate: hostile input', () => {
  const junk: unknown[] = [
    null,
    undefined,
    0,
    -1,
    1e308,
    NaN,
    '',
    'x',
    true,
    [],
    [null],
    {},
    { type: null },
    { type: 'bundle' },
    { type: 'bundle', objects: [[], {}] },
  ];

  it('never throws on any JSON value, at the top or in any property', () => {
    for (const value of junk) {
      expect(() => validate(value)).not.toThrow();
      expect(() => validateBundle(value)).not.toThrow();
    }
    const base = dprkBundle(1).objects;
    for (const obj of base) {
      for (const key of Object.keys(obj)) {
        for (const value of junk) {
          const mutated: Obj = { ...obj, [key]: value };
          expect(() => validate(mutated)).not.toThrow();
          if (value !== undefined && key !== 'type') expect(Array.isArray(validate(mutated))).toBe(true);
        }
      }
    }
  });

  it('is not fooled by __proto__ keys and does not pollute prototypes', () => {
    const parsed = JSON.parse(
      '{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2025-01-01T00:00:00.000Z",' +
        '"modified":"2025-01-01T00:00:00.000Z","name":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},' +
        '"hashes":{"__proto__":"x"},"granular_markings":[{"lang":"en","selectors":["__proto__","constructor.prototype"]}]}',
    );
    // JSON.parse makes __proto__ an own data property: it is reported by name, and selectors that name own keys resolve.
    expect(validate(parsed).map((x) => [x.code, x.path])).toEqual([['INVALID_PROPERTY_NAME', '$.__proto__']]);
    expect(({} as Obj).polluted).toBeUndefined();
    // Names that exist on Object.prototype are plain custom properties, not schema entries or required-property hits.
    expect(
      validate({ type: 'email-addr', id: 'email-addr--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', value: 'a@b.example', constructor: 1 }),
    ).toEqual([]);
    expect(
      validate({ type: 'mutex', id: 'mutex--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', constructor: 'x' }).map((x) => [x.code, x.path]),
    ).toEqual([['REQUIRED_PROPERTY', '$.name']]);
  });

  it('survives deep nesting and huge inputs, refusing them with one issue each', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { x_nest: deep };
    const obj = {
      type: 'campaign',
      spec_version: '2.1',
      id: 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: 'x',
      x_deep: deep,
    };
    expect(validate(obj).map((i) => i.code)).toEqual(['LIMIT_EXCEEDED']);
    const many = { ...obj, x_deep: undefined, labels: new Array(200_000).fill(1) };
    expect(validate(many).map((i) => [i.code, i.path])).toEqual([['LIMIT_EXCEEDED', '$.labels']]);
    const wrongTypes = { ...obj, x_deep: undefined, labels: new Array(5_000).fill(1) };
    const issues = validate(wrongTypes, { maxIssues: 50 });
    expect(issues).toHaveLength(51);
    expect(issues[50].code).toBe('LIMIT_EXCEEDED');
    expect(() => validate({ ...obj, granular_markings: [{ lang: 'en', selectors: ['x_deep' + '.x_nest'.repeat(50_000)] }] })).not.toThrow();
  });
});
