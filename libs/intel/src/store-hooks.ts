import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Audience } from '@cairn/access';
import type { TlpLevel } from '@cairn/tenancy';
import { insertObjects, type NewObjectRow } from './object-store';

/** Versions just inserted in one statement, all with one audience. */
export interface StoredBatch {
  audience: Audience;
  tlp: TlpLevel;
  objects: Array<{ id: string; type: string; modified: string; feedSeq: string; doc: Record<string, unknown> }>;
}

export type StoreHook = (manager: EntityManager, batch: StoredBatch) => Promise<void>;

/**
 * Lets other modules act on stored versions inside the storing transaction (index identifiers,
 * notify feeds) without reaching into this module's tables: a hook that throws undoes the store.
 */
@Injectable()
export class IntelStoreHooks {
  private readonly hooks: StoreHook[] = [];

  register(hook: StoreHook): void {
    this.hooks.push(hook);
  }

  async run(manager: EntityManager, batch: StoredBatch): Promise<void> {
    if (batch.objects.length === 0) return;
    for (const hook of this.hooks) await hook(manager, batch);
  }

  /**
   * How every write path stores versions: insertObjects, then every hook on the versions actually
   * inserted (an existing version is left alone and not hooked again), in the caller's transaction.
   */
  async insert(manager: EntityManager, audience: Audience, tlp: TlpLevel, rows: NewObjectRow[]): Promise<Array<{ id: string; modified: string; feedSeq: string }>> {
    const inserted = await insertObjects(manager, audience, tlp, rows);
    // insertObjects returns `modified` at millisecond precision, as toISOString writes it.
    const versionKey = (id: string, modified: string) => `${id}|${new Date(modified).toISOString()}`;
    const byVersion = new Map(rows.map((r) => [versionKey(r.id, r.modified), r]));
    await this.run(manager, {
      audience,
      tlp,
      objects: inserted.map((r) => {
        const row = byVersion.get(versionKey(r.id, r.modified))!;
        return { ...r, type: row.type, doc: row.doc };
      }),
    });
    return inserted;
  }
}
