import { randomUUID } from 'node:crypto';
import { bundleOf } from '../factories/stix.factory';

/**
 * A generated corpus of hostile inputs. Every case is something a member's broken script or an
 * attacker could send; the suites check each gets a clear error, stores nothing and leaves the
 * server up. Deterministic: no randomness beyond fresh UUIDs that play no part in the outcome.
 */
export interface BundleCase {
  name: string;
  bundle: unknown;
  /** Wrong only as a bundle (its objects are fine): not hostile for a TAXII envelope. */
  bundleOnly?: boolean;
}

export interface RawBodyCase {
  name: string;
  body: string;
  contentType?: string;
}

const NOW = '2025-05-01T00:00:00.000Z';

export function validIndicator(): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: NOW,
    modified: NOW,
    name: 'hostile-suite indicator',
    pattern: "[ipv4-addr:value = '198.51.100.77']",
    pattern_type: 'stix',
    valid_from: NOW,
  };
}

function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function deepObject(depth: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) v = { x_nested: v };
  return v;
}

/** Values that are wrong for almost any STIX property. */
const WRONG_VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['number', 42],
  ['negative', -1],
  ['float', 3.14],
  ['boolean', true],
  ['empty string', ''],
  ['array', ['a']],
  ['empty object', {}],
  ['nested object', { a: { b: 1 } }],
  ['NUL byte', 'a\u0000b'],
  ['RTL override', '\u202Eevil'],
  ['zero-width', 'ind\u200Bicator'],
  ['lone surrogate', '\uD800'],
  ['SQL injection', "'; DROP TABLE stix_object; --"],
  ['huge string', 'x'.repeat(200_000)],
  ['prototype key', { __proto__: { polluted: true } }],
];

// Combinations the spec allows (pattern_type is an open vocabulary: any non-empty string).
const LEGITIMATE = new Set(['labels=array', 'confidence=number', 'revoked=boolean']);

const MUTATED_PROPERTIES = [
  'type',
  'spec_version',
  'id',
  'created',
  'modified',
  'pattern',
  'pattern_type',
  'valid_from',
  'valid_until',
  'confidence',
  'labels',
  'object_marking_refs',
  'created_by_ref',
  'revoked',
  'external_references',
  'granular_markings',
  'lang',
  'kill_chain_phases',
];

// Not 'indicator--' + an upper-case UUID: the spec allows it (issue 16), stored in lower case.
const BAD_IDS = [
  'indicator--1',
  'indicator--not-a-uuid',
  'malware--' + randomUUID(),
  'INDICATOR--' + randomUUID(),
  'indicator-' + randomUUID(),
  'indicator--00000000-0000-0000-0000-000000000000',
  '--' + randomUUID(),
  'indicator--' + randomUUID() + ' ',
  'x'.repeat(300) + '--' + randomUUID(),
];
const BAD_TIMESTAMPS = [
  '2025-05-01',
  '2025-05-01T00:00:00',
  '2025-05-01T00:00:00+02:00',
  '2025-13-01T00:00:00Z',
  '2025-02-30T00:00:00Z',
  '2025-05-01T25:00:00Z',
  'yesterday',
  '0000-00-00T00:00:00Z',
  '2025-05-01T00:00:00.1234567890123Z',
  '1e10',
];
const BAD_REFS = [
  'identity--' + 'z'.repeat(36),
  'marking-definition--' + randomUUID(),
  'indicator--' + randomUUID(),
  'not a ref',
  '',
  'identity--' + randomUUID() + '\n',
];
const BAD_PATTERNS = [
  '',
  '[',
  ']',
  '[ipv4-addr:value = ',
  "[ipv4-addr:value = '1.2.3.4'",
  "ipv4-addr:value = '1.2.3.4'",
  "[ipv4-addr:value == == '1']",
  "[ipv4-addr:value = '1'] AND",
  "[ipv4-addr:value = '1'] FOLLOWEDBY",
  "[ipv4-addr:value = '1'] WITHIN -5 SECONDS",
  "[ipv4-addr:value = '1'] REPEATS 0 TIMES",
  "[ipv4-addr:value = '1'] START t'2025-01-01T00:00:00Z'",
  "[file:hashes.'SHA-256' = h'zz']",
  "[file:content = b'@@@@']",
  "[x:y = t'not-a-time']",
  // A catastrophic MATCHES regex is valid STIX 2.1 (one-letter types are grammar identifiers) and is
  // never run by Cairn: it is an accepted case in libs/stix/src/pattern/grammar.spec.ts, not a bad pattern.
  '[ipv4-addr:value IN (' + Array.from({ length: 50_000 }, (_, i) => `'10.0.${i % 256}.${i % 255}'`).join(',') + ')]',
  '('.repeat(5000) + "[a:b = 'c']" + ')'.repeat(5000),
  '['.repeat(3000),
  "[ipv4-addr:value = '\u0000']",
  "[\u202Eipv4-addr:value = '1.2.3.4']",
  "[ipv4-addr:value = '1.2.3.4'] OR " + "[ipv4-addr:value = '1.2.3.4'] OR ".repeat(20_000) + "[ipv4-addr:value = '1.2.3.4']",
  "[email-addr:value LIKE '" + '%'.repeat(100_000) + "']",
  "[a:b = 'unterminated]",
  "[a:b = 'c'] WITHIN 99999999999999999999999 SECONDS",
];

/** Bundles that must be rejected whole. */
export function bundleCases(): BundleCase[] {
  const cases: BundleCase[] = [];
  // Not a bundle at all.
  for (const [name, v] of [
    ['null', null],
    ['string', 'bundle'],
    ['number', 7],
    ['array', [validIndicator()]],
    ['empty object', {}],
    ['no objects', { type: 'bundle', id: `bundle--${randomUUID()}` }],
    ['objects not array', { type: 'bundle', id: `bundle--${randomUUID()}`, objects: {} }],
    ['wrong type', { type: 'Bundle', id: `bundle--${randomUUID()}`, objects: [validIndicator()] }],
    ['bad bundle id', { type: 'bundle', id: 'bundle--x', objects: [validIndicator()] }],
    ['spec_version on bundle', { type: 'bundle', id: `bundle--${randomUUID()}`, spec_version: '2.1', objects: [validIndicator()] }],
  ] as Array<[string, unknown]>) {
    cases.push({
      name: `bundle shape: ${name}`,
      bundle: v,
      bundleOnly: ['wrong type', 'bad bundle id', 'spec_version on bundle'].includes(name),
    });
  }
  // Entries that are not objects.
  for (const [name, v] of WRONG_VALUES.slice(0, 10)) cases.push({ name: `bundle entry: ${name}`, bundle: bundleOf(validIndicator(), v) });
  // Every property of a valid indicator set to every wrong value (the valid indicator rides along, so "stores nothing" is real).
  for (const prop of MUTATED_PROPERTIES) {
    for (const [name, v] of WRONG_VALUES) {
      if (LEGITIMATE.has(`${prop}=${name}`) || (prop === 'pattern_type' && typeof v === 'string' && v !== '')) continue;
      const bad = { ...validIndicator(), [prop]: v };
      cases.push({ name: `indicator.${prop} = ${name}`, bundle: bundleOf(validIndicator(), bad) });
    }
  }
  for (const id of BAD_IDS)
    cases.push({ name: `bad id ${id.slice(0, 40)}`, bundle: bundleOf(validIndicator(), { ...validIndicator(), id }) });
  for (const ts of BAD_TIMESTAMPS) {
    cases.push({ name: `bad created ${ts}`, bundle: bundleOf(validIndicator(), { ...validIndicator(), created: ts }) });
    cases.push({ name: `bad valid_from ${ts}`, bundle: bundleOf(validIndicator(), { ...validIndicator(), valid_from: ts }) });
  }
  cases.push({
    name: 'modified before created',
    bundle: bundleOf({ ...validIndicator(), created: '2025-05-02T00:00:00.000Z', modified: '2025-05-01T00:00:00.000Z' }),
  });
  cases.push({ name: 'valid_until before valid_from', bundle: bundleOf({ ...validIndicator(), valid_until: '2024-01-01T00:00:00Z' }) });
  for (const ref of BAD_REFS) {
    cases.push({ name: `bad created_by_ref ${ref.slice(0, 30)}`, bundle: bundleOf({ ...validIndicator(), created_by_ref: ref }) });
    cases.push({ name: `bad marking ref ${ref.slice(0, 30)}`, bundle: bundleOf({ ...validIndicator(), object_marking_refs: [ref] }) });
    cases.push({
      name: `bad relationship target ${ref.slice(0, 30)}`,
      bundle: bundleOf({
        type: 'relationship',
        spec_version: '2.1',
        id: `relationship--${randomUUID()}`,
        created: NOW,
        modified: NOW,
        relationship_type: 'indicates',
        source_ref: `indicator--${randomUUID()}`,
        target_ref: ref,
      }),
    });
  }
  for (const pattern of BAD_PATTERNS)
    cases.push({
      name: `bad pattern ${JSON.stringify(pattern.slice(0, 40))}`,
      bundle: bundleOf(validIndicator(), { ...validIndicator(), pattern }),
    });
  cases.push({
    name: 'granular marking with bad selector',
    bundle: bundleOf({
      ...validIndicator(),
      granular_markings: [{ marking_ref: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', selectors: ['nope.x[9]'] }],
    }),
  });
  cases.push({ name: 'confidence 101', bundle: bundleOf({ ...validIndicator(), confidence: 101 }) });
  cases.push({
    name: 'sighting count negative',
    bundle: bundleOf({
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${randomUUID()}`,
      created: NOW,
      modified: NOW,
      sighting_of_ref: `indicator--${randomUUID()}`,
      count: -3,
    }),
  });
  cases.push({ name: 'custom property with bad name', bundle: bundleOf({ ...validIndicator(), 'x-bad name!': 1 }) });
  cases.push({
    name: 'hash of wrong length',
    bundle: bundleOf({ type: 'file', spec_version: '2.1', id: `file--${randomUUID()}`, hashes: { 'SHA-256': 'abc' } }),
  });
  cases.push({
    name: '__proto__ at object level',
    bundle: bundleOf(JSON.parse(`{"type":"indicator","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}`)),
  });
  cases.push({ name: 'deeply nested custom property', bundle: bundleOf({ ...validIndicator(), x_deep: deepObject(1500) }) });
  cases.push({ name: 'deeply nested array', bundle: bundleOf({ ...validIndicator(), labels: deepArray(1500) }) });
  cases.push({
    name: 'huge labels array',
    bundle: bundleOf({ ...validIndicator(), labels: Array.from({ length: 200_000 }, (_, i) => `l${i}`) }),
  });
  cases.push({ name: 'too many objects', bundle: bundleOf(...Array.from({ length: 10_001 }, () => ({ type: 'x' }))) });
  cases.push({
    name: 'duplicate ids with different content',
    bundle: (() => {
      const a = validIndicator();
      return bundleOf(a, { ...a, name: 'other' });
    })(),
  });
  return cases;
}

/** HTTP bodies that are not valid GraphQL requests. */
export function rawBodyCases(): RawBodyCase[] {
  const bodies: Array<[string, string]> = [
    ['empty', ''],
    ['truncated', '{"query": "{ serverInfo'],
    ['not json', 'query { serverInfo { name } }'],
    ['trailing comma', '{"query": "{ serverInfo { name } }",}'],
    ['single quotes', "{'query': '{ serverInfo { name } }'}"],
    ['NaN', '{"query": NaN}'],
    ['BOM', '\uFEFF{"query": "{ serverInfo { name } }"'],
    ['query is number', '{"query": 42}'],
    ['query is object', '{"query": {"a": 1}}'],
    ['variables is string', '{"query": "{ serverInfo { name } }", "variables": "x"}'],
    ['deep JSON', '{"query":"{ serverInfo { name } }","variables":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'],
    ['lone surrogate', '{"query": "\\ud800"}'],
    ['huge number', '{"query": 1e999999}'],
    ['nul', '{"query": "\u0000"}'],
    ['unterminated string', '{"query": "abc'],
    ['garbage graphql', '{"query": "{{{{{{"}'],
    ['mutation typo', '{"query": "mutaton { x }"}'],
    ['introspection bomb', '{"query": "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"}'],
    ['alias bomb', '{"query": "{ ' + Array.from({ length: 500 }, (_, i) => `a${i}: serverInfo { name }`).join(' ') + ' }"}'],
    ['deep selection', '{"query": "{ ' + 'serverInfo { '.repeat(200) + 'name' + ' }'.repeat(200) + ' }"}'],
    ['fragment cycle', '{"query": "{ serverInfo { ...A } } fragment A on ServerInfo { ...B } fragment B on ServerInfo { ...A }"}'],
    ['huge query string', '{"query": "{ serverInfo { name } }' + ' '.repeat(5_000_000) + '"}'],
    ['wrong content type xml', '<query/>'],
    ['array batch', '[{"query":"{ serverInfo { name } }"},{"query":"{ serverInfo { name } }"}]'],
  ];
  return bodies.map(([name, body]) => ({
    name,
    body,
    contentType: name === 'wrong content type xml' ? 'application/xml' : 'application/json',
  }));
}

/** Values for checkIdentifiers, filters and search that try to break out of their SQL. */
export const INJECTION_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE stix_object; --",
  '" OR ""="',
  '\\',
  "1'); SELECT pg_sleep(5); --",
  '%',
  '_',
  '$1',
  '::text',
  "E'\\x00'",
  '\u0000',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  'a'.repeat(100_000),
  '\u202E\u200B\uFEFF',
  '{"$gt": ""}',
  '__proto__',
  'constructor',
  'prototype',
];
