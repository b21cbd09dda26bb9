import { badQuery } from './taxii.errors';

// Versioned so that the token can change shape later without old ones being misread.
const PREFIX = 'taxii1:';

/** The opaque `next` of a page that ended at feed position `seq`. Clients must not build these. */
export function encodeNext(seq: string): string {
  return Buffer.from(`${PREFIX}${seq}`).toString('base64url');
}

/** The feed position a `next` token stands for; 400 for anything this server did not issue. */
export function decodeNext(token: string): string {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const m = /^taxii1:(\d{1,19})$/.exec(text);
  if (!m || BigInt(m[1]) > 9223372036854775807n) throw badQuery('next is not a token this server issued');
  return m[1];
}
