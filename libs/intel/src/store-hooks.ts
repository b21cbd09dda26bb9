import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Audience } from '@cairn/access';
import type { TlpLevel } from '@cairn/tenancy';

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
}
