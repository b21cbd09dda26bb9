import type { CursorCipher } from '@cairn/intel';
import { badQuery } from './taxii.errors';

/**
 * `next` tokens: the feed position a page ended at, sealed (CursorCipher) for the tenant and the
 * collection it was issued for, so a token reveals nothing about other members' writes and opens
 * nowhere else. A token may be reused (the same position gives the same token).
 */
export class NextTokens {
  constructor(private readonly cipher: CursorCipher) {}

  encode(tenantId: string, collectionId: string, seq: string): string {
    return this.cipher.seal('taxii', `${tenantId}|${collectionId}`, seq);
  }

  /** The feed position a token stands for; 400 for anything this server did not issue to this tenant for this collection. */
  decode(tenantId: string, collectionId: string, token: string): string {
    const seq = this.cipher.open('taxii', `${tenantId}|${collectionId}`, token);
    if (seq === undefined) throw badQuery('next is not a token this server issued for this collection');
    return seq;
  }
}
