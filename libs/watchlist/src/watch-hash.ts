import { createHmac } from 'node:crypto';

/**
 * Watched identifiers are stored as HMAC-SHA-256 of each index key they may be stored under, under
 * a key derived from the exchange's identifier secret: the database holds no value, and a copy of
 * it cannot be matched against a list of phone numbers without the secret.
 */
export function watchKey(identifierSecret: string): Buffer {
  return createHmac('sha256', identifierSecret).update('cairn watchlist key v1').digest();
}

/** The hash of one index key (kind + key), as watch_key stores it. */
export function watchHash(key: Buffer, kind: string, indexKey: string): Buffer {
  return createHmac('sha256', key).update(`${kind}\u0001${indexKey}`, 'utf8').digest();
}

/**
 * The two padded key blocks of HMAC-SHA-256 (RFC 2104: key XOR ipad, key XOR opad), so that the
 * database computes the same hash with its built-in sha256() for the index rows it matches,
 * without being given the key itself. A 32-byte key is shorter than SHA-256's 64-byte block.
 */
export function hmacBlocks(key: Buffer): { inner: Buffer; outer: Buffer } {
  const block = Buffer.alloc(64);
  key.copy(block);
  return { inner: Buffer.from(block.map((b) => b ^ 0x36)), outer: Buffer.from(block.map((b) => b ^ 0x5c)) };
}
