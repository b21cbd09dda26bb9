import { IntelError, IntelErrorCode } from './intel.errors';

/** Opaque cursors over the one feed order (feed_seq). Clients must not build them. */
export function encodeCursor(seq: string | number | bigint): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^seq:(\d{1,19})$/.exec(text);
  if (!m) throw new IntelError(IntelErrorCode.INVALID_CURSOR, 'Not a cursor this server issued', field);
  return m[1];
}
