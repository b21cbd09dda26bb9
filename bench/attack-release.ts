/**
 * A deterministic ATT&CK-sized release (the shape of ATT&CK for ICS: ~1,826 objects, custom
 * x-mitre-* types and x_mitre_* properties, a collection listing everything), made here from a seed.
 * `flawed` adds what real releases carry and repair mode repairs: a bundle-level spec_version,
 * empty `x_mitre_data_source_ref` on five data components, `aliases: []`, second-precision
 * timestamps. The clean copy is the same release with none of it (a repair-free strict import).
 */
export function attackRelease(
  seed: number,
  flawed: boolean,
): { type: 'bundle'; id: string; objects: Array<Record<string, unknown>> } & Record<string, unknown> {
  let s = seed >>> 0;
  const rand = () => {
    // mulberry32: small, seeded, the same figures on every machine.
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const id = (type: string) => `${type}--${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`;
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const created = '2021-04-29T14:49:39.188Z';
  const modified = (k: number) => (flawed && k % 7 === 0 ? '2023-10-02T09:12:07Z' : '2023-10-02T09:12:07.513Z');
  const identity = id('identity');
  const marking = id('marking-definition');
  const objects: Array<Record<string, unknown>> = [];
  let k = 0;
  const add = (type: string, props: Record<string, unknown>) => {
    const o = {
      type,
      spec_version: '2.1',
      id: id(type),
      created,
      modified: modified(k++),
      created_by_ref: identity,
      object_marking_refs: [marking],
      x_mitre_domains: ['ics-attack'],
      x_mitre_version: '1.0',
      x_mitre_attack_spec_version: '3.1.0',
      x_mitre_modified_by_ref: identity,
      ...props,
    };
    objects.push(o);
    return o.id;
  };
  objects.push({
    type: 'identity',
    spec_version: '2.1',
    id: identity,
    created,
    modified: created,
    name: 'Example ATT&CK Project',
    identity_class: 'organization',
    object_marking_refs: [marking],
  });
  objects.push({
    type: 'marking-definition',
    spec_version: '2.1',
    id: marking,
    created,
    definition_type: 'statement',
    definition: { statement: 'Copyright, the Example ATT&CK Project.' },
    created_by_ref: identity,
  });
  const ref = (prefix: string, n: number) => [
    {
      source_name: 'mitre-ics-attack-example',
      external_id: `${prefix}${String(n).padStart(4, '0')}`,
      url: `https://attack.example/${prefix}/${n}`,
    },
  ];
  const tactics = Array.from({ length: 12 }, (_, i) =>
    add('x-mitre-tactic', {
      name: `Tactic ${i}`,
      x_mitre_shortname: `tactic-${i}`,
      description: `Tactic ${i} of the example matrix.`,
      external_references: ref('TA', i),
    }),
  );
  add('x-mitre-matrix', {
    name: 'Example ICS Matrix',
    description: 'The example matrix.',
    tactic_refs: tactics,
    external_references: ref('MX', 0),
  });
  const techniques = Array.from({ length: 95 }, (_, i) =>
    add('attack-pattern', {
      name: `Technique ${i}`,
      description: `What technique ${i} does to an industrial process, and how it has been seen used. `.repeat(3),
      kill_chain_phases: [{ kill_chain_name: 'mitre-ics-attack', phase_name: `tactic-${i % 12}` }],
      x_mitre_platforms: ['None'],
      x_mitre_is_subtechnique: false,
      external_references: ref('T', 800 + i),
    }),
  );
  const mitigations = Array.from({ length: 52 }, (_, i) =>
    add('course-of-action', { name: `Mitigation ${i}`, description: `How to mitigate, ${i}.`, external_references: ref('M', 900 + i) }),
  );
  const groups = Array.from({ length: 14 }, (_, i) =>
    add('intrusion-set', {
      name: `GROUP ${i}`,
      aliases: flawed && i < 2 ? [] : [`GROUP ${i}`, `Alias ${i}`],
      description: `Group ${i}.`,
      external_references: ref('G', i),
    }),
  );
  const software = Array.from({ length: 25 }, (_, i) =>
    add(i % 3 ? 'malware' : 'tool', {
      name: `Software ${i}`,
      is_family: i % 3 ? true : undefined,
      description: `Software ${i}.`,
      x_mitre_platforms: ['Windows'],
      external_references: ref('S', i),
    }),
  );
  const campaigns = Array.from({ length: 5 }, (_, i) =>
    add('campaign', {
      name: `Campaign ${i}`,
      description: `Campaign ${i}.`,
      first_seen: '2015-12-01T00:00:00.000Z',
      last_seen: '2016-01-01T00:00:00.000Z',
    }),
  );
  const assets = Array.from({ length: 10 }, (_, i) =>
    add('x-mitre-asset', { name: `Asset ${i}`, description: `An industrial asset, ${i}.`, x_mitre_sectors: ['Electric'] }),
  );
  const sources = Array.from({ length: 17 }, (_, i) =>
    add('x-mitre-data-source', { name: `Data source ${i}`, description: `Source ${i}.`, x_mitre_collection_layers: ['Network'] }),
  );
  const components = Array.from({ length: 37 }, (_, i) =>
    add('x-mitre-data-component', {
      name: `Component ${i}`,
      description: `Component ${i}.`,
      x_mitre_data_source_ref: flawed && i < 5 ? '' : sources[i % 17],
    }),
  );
  for (const o of objects) if (o.is_family === undefined) delete o.is_family;
  const rel = (type: string, from: string[], to: string[]) =>
    add('relationship', { relationship_type: type, source_ref: pick(from), target_ref: pick(to), description: `${type}, as reported.` });
  const target = 1826 - 1; // the collection comes last
  const kinds: Array<[string, string[], string[]]> = [
    ['uses', groups, techniques],
    ['uses', software, techniques],
    ['mitigates', mitigations, techniques],
    ['detects', components, techniques],
    ['targets', techniques, assets],
    ['uses', campaigns, techniques],
    ['attributed-to', campaigns, groups],
    ['uses', groups, software],
  ];
  for (let i = 0; objects.length < target; i++) rel(...kinds[i % kinds.length]);
  objects.push({
    type: 'x-mitre-collection',
    spec_version: '2.1',
    id: id('x-mitre-collection'),
    created,
    modified: created,
    created_by_ref: identity,
    object_marking_refs: [marking],
    name: 'Example ICS ATT&CK',
    description: 'The release as a collection.',
    x_mitre_version: '14.0',
    x_mitre_attack_spec_version: '3.1.0',
    x_mitre_contents: objects.map((o) => ({ object_ref: o.id, object_modified: o.modified ?? o.created })),
  });
  const bundle: { type: 'bundle'; id: string; objects: Array<Record<string, unknown>> } & Record<string, unknown> = {
    type: 'bundle',
    id: id('bundle'),
    objects,
  };
  if (flawed) bundle.spec_version = '2.1';
  return bundle;
}
