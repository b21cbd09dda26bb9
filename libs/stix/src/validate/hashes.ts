import { StixErrorCode as C } from '../errors';
import { childPath, isRecord, type IssueSink } from './context';

/** Hex length of each fixed-size algorithm in hash-algorithm-ov. */
export const HASH_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['MD5', 32],
  ['SHA-1', 40],
  ['SHA-256', 64],
  ['SHA-512', 128],
  ['SHA3-256', 64],
  ['SHA3-512', 128],
]);

const FUZZY = new Set(['SSDEEP', 'TLSH']);
const HEX_RE = /^[0-9A-Fa-f]+$/;
const KEY_RE = /^[A-Za-z0-9_-]{1,250}$/;

const squash = (k: string) => k.toUpperCase().replace(/[-_]/g, '');
// "sha256" or "Sha-256" would otherwise pass as a custom algorithm and escape the length check.
const MISSPELT: ReadonlyMap<string, string> = new Map([...HASH_HEX_LENGTHS.keys(), ...FUZZY].map((k) => [squash(k), k]));

/** Checks a hashes dictionary: known algorithms need hex of the right length; custom names are allowed. */
export function checkHashes(value: unknown, path: string, sink: IssueSink): void {
  if (!isRecord(value)) {
    sink.add(path, C.WRONG_TYPE, 'hashes must be an object');
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    sink.add(path, C.EMPTY_VALUE, 'hashes must have at least one entry');
    return;
  }
  for (const key of keys) {
    const at = childPath(path, key);
    const v = value[key];
    if (typeof v !== 'string' || v.length === 0) {
      sink.add(at, C.WRONG_TYPE, 'a hash value must be a non-empty string');
      continue;
    }
    const length = HASH_HEX_LENGTHS.get(key);
    if (length !== undefined) {
      if (v.length !== length || !HEX_RE.test(v)) sink.add(at, C.INVALID_HASH, `${key} must be ${length} hex digits`);
    } else if (!FUZZY.has(key)) {
      const canonical = MISSPELT.get(squash(key));
      if (canonical) sink.add(at, C.INVALID_HASH, `write the algorithm name as '${canonical}'`);
      else if (!KEY_RE.test(key) || key === '__proto__') sink.add(at, C.INVALID_HASH, 'invalid hash algorithm name');
    }
  }
}
