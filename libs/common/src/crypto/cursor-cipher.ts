import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What a cursor is for: GraphQL feed positions (objects, feed, subscriptions, reported sightings),
 * TAXII `next` tokens, export continuations, watchlist hits or audit entries. A token of one
 * purpose never opens as another.
 */
export type CursorPurpose = 'graphql' | 'taxii' | 'export' | 'watch' | 'audit';

const VERSION = 1;
const IV_BYTES = 12;
const SEQ_BYTES = 8;
const TAG_BYTES = 16;
/** A token holds one position (feed cursors) or two (export: snapshot horizon and position). */
const TOKEN_CHARS: Record<number, number> = { 1: 50, 2: 60 };
const MAX_SEQ = 9223372036854775807n;
/** Purposes whose tokens seal more than the positions of rows served to the viewer (see CursorCipher). */
const RANDOMISED: ReadonlySet<CursorPurpose> = new Set(['export']);

/**
 * Feed positions sealed for one viewer. The exchange-wide sequence number behind a cursor counts
 * every member's writes, so a readable one would let a member count the writes it may not see
 * between two of its own results. A cursor is therefore AES-256-GCM of the position, with the
 * purpose and the viewer's tenant (and, for TAXII, the collection) as associated data: it reads as
 * random bytes, and opens only for the tenant it was issued to.
 *
 * Deterministic (the IV is an HMAC of what is sealed, as in SIV): the same position gives the same
 * cursor to the same viewer, so clients may compare cursors; equal cursors tell only that two of
 * the viewer's own results are the same row, which it knows anyway. That holds only while what is
 * sealed is the position of a row the viewer was served. An export cursor also seals its snapshot
 * horizon, the exchange-wide feed head, which moves with every member's writes: sealed
 * deterministically, two exports of the same page would give equal cursors exactly when no one at
 * all wrote in between. So export cursors (RANDOMISED) get a random IV: never equal, they compare
 * to nothing, and no client needs them to (each continues its own export).
 */
export class CursorCipher {
  private readonly encKey: Buffer;
  private readonly ivKey: Buffer;

  constructor(secret: string) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'cairn-cursor', info, 32));
    this.encKey = derive('aes-256-gcm key');
    this.ivKey = derive('synthetic iv key');
  }

  /** The opaque token of feed position `seq` for `bindTo` (e.g. the viewer's tenant id). */
  seal(purpose: CursorPurpose, bindTo: string, seq: string | bigint): string {
    return this.sealAll(purpose, bindTo, [seq]);
  }

  /** The position a token stands for, or undefined for anything not sealed by this key for this purpose and binding. */
  open(purpose: CursorPurpose, bindTo: string, token: unknown): string | undefined {
    return this.openAll(purpose, bindTo, token, 1)?.[0];
  }

  /** One token for several positions (1 or 2), sealed together: the same token each time, unless the purpose is RANDOMISED. */
  sealAll(purpose: CursorPurpose, bindTo: string, seqs: ReadonlyArray<string | bigint>): string {
    const plain = Buffer.alloc(SEQ_BYTES * seqs.length);
    seqs.forEach((seq, i) => plain.writeBigUInt64BE(BigInt(seq), i * SEQ_BYTES));
    const aad = Buffer.from(`${VERSION}|${purpose}|${bindTo}`);
    // 96-bit random IVs: far below GCM's 2^32-messages-per-key bound for cursors of one exchange.
    const iv = RANDOMISED.has(purpose) ? randomBytes(IV_BYTES) : this.syntheticIv(aad, plain);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The `count` positions of a token from sealAll, or undefined for anything else. */
  openAll(purpose: CursorPurpose, bindTo: string, token: unknown, count: number): string[] | undefined {
    const chars = TOKEN_CHARS[count];
    if (typeof token !== 'string' || token.length !== chars || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
    const raw = Buffer.from(token, 'base64url');
    const seqBytes = SEQ_BYTES * count;
    if (raw.length !== 1 + IV_BYTES + seqBytes + TAG_BYTES || raw[0] !== VERSION) return undefined;
    const iv = raw.subarray(1, 1 + IV_BYTES);
    const body = raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + seqBytes);
    const tag = raw.subarray(1 + IV_BYTES + seqBytes);
    const aad = Buffer.from(`${VERSION}|${purpose}|${bindTo}`);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      return undefined;
    }
    // (The GCM tag already authenticates; the synthetic IV check keeps deterministic tokens canonical.)
    if (!RANDOMISED.has(purpose) && !timingSafeEqual(iv, this.syntheticIv(aad, plain))) return undefined;
    const seqs = Array.from({ length: count }, (_x, i) => plain.readBigUInt64BE(i * SEQ_BYTES));
    return seqs.every((seq) => seq <= MAX_SEQ) ? seqs.map(String) : undefined;
  }

  private syntheticIv(aad: Buffer, plain: Buffer): Buffer {
    return createHmac('sha256', this.ivKey).update(aad).update(plain).digest().subarray(0, IV_BYTES);
  }
}
