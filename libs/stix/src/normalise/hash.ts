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
