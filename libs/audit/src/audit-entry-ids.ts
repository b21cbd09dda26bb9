import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, CursorCipher, type CairnConfig } from '@cairn/common';

/**
 * Audit entry ids as their reader sees them. Entries are numbered by one exchange-wide sequence,
 * so a plain id would let a tenant admin count, between two of its own entries, the entries every
 * other member wrote meanwhile (their publishes, sightings, sign-ins, and the `watch.hits` the
 * matcher writes for a watcher of what the admin's tenant just published). The id is therefore
 * sealed for the reader's tenant, as feed and hit cursors are: the same entry gives the same id to
 * the same reader, and an id opens only for the tenant it was given to.
 */
@Injectable()
export class AuditEntryIds {
  private readonly cipher: CursorCipher;

  constructor(@Inject(CAIRN_CONFIG) config: CairnConfig) {
    this.cipher = new CursorCipher(config.cursorSecret);
  }

  seal(reader: { tenantId: string }, id: string): string {
    return this.cipher.seal('audit', reader.tenantId, id);
  }

  /** The entry an id given to this reader stands for, or undefined for anything else. */
  open(reader: { tenantId: string }, token: string): string | undefined {
    return this.cipher.open('audit', reader.tenantId, token);
  }
}
