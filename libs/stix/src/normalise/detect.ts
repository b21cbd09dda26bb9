import { normaliseDomain, normaliseUrl } from './domain';
import { normaliseEmail } from './email';
import { normaliseHandle, looksLikeHandle } from './handle';
import { normaliseHash } from './hash';
import { normaliseIpv4, normaliseIpv6 } from './ip';
import { normalisePhone } from './phone';
import { isWalletAddress, normaliseWallet } from './wallet';
import { fail, MAX_IDENTIFIER_LENGTH, type Normalised } from './result';

export type IdentifierType =
  'EMAIL' | 'PHONE' | 'IPV4' | 'IPV6' | 'DOMAIN' | 'URL' | 'MD5' | 'SHA1' | 'SHA256' | 'SHA512' | 'WALLET' | 'HANDLE' | 'UNKNOWN';

const PHONE_LIKE = /^(?:\+|00|\()?[\d\s\-.()\u00a0]{7,30}$/;

const HASH_TYPE = { MD5: 'MD5', 'SHA-1': 'SHA1', 'SHA-256': 'SHA256', 'SHA-512': 'SHA512' } as const;

/** Best guess at what kind of identifier a member typed; UNKNOWN when nothing fits. */
export function detectIdentifierType(input: string): IdentifierType {
  if (typeof input !== 'string') return 'UNKNOWN';
  const text = input.trim();
  if (text === '' || text.length > MAX_IDENTIFIER_LENGTH) return 'UNKNOWN';
  if (looksLikeHandle(text)) return 'HANDLE';
  if (text.includes('://')) return normaliseUrl(text).ok ? 'URL' : 'UNKNOWN';
  if (text.includes('@')) return normaliseEmail(text).ok ? 'EMAIL' : 'UNKNOWN';
  if (isWalletAddress(text)) return 'WALLET';
  const hash = normaliseHash(text);
  if (hash.ok) return HASH_TYPE[hash.algorithm];
  if (normaliseIpv4(text).ok) return 'IPV4';
  if (text.includes(':') && normaliseIpv6(text).ok) return 'IPV6';
  if (PHONE_LIKE.test(text) && text.replace(/\D/g, '').length >= 7) return 'PHONE';
  if (normaliseDomain(text).ok) return 'DOMAIN';
  return 'UNKNOWN';
}

/** Normalises a value as the given identifier type (hashes and wallets lower-cased where case carries no meaning). */
export function normaliseAs(type: IdentifierType, input: string): Normalised {
  switch (type) {
    case 'EMAIL':
      return normaliseEmail(input);
    case 'PHONE':
      return normalisePhone(input);
    case 'IPV4':
      return normaliseIpv4(input);
    case 'IPV6':
      return normaliseIpv6(input);
    case 'DOMAIN':
      return normaliseDomain(input);
    case 'URL':
      return normaliseUrl(input);
    case 'MD5':
    case 'SHA1':
    case 'SHA256':
    case 'SHA512': {
      const h = normaliseHash(input);
      return h.ok && HASH_TYPE[h.algorithm] !== type ? fail(`digest length is ${h.algorithm}`) : h;
    }
    case 'WALLET':
      return normaliseWallet(input);
    case 'HANDLE':
      return normaliseHandle(input);
    case 'UNKNOWN':
      return fail('unrecognised identifier');
  }
}

export { isWalletAddress };

/** Detects the type of `input` and normalises it in one step. */
export function normaliseIdentifier(input: string): { type: IdentifierType } & Normalised {
  const type = detectIdentifierType(input);
  return { type, ...normaliseAs(type, input) };
}
