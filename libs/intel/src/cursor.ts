import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { CAIRN_CONFIG, type CairnConfig } from '@cairn/common';
import { IntelError, IntelErrorCode } from './intel.errors';

/**
 * What a cursor is for: GraphQL feed positions (objects, feed, subscriptions, reported sightings)
 * or TAXII `next` tokens. A token of one purpose never opens as the other.
 */
export type CursorPurpose = 'graphql' | 'taxii';

const VERSION = 1;
const IV_BYTES = 12;
const SEQ_BYTES = 8;
const TAG_BYTES = 16;
const TOKEN_BYTES = 1 + IV_BYTES + SEQ_BYTES + TAG_BYTES;
const TOKEN = /^[A-Za-z0-9_-]{50}$/;
const MAX_SEQ = 9223372036854775807n;

/**
 * Feed positions sealed for one viewer. The exchange-wide sequence number behind a cursor counts
 * every member's writes, so a readable one would let a member count the writes it may not see
 * between two of its own results. A cursor is therefore AES-256-GCM of the position, with the
 * purpose and the viewer's tenant (and, for TAXII, the collection) as associated data: it reads as
 * random bytes, and opens only for the tenant it was issued to.
 *
 * Deterministic (the IV is an HMAC of what is sealed, as in SIV): the same position gives the same
 * cursor to the same viewer, so clients may compare cursors; equal cursors tell only that two of
 * the viewer's own results are the same row, which it knows anyway.
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
    const plain = Buffer.alloc(SEQ_BYTES);
    plain.writeBigUInt64BE(BigInt(seq));
    const aad = Buffer.from(`${VERSION}|${purpose}|${bindTo}`);
    const iv = this.syntheticIv(aad, plain);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The position a token stands for, or undefined for anything not sealed by this key for this purpose and binding. */
  open(purpose: CursorPurpose, bindTo: string, token: unknown): string | undefined {
    if (typeof token !== 'string' || !TOKEN.test(token)) return undefined;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== TOKEN_BYTES || raw[0] !== VERSION) return undefined;
    const iv = raw.subarray(1, 1 + IV_BYTES);
    const body = raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + SEQ_BYTES);
    const tag = raw.subarray(1 + IV_BYTES + SEQ_BYTES);
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
    if (!timingSafeEqual(iv, this.syntheticIv(aad, plain))) return undefined;
    const seq = plain.readBigUInt64BE();
    return seq <= MAX_SEQ ? seq.toString() : undefined;
  }

  private syntheticIv(aad: Buffer, plain: Buffer): Buffer {
    return createHmac('sha256', this.ivKey).update(aad).update(plain).digest().subarray(0, IV_BYTES);
  }
}

/** The GraphQL cursors of one exchange (key from CURSOR_SECRET): the same on every API instance and across restarts. */
@Injectable()
export class FeedCursors {
  readonly cipher: CursorCipher;

  constructor(@Inject(CAIRN_CONFIG) config: CairnConfig) {
    this.cipher = new CursorCipher(config.cursorSecret);
  }

  /** The cursor of feed position `seq`, for the viewer's tenant only. */
  encode(viewer: { tenantId: string }, seq: string | bigint): string {
    return this.cipher.seal('graphql', viewer.tenantId, seq);
  }

  /** The feed position of a cursor issued to the viewer's tenant; BAD_USER_INPUT naming `field` for anything else. */
  decode(viewer: { tenantId: string }, cursor: string, field = 'after'): string {
    const seq = this.cipher.open('graphql', viewer.tenantId, cursor);
    if (seq === undefined) throw new IntelError(IntelErrorCode.INVALID_CURSOR, 'Not a cursor this server issued to you', field);
    return seq;
  }
}
