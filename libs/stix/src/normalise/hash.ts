import { fail, ok, type Normalised } from './result';

export type HashAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-512';

const BY_LENGTH: ReadonlyMap<number, HashAlgorithm> = new Map([
  [32, 'MD5'],
  [40, 'SHA-1'],
  [64, 'SHA-256'],
  [128, 'SHA-512'],
]);
const HEX = /^[0-9a-f]+$/;

/** Lower-case hex digest with its algorithm (STIX hash name) inferred from the length. */
export function normaliseHash(input: string): Normalised<{ algorithm: HashAlgorithm }> {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim().toLowerCase();
  if (text.length > 128 || !HEX.test(text)) return fail('not a hex digest');
  const algorithm = BY_LENGTH.get(text.length);
  if (!algorithm) return fail('length matches no MD5, SHA-1, SHA-256 or SHA-512 digest');
  return ok(text, { algorithm });
}

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * A SHA-256 digest of a file (a résumé hashed on the client): lower-case hex, from hex in any case,
 * with or without a `sha256:` / `sha-256:` prefix, or from its 44-character base64 form.
 */
export function normaliseSha256(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim().replace(/^sha-?256[:=]/i, '');
  if (BASE64_SHA256.test(text)) return ok(Buffer.from(text, 'base64').toString('hex'));
  const h = normaliseHash(text);
  if (!h.ok) return fail('not a SHA-256 digest (64 hex digits, or 44 base64 characters)');
  return h.algorithm === 'SHA-256' ? ok(h.value) : fail(`a ${h.algorithm} digest, not SHA-256`);
}
