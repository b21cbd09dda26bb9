import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, CursorCipher, type CairnConfig } from '@cairn/common';
import { IntelError, IntelErrorCode } from './intel.errors';

// The cipher lives in @cairn/common (the audit log seals its entry ids with it too); intel's callers import it from here.
export { CursorCipher, type CursorPurpose } from '@cairn/common';

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

  /**
   * The continuation of an export: its snapshot horizon (the feed head when it began) and the
   * position reached, for the viewer's tenant and that filter only (`filterKey`), so that a cursor
   * is not replayed against another filter, where its position would mean nothing. A new token
   * each time, even for the same page (the horizon counts everyone's writes: CursorCipher).
   */
  encodeExport(viewer: { tenantId: string }, filterKey: string, horizon: string, seq: string): string {
    return this.cipher.sealAll('export', `${viewer.tenantId}|${filterKey}`, [horizon, seq]);
  }

  /** The horizon and position of an export cursor; BAD_USER_INPUT naming `after` for anything else (another filter included). */
  decodeExport(viewer: { tenantId: string }, filterKey: string, cursor: string): { horizon: string; seq: string } {
    const seqs = this.cipher.openAll('export', `${viewer.tenantId}|${filterKey}`, cursor, 2);
    if (!seqs)
      throw new IntelError(IntelErrorCode.INVALID_CURSOR, 'Not an export cursor this server issued to you for this filter', 'after');
    return { horizon: seqs[0], seq: seqs[1] };
  }
}
