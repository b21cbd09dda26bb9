import {
  detectIdentifierType,
  legacyEmailForms,
  legacyPhoneForms,
  normaliseAs,
  MAX_IDENTIFIER_LENGTH,
  type IdentifierType,
} from '@cairn/stix';
import { identifierKeys } from './identifier-keys';
import type { IndexEntry, IndexKind } from './index-keys';

/** One value a caller asked about, parsed: what it is, its canonical form, and the index keys it may be stored under. */
export interface ParsedIdentifier {
  type: IdentifierType;
  normalised?: string;
  /** The raw key, and for personal data also the protected (HMAC) keys of its canonical and legacy forms: a value may have been published either way. */
  keys: IndexEntry[];
  error?: string;
}

const LABELS: Readonly<Record<IdentifierType, string>> = {
  EMAIL: 'an e-mail address',
  PHONE: 'a phone number',
  IPV4: 'an IPv4 address',
  IPV6: 'an IPv6 address',
  DOMAIN: 'a domain name',
  URL: 'a URL',
  MD5: 'an MD5 digest',
  SHA1: 'a SHA-1 digest',
  SHA256: 'a SHA-256 digest',
  SHA512: 'a SHA-512 digest',
  WALLET: 'a wallet address',
  HANDLE: 'a handle',
  UNKNOWN: 'nothing known',
};

const UNRECOGNISED =
  'not a recognised identifier: give an e-mail address, a phone number with its country code, an IP address, a domain, a URL, an MD5/SHA-1/SHA-256/SHA-512 digest, a wallet address or a handle such as github:login';

/**
 * Detects, normalises and keys one input value. Values that cannot be parsed come back as
 * UNKNOWN with a reason, never as an exception: one bad line must not spoil a batch.
 */
export function parseIdentifier(value: unknown, secret: string): ParsedIdentifier {
  if (typeof value !== 'string' || value.trim() === '') return { type: 'UNKNOWN', keys: [], error: 'empty value' };
  if (value.length > MAX_IDENTIFIER_LENGTH) return { type: 'UNKNOWN', keys: [], error: `longer than ${MAX_IDENTIFIER_LENGTH} characters` };
  const type = detectIdentifierType(value);
  if (type === 'UNKNOWN') return { type, keys: [], error: UNRECOGNISED };
  const n = normaliseAs(type, value);
  if (!n.ok) return { type: 'UNKNOWN', keys: [], error: `looks like ${LABELS[type]}, but ${n.reason}` };
  const kind: IndexKind = type;
  const legacy = type === 'EMAIL' ? legacyEmailForms(value) : type === 'PHONE' ? legacyPhoneForms(value) : [];
  return { type, normalised: n.value, keys: identifierKeys({ kind, normalised: n.value, legacy }, secret) };
}
