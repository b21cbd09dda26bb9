import { StixErrorCode, StixValidationError } from '../errors';
import { expectedScoId } from '../ids';
import { TLP2_EXTENSION_ID, tlpMarkingRef } from '../tlp';
import { validate } from './object';

type O = Record<string, unknown>;
const ID = '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const IDENTITY = `identity--${ID}`;
const T = '2025-06-02T09:00:00.000Z';

const core = (type: string, props: O = {}): O => ({ type, spec_version: '2.1', id: `${type}--${ID}`, created: T, modified: T, ...props });
const indicator = (props: O = {}) =>
  core('indicator', { pattern: "[email-addr:value = 'a@b.example']", pattern_type: 'stix', valid_from: T, ...props });
const emailAddr = (props: O = {}): O => ({
  type: 'email-addr',
  spec_version: '2.1',
  id: expectedScoId({ type: 'email-addr', value: 'a@b.example' }),
  value: 'a@b.example',
  ...props,
});

/** The (code, path) pairs found, sorted, so tests pin down exactly which problems are reported. */
function problems(obj: unknown): string[] {
  return validate(obj)
    .map((i) => `${i.code} ${i.path}`)
    .sort();
}

describe('validate: valid examples from the spec', () => {
  it.each([
    [
      'attack-pattern',
      core('attack-pattern', {
        name: 'Spear Phishing',
        kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' }],
      }),
    ],
    ['campaign', core('campaign', { name: 'Green Group Attacks', first_seen: '2016-01-01T00:00:00Z', last_seen: '2016-01-01T00:00:00Z' })],
    ['course-of-action', core('course-of-action', { name: 'Add TCP port 80 filter' })],
    ['grouping', core('grouping', { context: 'suspicious-activity', object_refs: [`indicator--${ID}`] })],
    ['identity', core('identity', { name: 'ACME', identity_class: 'organization', sectors: ['healthcare'] })],
    ['incident', core('incident', { name: 'Payroll fraud' })],
    ['indicator', indicator({ valid_until: '2026-01-01T00:00:00Z', indicator_types: ['malicious-activity'] })],
    ['infrastructure', core('infrastructure', { name: 'Laptop farm', infrastructure_types: ['anonymization'] })],
    ['intrusion-set', core('intrusion-set', { name: 'UNC5267' })],
    ['location', core('location', { latitude: 48.8566, longitude: 2.3522, precision: 1000 })],
    ['malware', core('malware', { name: 'Cryptolocker', is_family: true, sample_refs: [`file--${ID}`] })],
    ['malware-analysis', core('malware-analysis', { product: 'av', result: 'malicious' })],
    ['note', core('note', { content: 'seen twice', object_refs: [`campaign--${ID}`] })],
    [
      'observed-data',
      core('observed-data', { first_observed: T, last_observed: T, number_observed: 1, object_refs: [`ipv4-addr--${ID}`] }),
    ],
    ['opinion', core('opinion', { opinion: 'strongly-agree', object_refs: [`report--${ID}`] })],
    ['report', core('report', { name: 'R', published: T, object_refs: [`indicator--${ID}`] })],
    ['threat-actor', core('threat-actor', { name: 'Evil Org', threat_actor_types: ['crime-syndicate'] })],
    ['tool', core('tool', { name: 'VNC' })],
    [
      'vulnerability',
      core('vulnerability', { name: 'CVE-2016-1234', external_references: [{ source_name: 'cve', external_id: 'CVE-2016-1234' }] }),
    ],
    [
      'relationship',
      core('relationship', { relationship_type: 'indicates', source_ref: `indicator--${ID}`, target_ref: `email-addr--${ID}` }),
    ],
    ['sighting', core('sighting', { sighting_of_ref: `indicator--${ID}`, where_sighted_refs: [IDENTITY, `location--${ID}`], count: 0 })],
    [
      'extension-definition',
      core('extension-definition', {
        created_by_ref: IDENTITY,
        name: 'x',
        schema: 'https://x',
        version: '1',
        extension_types: ['new-sco'],
      }),
    ],
    [
      'language-content',
      core('language-content', { object_ref: `campaign--${ID}`, contents: { de: { name: 'Bank-Angriff' }, 'fr-CA': { name: 'x' } } }),
    ],
    [
      'marking-definition (statement)',
      {
        type: 'marking-definition',
        spec_version: '2.1',
        id: `marking-definition--${ID}`,
        created: T,
        definition_type: 'statement',
        definition: { statement: 'Copyright 2025' },
      },
    ],
    ['email-addr', emailAddr({ display_name: 'A' })],
    ['artifact', { type: 'artifact', id: `artifact--${ID}`, payload_bin: 'SGVsbG8=', encryption_algorithm: 'mime-type-indicated' }],
    ['autonomous-system', { type: 'autonomous-system', id: `autonomous-system--${ID}`, number: 15139 }],
    ['directory', { type: 'directory', id: `directory--${ID}`, path: 'C:\\Windows' }],
    ['domain-name', { type: 'domain-name', id: `domain-name--${ID}`, value: 'example.com', resolves_to_refs: [`ipv4-addr--${ID}`] }],
    [
      'email-message',
      {
        type: 'email-message',
        id: `email-message--${ID}`,
        is_multipart: true,
        body_multipart: [{ body: 'x', content_type: 'text/plain' }],
      },
    ],
    [
      'file',
      {
        type: 'file',
        id: `file--${ID}`,
        name: 'cv.pdf',
        hashes: { 'SHA-256': 'a'.repeat(64), SSDEEP: '96:abc:def', 'x_custom-hash': 'zz' },
      },
    ],
    [
      'file with archive-ext',
      { type: 'file', id: `file--${ID}`, name: 'a.zip', extensions: { 'archive-ext': { contains_refs: [`file--${ID}`] } } },
    ],
    ['ipv4-addr', { type: 'ipv4-addr', id: `ipv4-addr--${ID}`, value: '198.51.100.0/24' }],
    ['ipv6-addr', { type: 'ipv6-addr', id: `ipv6-addr--${ID}`, value: '2001:db8::/96' }],
    ['mac-addr', { type: 'mac-addr', id: `mac-addr--${ID}`, value: 'd2:fb:49:24:37:18' }],
    ['mutex', { type: 'mutex', id: `mutex--${ID}`, name: '__CLEANSWEEP__' }],
    [
      'network-traffic',
      {
        type: 'network-traffic',
        id: `network-traffic--${ID}`,
        dst_ref: `ipv4-addr--${ID}`,
        dst_port: 443,
        protocols: ['ipv4', 'tcp'],
        extensions: { 'socket-ext': { address_family: 'AF_INET' } },
      },
    ],
    ['process', { type: 'process', id: `process--${ID}`, pid: 1221, command_line: './gedit-bin' }],
    ['software', { type: 'software', id: `software--${ID}`, name: 'Word', vendor: 'Microsoft' }],
    ['url', { type: 'url', id: `url--${ID}`, value: 'https://example.com/research/index.html' }],
    ['user-account', { type: 'user-account', id: `user-account--${ID}`, account_type: 'github', account_login: 'dev-kim' }],
    [
      'windows-registry-key',
      {
        type: 'windows-registry-key',
        id: `windows-registry-key--${ID}`,
        key: 'HKEY_LOCAL_MACHINE\\System',
        values: [{ name: 'Foo', data: 'qwerty', data_type: 'REG_SZ' }],
      },
    ],
    ['x509-certificate', { type: 'x509-certificate', id: `x509-certificate--${ID}`, issuer: 'C=ZA', serial_number: '02:08:87' }],
    ['phone-number', { type: 'phone-number', id: `phone-number--${ID}`, value: '+12025550147' }],
    ['persona', { type: 'persona', id: `persona--${ID}`, persona_name: 'Daniel Kim', persona_type: 'job-applicant' }],
    [
      'custom SDO via extension',
      core('x-acme-widget', { extensions: { [`extension-definition--${ID}`]: { extension_type: 'new-sdo' } }, widget_size: 3 }),
    ],
    ['custom SCO without extension', { type: 'acme-token', id: `acme-token--${ID}`, value: 'abc' }],
  ])('%s', (_name, obj) => expect(validate(obj)).toEqual([]));
});

describe('validate: common properties', () => {
  it('requires type, id, spec_version, created and modified on SDOs', () => {
    expect(problems({ type: 'campaign', name: 'x' })).toEqual([
      'REQUIRED_PROPERTY $.created',
      'REQUIRED_PROPERTY $.id',
      'REQUIRED_PROPERTY $.modified',
      'REQUIRED_PROPERTY $.spec_version',
    ]);
    expect(problems({ name: 'x' })).toEqual(['REQUIRED_PROPERTY $.id', 'REQUIRED_PROPERTY $.type']);
  });

  it('checks type names and the id prefix', () => {
    expect(problems(core('campaign', { name: 'x', type: 'Campaign' }))).toEqual(['INVALID_TYPE $.type']);
    expect(problems({ ...core('campaign', { name: 'x' }), id: `report--${ID}` })).toEqual(['TYPE_MISMATCH $.id']);
    // UUIDs are case-insensitive (RFC 9562; the OASIS schema's pattern); the type name is not.
    expect(problems({ ...core('campaign', { name: 'x' }), id: `campaign--${ID.toUpperCase()}` })).toEqual([]);
    expect(problems({ ...core('campaign', { name: 'x' }), id: `CAMPAIGN--${ID}` })).toEqual(['INVALID_ID $.id']);
    expect(problems({ ...core('campaign', { name: 'x' }), id: 'campaign--1234' })).toEqual(['INVALID_ID $.id']);
    expect(problems({ ...core('campaign', { name: 'x' }), type: 7 })).toEqual(['WRONG_TYPE $.type']);
  });

  it('accepts UUID versions other than 4 for SDOs but insists on the RFC 4122 variant', () => {
    expect(problems({ ...core('campaign', { name: 'x' }), id: 'campaign--8e2e2d2b-17d4-1cbf-938f-98ee46b3cd3f' })).toEqual([]);
    expect(problems({ ...core('campaign', { name: 'x' }), id: 'campaign--8e2e2d2b-17d4-4cbf-f38f-98ee46b3cd3f' })).toEqual([
      'INVALID_ID $.id',
    ]);
  });

  it('requires spec_version "2.1"', () => {
    expect(problems(core('campaign', { name: 'x', spec_version: '2.0' }))).toEqual(['INVALID_SPEC_VERSION $.spec_version']);
    expect(problems(emailAddr({ spec_version: 2.1 }))).toEqual(['INVALID_SPEC_VERSION $.spec_version']);
    expect(problems(emailAddr({ spec_version: undefined }))).toEqual([]);
  });

  it('requires UTC timestamps, millisecond precision on created/modified, and modified >= created', () => {
    expect(problems(core('campaign', { name: 'x', created: '2025-06-02T09:00:00.000+01:00' }))).toEqual(['INVALID_TIMESTAMP $.created']);
    expect(problems(core('campaign', { name: 'x', modified: '2025-06-02T09:00:00Z' }))).toEqual(['INVALID_TIMESTAMP $.modified']);
    expect(problems(core('campaign', { name: 'x', modified: '2025-06-02T08:59:59.999Z' }))).toEqual(['MODIFIED_BEFORE_CREATED $.modified']);
    expect(problems(core('campaign', { name: 'x', first_seen: 'yesterday' }))).toEqual(['INVALID_TIMESTAMP $.first_seen']);
  });

  it('checks reference targets per property', () => {
    expect(problems(core('campaign', { name: 'x', created_by_ref: `threat-actor--${ID}` }))).toEqual([
      'INVALID_REFERENCE $.created_by_ref',
    ]);
    expect(problems(core('campaign', { name: 'x', object_marking_refs: [tlpMarkingRef('RED'), IDENTITY] }))).toEqual([
      'INVALID_REFERENCE $.object_marking_refs[1]',
    ]);
    expect(problems(core('campaign', { name: 'x', created_by_ref: 'identity--nope' }))).toEqual(['INVALID_REFERENCE $.created_by_ref']);
    expect(problems(core('sighting', { sighting_of_ref: `email-addr--${ID}`, where_sighted_refs: [`indicator--${ID}`] }))).toEqual([
      'INVALID_REFERENCE $.sighting_of_ref',
      'INVALID_REFERENCE $.where_sighted_refs[0]',
    ]);
    expect(
      problems(
        core('relationship', { relationship_type: 'x', source_ref: `relationship--${ID}`, target_ref: `marking-definition--${ID}` }),
      ),
    ).toEqual(['INVALID_REFERENCE $.source_ref', 'INVALID_REFERENCE $.target_ref']);
    // A custom type could be an SDO, so it is accepted where an SDO is expected.
    expect(problems(core('sighting', { sighting_of_ref: `x-acme-widget--${ID}` }))).toEqual([]);
  });

  it('checks confidence, lang, labels and external references', () => {
    expect(problems(core('campaign', { name: 'x', confidence: 101 }))).toEqual(['OUT_OF_RANGE $.confidence']);
    expect(problems(core('campaign', { name: 'x', confidence: 50.5 }))).toEqual(['WRONG_TYPE $.confidence']);
    expect(problems(core('campaign', { name: 'x', lang: 'en US' }))).toEqual(['INVALID_VALUE $.lang']);
    expect(problems(core('campaign', { name: 'x', labels: [] }))).toEqual(['EMPTY_VALUE $.labels']);
    expect(problems(core('campaign', { name: 'x', labels: ['a', 2] }))).toEqual(['WRONG_TYPE $.labels[1]']);
    expect(problems(core('campaign', { name: 'x', external_references: [{ url: 'https://x' }, { source_name: 'y' }] }))).toEqual([
      'REQUIRED_PROPERTY $.external_references[0].source_name',
      'REQUIRED_PROPERTY $.external_references[1].description',
    ]);
    expect(problems(core('attack-pattern', { name: 'x', kill_chain_phases: [{ kill_chain_name: 'k' }] }))).toEqual([
      'REQUIRED_PROPERTY $.kill_chain_phases[0].phase_name',
    ]);
  });

  it('applies custom property name rules', () => {
    expect(problems(core('campaign', { name: 'x', x_acme_score: 3, acme_ref: IDENTITY }))).toEqual([]);
    expect(problems(core('campaign', { name: 'x', 'X-Acme': 1, ab: 2, ['a'.repeat(251)]: 3 }))).toEqual(
      [
        'INVALID_PROPERTY_NAME $.X-Acme'.replace('.X-Acme', "['X-Acme']"),
        'INVALID_PROPERTY_NAME $.a' + 'a'.repeat(250),
        'INVALID_PROPERTY_NAME $.ab',
      ].sort(),
    );
    expect(problems(core('campaign', { name: 'x', x_acme_ref: 'not-an-id', x_acme_refs: [IDENTITY, 3] }))).toEqual([
      'INVALID_REFERENCE $.x_acme_ref',
      'INVALID_REFERENCE $.x_acme_refs[1]',
    ]);
  });

  it('forbids SDO-only common properties on observables', () => {
    expect(problems(emailAddr({ created: T, created_by_ref: IDENTITY, labels: ['x'] }))).toEqual([
      'FORBIDDEN_PROPERTY $.created',
      'FORBIDDEN_PROPERTY $.created_by_ref',
      'FORBIDDEN_PROPERTY $.labels',
    ]);
  });
});

describe('validate: granular markings', () => {
  const report = (gm: unknown[]) =>
    core('report', {
      name: 'R',
      description: 'd',
      published: T,
      object_refs: [`indicator--${ID}`],
      external_references: [{ source_name: 's', url: 'u' }],
      granular_markings: gm,
    });

  it('resolves selectors against the object', () => {
    expect(
      problems(
        report([{ marking_ref: tlpMarkingRef('RED'), selectors: ['description', 'object_refs.[0]', 'external_references.[0].url'] }]),
      ),
    ).toEqual([]);
    expect(
      problems(
        report([
          { marking_ref: tlpMarkingRef('RED'), selectors: ['summary', 'object_refs.[1]', 'object_refs[0]', '[0]', 'description.x', ''] },
        ]),
      ),
    ).toEqual([0, 1, 2, 3, 4, 5].map((j) => `INVALID_SELECTOR $.granular_markings[0].selectors[${j}]`));
  });

  it('requires exactly one of marking_ref and lang', () => {
    expect(problems(report([{ selectors: ['description'] }]))).toEqual(['INVALID_MARKING $.granular_markings[0]']);
    expect(problems(report([{ lang: 'en', marking_ref: tlpMarkingRef('RED'), selectors: ['description'] }]))).toEqual([
      'INVALID_MARKING $.granular_markings[0]',
    ]);
    expect(problems(report([{ lang: 'de', selectors: ['description'] }]))).toEqual([]);
    expect(problems(report([{ marking_ref: IDENTITY, selectors: ['description'] }]))).toEqual([
      'INVALID_REFERENCE $.granular_markings[0].marking_ref',
    ]);
  });
});

describe('validate: hashes and extensions', () => {
  const file = (props: O) => ({ type: 'file', id: `file--${ID}`, name: 'x', ...props });

  it('checks hex length of known algorithms', () => {
    expect(
      problems(
        file({
          hashes: {
            MD5: 'a'.repeat(31),
            'SHA-1': 'g'.repeat(40),
            'SHA-256': 'A'.repeat(64),
            'SHA-512': 'a'.repeat(64),
            'SHA3-256': 'a'.repeat(64),
            TLSH: 'T1abc',
          },
        }),
      ),
    ).toEqual(['INVALID_HASH $.hashes.MD5', "INVALID_HASH $.hashes['SHA-1']", "INVALID_HASH $.hashes['SHA-512']"]);
    expect(problems(file({ hashes: { sha256: 'a'.repeat(64) } }))).toEqual(['INVALID_HASH $.hashes.sha256']);
    expect(problems(file({ hashes: {} }))).toEqual(['EMPTY_VALUE $.hashes']);
    expect(problems(file({ hashes: { MD5: 5 } }))).toEqual(['WRONG_TYPE $.hashes.MD5']);
  });

  it('checks extension keys, applicability and extension_type', () => {
    expect(problems(file({ extensions: { 'bogus-ext': {} } }))).toEqual(["INVALID_EXTENSION $.extensions['bogus-ext']"]);
    expect(problems(file({ extensions: { 'socket-ext': { address_family: 'AF_INET' } } }))).toEqual([
      "INVALID_EXTENSION $.extensions['socket-ext']",
    ]);
    expect(problems(file({ extensions: { [`extension-definition--${ID}`]: { extension_type: 'new-thing' } } }))).toEqual([
      `INVALID_EXTENSION $.extensions['extension-definition--${ID}'].extension_type`,
    ]);
    expect(problems(file({ extensions: { 'archive-ext': { comment: 'x' } } }))).toEqual([
      "REQUIRED_PROPERTY $.extensions['archive-ext'].contains_refs",
    ]);
    expect(problems(file({ extensions: { 'x-acme-ext': { score: 1 } } }))).toEqual([]);
    expect(problems(file({ extensions: {} }))).toEqual(['EMPTY_VALUE $.extensions']);
    expect(problems(file({ extensions: { 'archive-ext': 'x' } }))).toEqual(["INVALID_EXTENSION $.extensions['archive-ext']"]);
  });

  it('enforces closed enumerations inside extensions and objects', () => {
    expect(
      problems({
        type: 'network-traffic',
        id: `network-traffic--${ID}`,
        src_ref: `ipv4-addr--${ID}`,
        protocols: ['tcp'],
        extensions: { 'socket-ext': { address_family: 'AF_CARRIER_PIGEON' } },
      }),
    ).toEqual(["INVALID_VOCABULARY $.extensions['socket-ext'].address_family"]);
    expect(problems({ type: 'artifact', id: `artifact--${ID}`, payload_bin: 'AA==', encryption_algorithm: 'rot13' })).toEqual([
      'INVALID_VOCABULARY $.encryption_algorithm',
    ]);
    expect(problems(core('opinion', { opinion: 'meh', object_refs: [IDENTITY] }))).toEqual(['INVALID_VOCABULARY $.opinion']);
    // Open vocabularies accept anything.
    expect(problems(core('identity', { name: 'x', identity_class: 'galaxy', sectors: ['space-mining'] }))).toEqual([]);
    expect(problems(indicator({ pattern_type: 'kql', pattern: 'anything at all' }))).toEqual([]);
  });
});

describe('validate: type-specific rules', () => {
  it('indicator: valid_until after valid_from, STIX pattern syntax', () => {
    expect(problems(indicator({ valid_until: T }))).toEqual(['INVALID_TIME_ORDER $.valid_until']);
    expect(problems(indicator({ pattern: "[email-addr:value = 'x'" }))).toEqual(['INVALID_PATTERN $.pattern']);
    const [issue] = validate(indicator({ pattern: "[email-addr:value = 'x'" }));
    expect(issue.message).toMatch(/at 1:24$/);
    // The grammar's refusals and section 9's rules come out the same way (pattern/grammar.spec.ts has the table).
    const [keyword] = validate(indicator({ pattern: "[file:name = 'a' and file:size = 1]" }));
    expect([keyword.code, keyword.path, keyword.message]).toEqual([
      'INVALID_PATTERN',
      '$.pattern',
      "keywords are case-sensitive: write 'AND', not 'and' at 1:18",
    ]);
    const [hash] = validate(indicator({ pattern: "[file:hashes.MD5 = 'abc']" }));
    expect([hash.code, hash.message]).toEqual(['INVALID_PATTERN', "'abc' is not a MD5 digest (32 hex digits) at 1:20"]);
    expect(problems(indicator({ pattern: "[x_whatever:foo = 'a'] FOLLOWEDBY [X-Acme:v = 1]" }))).toEqual([]);
    expect(problems(indicator({ pattern: undefined, pattern_type: undefined, valid_from: undefined }))).toEqual([
      'REQUIRED_PROPERTY $.pattern',
      'REQUIRED_PROPERTY $.pattern_type',
      'REQUIRED_PROPERTY $.valid_from',
    ]);
  });

  it('sighting: count range and first/last seen order', () => {
    const s = (props: O) => core('sighting', { sighting_of_ref: `indicator--${ID}`, ...props });
    expect(problems(s({ count: 1_000_000_000 }))).toEqual(['OUT_OF_RANGE $.count']);
    expect(problems(s({ count: -1 }))).toEqual(['OUT_OF_RANGE $.count']);
    expect(problems(s({ count: 999_999_999, first_seen: T, last_seen: '2025-06-01T00:00:00Z' }))).toEqual([
      'INVALID_TIME_ORDER $.last_seen',
    ]);
  });

  it('relationship: relationship_type syntax, stop after start', () => {
    const r = (props: O) =>
      core('relationship', { relationship_type: 'uses', source_ref: `threat-actor--${ID}`, target_ref: `tool--${ID}`, ...props });
    expect(problems(r({ relationship_type: 'Uses Tool' }))).toEqual(['INVALID_VALUE $.relationship_type']);
    expect(problems(r({ start_time: T, stop_time: T }))).toEqual(['INVALID_TIME_ORDER $.stop_time']);
  });

  it('location, malware, malware-analysis, observed-data', () => {
    expect(problems(core('location', { latitude: 91, longitude: 0 }))).toEqual(['OUT_OF_RANGE $.latitude']);
    expect(problems(core('location', { latitude: 10 }))).toEqual(['REQUIRED_PROPERTY $.longitude']);
    expect(problems(core('location', { name: 'x' }))).toEqual(['REQUIRED_PROPERTY $.region']);
    expect(problems(core('location', { country: 'DE', precision: 5 }))).toEqual(['REQUIRED_PROPERTY $.latitude']);
    expect(problems(core('malware', { is_family: true }))).toEqual(['REQUIRED_PROPERTY $.name']);
    expect(problems(core('malware', { is_family: 'yes' }))).toEqual(['WRONG_TYPE $.is_family']);
    expect(problems(core('malware-analysis', { product: 'av' }))).toEqual(['REQUIRED_PROPERTY $.result']);
    const od = (props: O) => core('observed-data', { first_observed: T, last_observed: T, number_observed: 1, ...props });
    expect(problems(od({}))).toEqual(['REQUIRED_PROPERTY $.object_refs']);
    expect(problems(od({ object_refs: [`file--${ID}`], objects: { '0': {} } }))).toEqual(['FORBIDDEN_PROPERTY $.objects']);
    expect(problems(od({ object_refs: [`file--${ID}`], number_observed: 0 }))).toEqual(['OUT_OF_RANGE $.number_observed']);
    expect(problems(od({ object_refs: [`file--${ID}`], last_observed: '2025-01-01T00:00:00Z' }))).toEqual([
      'INVALID_TIME_ORDER $.last_observed',
    ]);
  });

  it('observables: shape rules', () => {
    expect(problems({ type: 'file', id: `file--${ID}`, size: 10 })).toEqual(['REQUIRED_PROPERTY $.hashes']);
    expect(problems({ type: 'ipv4-addr', id: `ipv4-addr--${ID}`, value: '198.051.100.1' })).toEqual(['INVALID_VALUE $.value']);
    expect(problems({ type: 'ipv6-addr', id: `ipv6-addr--${ID}`, value: '2001:db8::1::1' })).toEqual(['INVALID_VALUE $.value']);
    expect(problems({ type: 'mac-addr', id: `mac-addr--${ID}`, value: 'D2-FB-49-24-37-18' })).toEqual(['INVALID_VALUE $.value']);
    expect(problems({ type: 'email-addr', id: `email-addr--${ID}`, value: 'not an address' })).toEqual(['INVALID_VALUE $.value']);
    expect(problems({ type: 'url', id: `url--${ID}`, value: 'example.com/x' })).toEqual(['INVALID_VALUE $.value']);
    expect(problems({ type: 'artifact', id: `artifact--${ID}`, url: 'https://x' })).toEqual(['REQUIRED_PROPERTY $.hashes']);
    expect(
      problems({ type: 'artifact', id: `artifact--${ID}`, url: 'https://x', hashes: { MD5: 'a'.repeat(32) }, payload_bin: 'AA==' }),
    ).toEqual(['FORBIDDEN_PROPERTY $.url']);
    expect(problems({ type: 'email-message', id: `email-message--${ID}`, is_multipart: true, body: 'x' })).toEqual([
      'FORBIDDEN_PROPERTY $.body',
    ]);
    expect(problems({ type: 'network-traffic', id: `network-traffic--${ID}`, protocols: ['tcp'], dst_port: 70000 })).toEqual([
      'OUT_OF_RANGE $.dst_port',
      'REQUIRED_PROPERTY $.src_ref',
    ]);
    expect(problems({ type: 'network-traffic', id: `network-traffic--${ID}`, protocols: ['tcp'], src_ref: `url--${ID}` })).toEqual([
      'INVALID_REFERENCE $.src_ref',
    ]);
    expect(problems({ type: 'process', id: `process--${ID}` })).toEqual(['REQUIRED_PROPERTY $.is_hidden']);
    expect(problems({ type: 'x509-certificate', id: `x509-certificate--${ID}` })).toEqual(['REQUIRED_PROPERTY $.is_self_signed']);
    expect(problems({ type: 'persona', id: `persona--${ID}`, persona_name: 'x' })).toEqual(['REQUIRED_PROPERTY $.persona_type']);
    expect(problems({ type: 'windows-registry-key', id: `windows-registry-key--${ID}`, values: [{ data_type: 'REG_FOO' }] })).toEqual([
      'INVALID_VOCABULARY $.values[0].data_type',
    ]);
  });

  it('marking definitions: not versioned, definition rules, TLP ids keep their level', () => {
    const m = (props: O) => ({ type: 'marking-definition', spec_version: '2.1', id: `marking-definition--${ID}`, created: T, ...props });
    expect(problems(m({ modified: T, definition_type: 'statement', definition: { statement: 'x' } }))).toEqual([
      'FORBIDDEN_PROPERTY $.modified',
    ]);
    expect(problems(m({ definition_type: 'statement' }))).toEqual(['REQUIRED_PROPERTY $.definition']);
    expect(problems(m({ definition_type: 'tlp', definition: { tlp: 'purple' } }))).toEqual(['INVALID_VOCABULARY $.definition.tlp']);
    expect(problems(m({ definition_type: 'statement', definition: {} }))).toEqual(['REQUIRED_PROPERTY $.definition.statement']);
    const fakeRed = m({
      id: tlpMarkingRef('RED'),
      name: 'TLP:RED',
      extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'clear' } },
    });
    expect(problems(fakeRed)).toEqual(['INVALID_MARKING $']);
    const badLevel = m({ extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'white' } } });
    expect(problems(badLevel)).toEqual([`INVALID_VOCABULARY $.extensions['${TLP2_EXTENSION_ID}'].tlp_2_0`]);
  });

  it('extension-definition and language-content', () => {
    expect(problems(core('extension-definition', { name: 'x', schema: 's', version: '1', extension_types: ['new-widget'] }))).toEqual([
      'INVALID_VOCABULARY $.extension_types[0]',
      'REQUIRED_PROPERTY $.created_by_ref',
    ]);
    expect(problems(core('language-content', { object_ref: `campaign--${ID}`, contents: { 'not a tag': {} } }))).toEqual([
      "INVALID_PROPERTY_NAME $.contents['not a tag']",
      "INVALID_VALUE $.contents['not a tag']",
    ]);
  });

  it('can require deterministic SCO ids', () => {
    const wrong = emailAddr({ id: `email-addr--${ID}` });
    expect(validate(wrong)).toEqual([]);
    expect(validate(wrong, { requireDeterministicScoIds: true }).map((i) => i.code)).toEqual([StixErrorCode.INVALID_ID]);
    expect(validate(emailAddr(), { requireDeterministicScoIds: true })).toEqual([]);
  });
});

describe('StixValidationError', () => {
  it('carries every issue and the first code', () => {
    const issues = validate(core('campaign', { confidence: 900 }));
    const e = new StixValidationError(issues);
    expect(e).toBeInstanceOf(Error);
    expect(e.issues).toHaveLength(2);
    expect(e.code).toBe(issues[0].code);
    expect(new StixValidationError([]).code).toBe(StixErrorCode.INVALID_VALUE);
  });
});

describe('value limits (hostile input)', () => {
  const base = {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--0b0f7a3e-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
    created: '2025-01-01T00:00:00.000Z',
    modified: '2025-01-01T00:00:00.000Z',
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix',
    valid_from: '2025-01-01T00:00:00Z',
  };
  const codes = (o: unknown) => validate(o).map((i) => `${i.path} ${i.code}`);

  it('refuses NUL characters and unpaired surrogates anywhere, naming the property', () => {
    expect(codes({ ...base, name: 'a\u0000b' })).toEqual(['$.name INVALID_VALUE']);
    expect(codes({ ...base, labels: ['ok', '\uD800'] })).toEqual(['$.labels[1] INVALID_VALUE']);
    expect(codes({ ...base, name: '\uD83D\uDE00 fine' })).toEqual([]);
  });

  it('refuses strings, lists and nesting beyond the limits', () => {
    expect(codes({ ...base, labels: Array.from({ length: 10_001 }, (_, i) => `l${i}`) })).toEqual(['$.labels LIMIT_EXCEEDED']);
    expect(codes({ ...base, description: 'x'.repeat(1_048_577) })).toEqual(['$.description LIMIT_EXCEEDED']);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { x_a: deep };
    expect(codes({ ...base, x_deep: deep })[0]).toMatch(/^\$\.x_deep(\.x_a)+ LIMIT_EXCEEDED$/);
  });

  it('refuses an empty pattern_type', () => {
    expect(codes({ ...base, pattern_type: '' })).toEqual(['$.pattern_type EMPTY_VALUE']);
  });
});
