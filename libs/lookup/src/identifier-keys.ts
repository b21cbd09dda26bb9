import {
  MAX_IDENTIFIER_LENGTH,
  normaliseEmailWithLegacy,
  normaliseHandle,
  normaliseHandleOn,
  normaliseIp,
  normalisePhoneWithLegacy,
  normaliseSha256,
  normaliseWallet,
  type Normalised,
} from '@cairn/stix';
import { normaliseProtected, protectedKey } from '@cairn/intel';
import { PROTECTED_KIND_OF, protectedIndexKey, rawIndexKey, type IndexEntry, type IndexKind } from './index-keys';

/**
 * The one door from a typed identifier (an applicant's e-mail, a watched phone, …) to the index
 * keys it may be stored under. Publishing (index-entries, intel's protection), looking up
 * (identifier-input), screening and watching all normalise through libs/stix/src/normalise, so a
 * value matches however it was written on either side; this file adds what a typed field needs
 * (which normaliser, a default country for phones, a platform for handles) and the keys.
 */
export const APPLICANT_FIELDS = ['EMAIL', 'PHONE', 'HANDLE', 'NAME', 'RESUME_HASH', 'IP', 'WALLET', 'ADDRESS'] as const;
export type ApplicantField = (typeof APPLICANT_FIELDS)[number];

/** A typed value, normalised: its index kind, canonical form, and the forms it was keyed under before (still probed). */
export interface TypedIdentifier {
  kind: IndexKind;
  normalised: string;
  legacy: string[];
}

export interface FieldOptions {
  /** ISO 3166 alpha-2: the country a phone number without country code is read in. */
  country?: string;
  /** A handle's platform, when given apart from the value. */
  platform?: string;
}

const lift = (kind: IndexKind, n: Normalised<{ legacy?: string[] }>): Normalised<TypedIdentifier> =>
  n.ok ? { ok: true, value: n.value, kind, normalised: n.value, legacy: n.legacy ?? [] } : n;

/** Normalises one value of a typed field, or says why it cannot be matched (never throws). */
export function normaliseField(field: ApplicantField, value: unknown, opts: FieldOptions = {}): Normalised<TypedIdentifier> {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, reason: 'empty value' };
  if (value.length > MAX_IDENTIFIER_LENGTH) return { ok: false, reason: `longer than ${MAX_IDENTIFIER_LENGTH} characters` };
  switch (field) {
    case 'EMAIL':
      return lift('EMAIL', normaliseEmailWithLegacy(value));
    case 'PHONE':
      return lift('PHONE', normalisePhoneWithLegacy(value, opts.country));
    case 'HANDLE':
      return lift('HANDLE', opts.platform !== undefined ? normaliseHandleOn(opts.platform, value) : normaliseHandle(value));
    case 'NAME':
      return lift('PERSON_NAME', normaliseProtected('person-name', value));
    case 'ADDRESS':
      return lift('POSTAL_ADDRESS', normaliseProtected('postal-address', value));
    case 'RESUME_HASH':
      return lift('SHA256', normaliseSha256(value));
    case 'IP': {
      const ip = normaliseIp(value);
      return ip.ok ? lift(ip.family === 4 ? 'IPV4' : 'IPV6', { ok: true, value: ip.value }) : ip;
    }
    case 'WALLET':
      return lift('WALLET', normaliseWallet(value));
  }
}

// Names and postal addresses are only ever stored as keyed hashes: a raw key would never match.
const PROTECTED_ONLY: ReadonlySet<IndexKind> = new Set(['PERSON_NAME', 'POSTAL_ADDRESS', 'BANK_ACCOUNT']);

/**
 * Every index key a normalised value may be stored under: its raw key (network indicators, and
 * anything published unprotected), and for personal data the keyed hash of the canonical form and
 * of each legacy form — a protected value's raw form is gone, so its index row cannot be rebuilt
 * when normalisation improves (see migration 1766000700000); probing the old form keeps it findable.
 */
export function identifierKeys(id: TypedIdentifier, secret: string): IndexEntry[] {
  const keys: IndexEntry[] = PROTECTED_ONLY.has(id.kind) ? [] : [{ kind: id.kind, key: rawIndexKey(id.normalised) }];
  const domain = PROTECTED_KIND_OF[id.kind];
  if (domain)
    for (const form of [id.normalised, ...id.legacy])
      keys.push({ kind: id.kind, key: protectedIndexKey(protectedKey(domain, form, secret)) });
  return keys;
}
