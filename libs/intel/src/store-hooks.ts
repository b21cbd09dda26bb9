import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Audience } from '@cairn/access';
import type { TlpLevel } from '@cairn/tenancy';
import { insertObjects, type InsertedVersion, type NewObjectRow } from './object-store';

/** Versions just inserted in one statement, all with one audience. */
export interface StoredBatch {
  audience: Audience;
  tlp: TlpLevel;
  objects: Array<{ id: string; type: string; modified: string; feedSeq: string; doc: Record<string, unknown> }>;
}

export type StoreHook = (manager: EntityManager, batch: StoredBatch) => Promise<void>;

/** Runs before the insert and may amend the rows' documents (not which rows there are). */
export type PrepareHook = (manager: EntityManager, audience: Audience, rows: readonly NewObjectRow[]) => Promise<void>;

/**
 * Lets other modules act on stored versions inside the storing transaction (index identifiers,
 * notify feeds) without reaching into this module's tables: a hook that throws undoes the store.
 */
@Injectable()
export class IntelStoreHooks {
  private readonly prepareHooks: PrepareHook[] = [];
  private readonly hooks: StoreHook[] = [];

  /** A hook that completes the documents before they are stored, so they need no second write. */
  registerPrepare(hook: PrepareHook): void {
    this.prepareHooks.push(hook);
  }

  register(hook: StoreHook): void {
    this.hooks.push(hook);
  }

  private async run(manager: EntityManager, batch: StoredBatch): Promise<void> {
    if (batch.objects.length === 0) return;
    for (const hook of this.hooks) await hook(manager, batch);
  }

  /**
   * How every write path stores versions: the prepare hooks, insertObjects, then every hook on the
   * versions actually inserted (an existing version is left alone and not hooked again), in the
   * caller's transaction.
   */
  async insert(manager: EntityManager, audience: Audience, tlp: TlpLevel, rows: NewObjectRow[]): Promise<InsertedVersion[]> {
    if (rows.length === 0) return [];
    for (const hook of this.prepareHooks) await hook(manager, audience, rows);
    const inserted = await insertObjects(manager, audience, tlp, rows);
    await this.run(manager, {
      audience,
      tlp,
      objects: inserted.map((r) => ({ id: r.id, modified: r.modified, feedSeq: r.feedSeq, type: rows[r.row].type, doc: rows[r.row].doc })),
    });
    return inserted;
  }
}
