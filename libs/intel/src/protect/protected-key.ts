import { createHmac } from 'node:crypto';
import { normaliseEmail, normalisePhone, type Normalised } from '@cairn/stix';

/**
 * Kinds of personal data Cairn stores only as a keyed hash. The kind, not the STIX type, separates
 * the hash domains: a person's name hashes the same whether it came as a persona, an individual
 * identity or an account's display name, so a lookup of that name finds all of them.
 */
export type ProtectedKind = 'email' | 'phone' | 'person-name' | 'postal-address' | 'bank-account';

/** Written into the protection extension's `algorithm`. */
export const PROTECTED_ALGORITHM = 'HMAC-SHA256';

/**
 * What replaced a protected value before protected values were served schema-valid (still read in
 * documents and bundles from before), and what replaces personal data in free text.
 */
export const PROTECTED_PLACEHOLDER = '[protected]';

/** RFC 2606 reserves `.invalid`: an address there is a valid addr-spec that can never be anyone's. */
export const PROTECTED_EMAIL_DOMAIN = 'protected.invalid';

/**
 * What a protected property holds in place of its value: a string of the property's own format that
 * names nobody and carries the key, so that equal values stay equal (and deterministic SCO ids stay
 * distinct and true to what is served). `<key>@protected.invalid` for an e-mail address (a valid
 * addr-spec; 64 hex digits fit the local part), `mailto:<key>@protected.invalid` for a mailto URL,
 * `protected:<key>` for anything else.
 */
export function protectedRendering(type: string, kind: ProtectedKind, key: string): string {
  if (kind !== 'email') return `protected:${key}`;
  return type === 'url' ? `mailto:${key}@${PROTECTED_EMAIL_DOMAIN}` : `${key}@${PROTECTED_EMAIL_DOMAIN}`;
}

const RENDERING = /^(?:protected:([0-9a-f]{64})|(?:mailto:)?([0-9a-f]{64})@protected\.invalid)$/;

/** The key a protected rendering carries, or undefined when `value` is not one. */
export function keyOfRendering(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RENDERING.exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

const SPACES = /\s+/gu;

/**
 * The canonical form a protected value is hashed in: lower-case e-mail (punycode domain), E.164
 * phone, NFKC lower-case single-spaced names and addresses, IBAN / account numbers upper-case
 * without separators. Refuses what cannot be matched reliably (an e-mail without @, a phone without country code).
 */
export function normaliseProtected(kind: ProtectedKind, raw: string): Normalised {
  if (typeof raw !== 'string') return { ok: false, reason: 'not a string' };
  switch (kind) {
    case 'email':
      return normaliseEmail(raw);
    case 'phone':
      return normalisePhone(raw);
    case 'person-name':
    case 'postal-address': {
      const value = raw.normalize('NFKC').toLowerCase().replace(SPACES, ' ').trim();
      return value ? { ok: true, value } : { ok: false, reason: 'empty' };
    }
    case 'bank-account': {
      const value = raw
        .normalize('NFKC')
        .toUpperCase()
        .replace(/[\s\-.]/gu, '');
      return /^[A-Z0-9]{4,64}$/.test(value) ? { ok: true, value } : { ok: false, reason: 'an account number is 4–64 letters and digits' };
    }
  }
}

/**
 * A protected value that does not normalise, as redaction looks for it elsewhere in the bundle: NFKC,
 * trimmed (the matcher folds case and spacing itself); '' when nothing is left.
 */
export function asWritten(raw: string): string {
  return raw.normalize('NFKC').trim();
}

/**
 * The lookup key of a protected value: lower-case hex HMAC-SHA-256 under `secret` of
 * `<kind>:<normalised value>`. Pure and deterministic: the publishing pipeline stores this key
 * and the identifier lookup hashes its input the same way. Pass a value normaliseProtected accepted.
 */
export function protectedKey(kind: ProtectedKind, normalisedValue: string, secret: string): string {
  return createHmac('sha256', secret).update(`${kind}:${normalisedValue}`, 'utf8').digest('hex');
}

/** True for a 64-digit lower-case hex string, the shape protectedKey returns. */
export function isProtectedKey(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
