import type { RefTarget } from './kinds';

/** The 19 STIX 2.1 domain object types. */
export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);

export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);

/** The 18 STIX 2.1 cyber-observable types. */
export const STANDARD_SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

/** Standard SCOs plus the custom observables Cairn exchanges. */
export const SCO_TYPES: ReadonlySet<string> = new Set([
  ...STANDARD_SCO_TYPES,
  'phone-number',
  'cryptocurrency-wallet',
  'bank-account',
  'persona',
]);

export const META_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'extension-definition', 'language-content']);

export type Category = 'sdo' | 'sro' | 'sco' | 'meta';

/** The category of a known type; undefined for custom (unknown) types. */
export function categoryOf(type: string): Category | undefined {
  if (SDO_TYPES.has(type)) return 'sdo';
  if (SCO_TYPES.has(type)) return 'sco';
  if (SRO_TYPES.has(type)) return 'sro';
  if (META_TYPES.has(type)) return 'meta';
  return undefined;
}

function known(type: string): boolean {
  return categoryOf(type) !== undefined || type === 'bundle';
}

/** Exactly the listed types. */
export function types(...names: string[]): RefTarget {
  const set = new Set(names);
  return { accepts: (t) => set.has(t), describe: names.join(' | ') };
}

// Custom object types cannot be classified from an id alone, so the
// category targets accept them; standard types must be in the category.
export const ANY_SDO: RefTarget = { accepts: (t) => SDO_TYPES.has(t) || !known(t), describe: 'an SDO' };
export const ANY_SCO: RefTarget = { accepts: (t) => SCO_TYPES.has(t) || !known(t), describe: 'an SCO' };
export const SDO_OR_SCO: RefTarget = {
  accepts: (t) => SDO_TYPES.has(t) || SCO_TYPES.has(t) || !known(t),
  describe: 'an SDO or SCO',
};
export const ANY_OBJECT: RefTarget = { accepts: (t) => t !== 'bundle', describe: 'any STIX object' };
export const IDENTITY = types('identity');
export const MARKING = types('marking-definition');
