import {
  CAIRN_PROTECTION_EXTENSION_ID,
  detectIdentifierType,
  extractComparisons,
  normaliseAs,
  normaliseHandle,
  tryParsePattern,
  type EqualityComparison,
} from '@cairn/stix';
import { PROTECTED_PLACEHOLDER, keyOfRendering, protectedKindOfProperty, protectionKeysOf, type ProtectedKind } from '@cairn/intel';
import { PROTECTED_KIND_OF, protectedIndexKey, rawIndexKey, type IndexEntry, type IndexKind, type ReferenceKind } from './index-keys';

/** SCO types whose `value` is an identifier of one kind. */
const VALUE_KINDS: Readonly<Record<string, IndexKind>> = {
  'email-addr': 'EMAIL',
  'phone-number': 'PHONE',
  'ipv4-addr': 'IPV4',
  'ipv6-addr': 'IPV6',
  'domain-name': 'DOMAIN',
  url: 'URL',
  'cryptocurrency-wallet': 'WALLET',
};

/** STIX hash names (and the spellings seen in the wild) → kind. */
const HASH_KINDS: Readonly<Record<string, IndexKind>> = {
  MD5: 'MD5',
  'SHA-1': 'SHA1',
  SHA1: 'SHA1',
  'SHA-256': 'SHA256',
  SHA256: 'SHA256',
  'SHA-512': 'SHA512',
  SHA512: 'SHA512',
};

/** The index kind of each hash domain (the reverse of PROTECTED_KIND_OF). */
const INDEX_KIND_OF = new Map(Object.entries(PROTECTED_KIND_OF).map(([kind, domain]) => [domain, kind as IndexKind]));

/** The index kind of a protected property, as the publishing pipeline protects it (the protection extension is keyed by property). */
function protectedKindOf(type: string, prop: string): IndexKind | undefined {
  const domain: ProtectedKind | undefined = protectedKindOfProperty(type, prop);
  return domain && INDEX_KIND_OF.get(domain);
}

/** Kinds that a reference path such as `email-message:from_ref.value` may lead to. */
const REF_KINDS: ReadonlySet<string> = new Set(['EMAIL', 'IPV4', 'IPV6', 'DOMAIN', 'URL']);

const HEX_HMAC = /^[0-9a-f]{64}$/i;

type Doc = Record<string, unknown>;

/**
 * Every (kind, key) a stored STIX object is found by: the values of identifier SCOs, the positive
 * equality tests of STIX indicator patterns, protected values (the keys of Cairn's protection
 * extension, or the legacy x_cairn_protected), and the
 * references of relationships and sightings. Values are
 * normalised as the lookup normalises its input; values that do not normalise are not indexed.
 * Never throws on odd documents: indexing must not fail a publish.
 */
export function indexEntriesOf(doc: Doc): IndexEntry[] {
  const out = new Map<string, IndexEntry>();
  const add = (kind: IndexKind | ReferenceKind, key: string) => out.set(`${kind}\u0000${key}`, { kind, key });
  const addRaw = (kind: IndexKind, value: unknown) => {
    // A protected rendering is indexed by its key (protectionsOf, protectedComparison), never as a raw value.
    if (typeof value !== 'string' || value === PROTECTED_PLACEHOLDER || keyOfRendering(value) !== undefined) return;
    const n = normaliseAs(kind as Parameters<typeof normaliseAs>[0], value);
    if (n.ok) add(kind, rawIndexKey(n.value));
  };
  const type = typeof doc.type === 'string' ? doc.type : '';

  for (const [prop, hex] of Object.entries(protectionKeysOf(doc))) {
    const kind = protectedKindOf(type, prop);
    if (kind) add(kind, protectedIndexKey(hex));
  }

  if (VALUE_KINDS[type]) addRaw(VALUE_KINDS[type], doc.value);
  else if (type === 'file') addHashes(doc.hashes, addRaw);
  else if (type === 'user-account') addHandle(doc.account_type, doc.account_login, add);
  else if (type === 'indicator' && (doc.pattern_type ?? 'stix') === 'stix') addPattern(doc.pattern, addRaw, add);
  else if (type === 'relationship') {
    if (isStixId(doc.source_ref)) add('REL_SOURCE', doc.source_ref);
    if (isStixId(doc.target_ref)) add('REL_TARGET', doc.target_ref);
  } else if (type === 'sighting' && isStixId(doc.sighting_of_ref)) add('SIGHTING_OF', doc.sighting_of_ref);
  return [...out.values()];
}

function isStixId(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 300 && /^[a-z0-9-]+--[0-9a-f-]{36}$/.test(v);
}

function addHashes(hashes: unknown, addRaw: (kind: IndexKind, value: unknown) => void): void {
  if (!hashes || typeof hashes !== 'object') return;
  for (const [name, value] of Object.entries(hashes as Record<string, unknown>)) {
    const kind = HASH_KINDS[name.toUpperCase()] ?? HASH_KINDS[name];
    if (kind) addRaw(kind, value);
  }
}

function addHandle(accountType: unknown, login: unknown, add: (kind: IndexKind, key: string) => void): void {
  if (
    typeof accountType !== 'string' ||
    typeof login !== 'string' ||
    login === PROTECTED_PLACEHOLDER ||
    keyOfRendering(login) !== undefined
  )
    return;
  const n = normaliseHandle(`${accountType}:${login}`);
  if (n.ok) add('HANDLE', rawIndexKey(n.value));
}

function addPattern(
  pattern: unknown,
  addRaw: (kind: IndexKind, value: unknown) => void,
  add: (kind: IndexKind, key: string) => void,
): void {
  const parsed = tryParsePattern(pattern);
  if (!parsed.ok) return;
  const comparisons = extractComparisons(parsed.ast);
  for (const c of comparisons) {
    const hashed = protectedComparison(c);
    if (hashed) add(hashed.kind, protectedIndexKey(hashed.hex));
    const kind = kindOfComparison(c);
    if (kind) addRaw(kind, c.value);
  }
  // A handle needs its platform: pair logins with the pattern's account_type when it names exactly one.
  const accountTypes = new Set(comparisons.filter((c) => c.type === 'user-account' && c.path === 'account_type').map((c) => c.value));
  if (accountTypes.size !== 1) return;
  const [accountType] = accountTypes;
  for (const c of comparisons) if (c.type === 'user-account' && c.path === 'account_login') addHandle(accountType, c.value, add);
}

/**
 * A test the publishing pipeline rewrote to compare a protected value: `[email-addr:value =
 * '<hex>@protected.invalid']`, or through a reference, `[email-message:from_ref.value = '<hex>@protected.invalid']`;
 * or the key itself in the protection extension's path, `[email-addr:extensions.'extension-definition--…'.value = '<hex>']`,
 * or, as stored before, `[email-addr:x_cairn_protected.value = '<hex>']`.
 */
function protectedComparison(c: EqualityComparison): { kind: IndexKind; hex: string } | undefined {
  if (typeof c.value !== 'string') return undefined;
  const viaExtension = extensionPathProperty(c);
  if (viaExtension) {
    if (!HEX_HMAC.test(c.value)) return undefined;
    const kind =
      viaExtension.prefix === 0
        ? protectedKindOf(c.type, viaExtension.prop)
        : c.type === 'email-message' && viaExtension.prop === 'value'
          ? 'EMAIL'
          : undefined;
    return kind ? { kind, hex: c.value.toLowerCase() } : undefined;
  }
  const rendered = keyOfRendering(c.value);
  const legacy = /^(?:(.*)\.)?x_cairn_protected\.([a-z0-9_]+)$/.exec(c.path);
  const hex = rendered ?? (legacy && HEX_HMAC.test(c.value) ? c.value : undefined);
  if (!hex) return undefined;
  const m = legacy ?? /^(?:(.*)\.)?([a-z0-9_]+)$/.exec(c.path);
  if (!m) return undefined;
  const kind = m[1] === undefined ? protectedKindOf(c.type, m[2]) : c.type === 'email-message' && m[2] === 'value' ? 'EMAIL' : undefined;
  return kind ? { kind, hex } : undefined;
}

/** `…extensions.'<protection extension id>'.<prop>`: the property and how many steps (references) come before. */
function extensionPathProperty(c: EqualityComparison): { prop: string; prefix: number } | undefined {
  const s = c.steps;
  const n = s.length;
  if (n < 3) return undefined;
  const [ext, id, last] = [s[n - 3], s[n - 2], s[n - 1]];
  if (
    ext.kind !== 'property' ||
    ext.name !== 'extensions' ||
    id.kind !== 'property' ||
    id.name !== CAIRN_PROTECTION_EXTENSION_ID ||
    last.kind !== 'property'
  )
    return undefined;
  return { prop: last.name, prefix: n - 3 };
}

function kindOfComparison(c: EqualityComparison): IndexKind | undefined {
  if (typeof c.value !== 'string') return undefined;
  if (c.path === 'value' && VALUE_KINDS[c.type]) return VALUE_KINDS[c.type];
  const hash = /^hashes\.'?([A-Za-z0-9-]+)'?$/.exec(c.path);
  if (hash) return HASH_KINDS[hash[1].toUpperCase()];
  // References to other observables (email-message:from_ref.value, network-traffic:dst_ref.value, …).
  if (/_refs?(\[\*\]|\[\d+\])?\.value$/.test(c.path)) {
    const detected = detectIdentifierType(c.value);
    return REF_KINDS.has(detected) ? (detected as IndexKind) : undefined;
  }
  return undefined;
}
