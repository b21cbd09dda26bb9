import { createHash } from 'node:crypto';
import type { ProtectedKind } from '@cairn/intel';

/** What an index row says a value is. The detectable kinds are libs/stix IdentifierType names. */
export const INDEX_KINDS = [
  'EMAIL',
  'PHONE',
  'IPV4',
  'IPV6',
  'DOMAIN',
  'URL',
  'MD5',
  'SHA1',
  'SHA256',
  'SHA512',
  'WALLET',
  'HANDLE',
  'PERSON_NAME',
  'POSTAL_ADDRESS',
  'BANK_ACCOUNT',
] as const;
export type IndexKind = (typeof INDEX_KINDS)[number];

/**
 * The hash domain (the publishing pipeline's ProtectedKind) of each kind that may be stored as a
 * keyed hash. Network indicators are shared as they are and have none.
 */
export const PROTECTED_KIND_OF: Readonly<Partial<Record<IndexKind, ProtectedKind>>> = {
  EMAIL: 'email',
  PHONE: 'phone',
  PERSON_NAME: 'person-name',
  POSTAL_ADDRESS: 'postal-address',
  BANK_ACCOUNT: 'bank-account',
};

/**
 * References, indexed beside the identifiers for the lookup's context query: a relationship under
 * the ids of both its ends, a sighting under the id of what it sights. (The same lookups on
 * `doc->>'source_ref'` cannot use an expression index under row-level security: `->>` is not
 * leakproof, so PostgreSQL must apply the policy before it, and scans every relationship.)
 */
export const REFERENCE_KINDS = ['REL_SOURCE', 'REL_TARGET', 'SIGHTING_OF'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** One (kind, key) an object is found by. */
export interface IndexEntry {
  kind: IndexKind | ReferenceKind;
  key: string;
}

// Longer normalised values (URLs, mostly) are keyed by their SHA-256 so that every key fits a
// btree entry (PostgreSQL refuses entries over ~2.7 kB, and a refused row would fail a publish).
const MAX_PLAIN_KEY = 512;

/** The index key of a normalised raw value. Deterministic: the lookup computes the same from its input. */
export function rawIndexKey(normalised: string): string {
  return normalised.length > MAX_PLAIN_KEY ? `sha256:${createHash('sha256').update(normalised, 'utf8').digest('hex')}` : normalised;
}

/** The index key of a protected value, from the hex HMAC stored in the protection extension (or legacy x_cairn_protected). */
export function protectedIndexKey(hexHmac: string): string {
  return `hmac:${hexHmac.toLowerCase()}`;
}
