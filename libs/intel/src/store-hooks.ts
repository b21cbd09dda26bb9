import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sideBySide, type Audience, type SqlParams, type Statement } from '@cairn/access';
import { isTlpMarkingRef, tlpMarkingRef, type Tlp } from '@cairn/stix';
import type { PlannedSharing } from './audience/plan';
import { knowledgeOf, type AudienceKnowledge } from './audience/intersect';
import { insertObjects, type InsertedVersion, type NewObjectRow } from './object-store';

/** Versions about to be stored in one statement, all with one audience. */
export interface PendingBatch {
  audience: Audience;
  tlp: Tlp;
  rows: readonly NewObjectRow[];
}

/**
 * A store hook writes what belongs with stored versions (the identifier index, sighting facts)
 * without reaching into this module's tables: it returns the body of a data-modifying CTE (an
 * INSERT … SELECT into its own table joining `storedVersions` on `row`, the index into `rows`), or
 * null, adding its parameters to `p`. `storedVersions` names the set of versions this statement
 * inserted: pk, id, type, modified, feed_seq, date_added, publisher_tenant_id, distribution,
 * audience_sectors, audience_countries, audience_group_id, audience_recipients, and `row`. The CTE is
 * part of the statement that inserts the versions, so it commits with them or not at all, and sees
 * only the versions actually inserted (an existing version is left alone and not hooked again).
 */
export type StoreHook = (batch: PendingBatch, p: SqlParams, storedVersions: string) => string | null;

/** Runs before the insert and may amend the rows' documents (not which rows there are). */
export type PrepareHook = (manager: EntityManager, audience: Audience, rows: readonly NewObjectRow[]) => Promise<void>;

/**
 * The store hooks of the modules that act on stored versions, and the one way versions are stored.
 * Modules register their hooks in their constructors, not in onModuleInit: an app stores before it
 * is initialised too (main.ts loads the demo before listen), and every store must run every hook.
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

  /**
   * How every write path stores versions, in the caller's transaction: the prepare hooks, then one
   * statement that inserts the versions and everything the store hooks write with them.
   */
  async insert(
    manager: EntityManager,
    audience: Audience,
    tlp: Tlp,
    rows: NewObjectRow[],
    knowledge?: AudienceKnowledge,
  ): Promise<InsertedVersion[]> {
    if (rows.length === 0) return [];
    await this.prepare(manager, [{ audience, rows }]);
    const batch: PendingBatch = { audience, tlp, rows };
    return insertObjects(manager, audience, tlp, rows, (p, storedVersions) => this.hookSql(batch, p, storedVersions), { knowledge });
  }

  /**
   * Stores rows each with its own planned sharing (planReferenceAudiences): one insert per distinct
   * audience and TLP, a narrowed row's TLP marking set to its planned TLP (its other markings kept).
   * Every prepare hook runs before the first insert, which takes the feed lock. With `commit`, the
   * last insert is the transaction's last statement, committed right behind it (insertObjects).
   * `alongside` (the caller's audit entry, say) runs side by side with the prepare hooks, before the
   * first insert; `before` goes ahead of the first insert, in its round trip.
   */
  async insertPlanned(
    manager: EntityManager,
    plan: ReadonlyMap<string, PlannedSharing>,
    rows: NewObjectRow[],
    opts: { commit?: boolean; alongside?: () => Promise<unknown>; before?: Statement[] } = {},
  ): Promise<InsertedVersion[]> {
    const list = groupPlanned(plan, rows);
    await this.prepare(
      manager,
      list.map((g) => ({ audience: g.sharing.audience, rows: g.rows })),
      opts.alongside,
    );
    const inserted: InsertedVersion[] = [];
    for (const [i, g] of list.entries()) {
      const batch: PendingBatch = { audience: g.sharing.audience, tlp: g.sharing.tlp, rows: g.rows };
      inserted.push(
        ...(await insertObjects(
          manager,
          batch.audience,
          batch.tlp,
          batch.rows,
          (p, storedVersions) => this.hookSql(batch, p, storedVersions),
          {
            commit: opts.commit && i === list.length - 1,
            before: i === 0 ? opts.before : undefined,
            knowledge: knowledgeOf(g.sharing),
          },
        )),
      );
    }
    return inserted;
  }

  /**
   * What insertPlanned would store, without storing: the same TLP markings and the same prepare
   * hooks (which only read and complete the documents), so a preview shows the stored documents.
   */
  async previewPlanned(manager: EntityManager, plan: ReadonlyMap<string, PlannedSharing>, rows: NewObjectRow[]): Promise<void> {
    await this.prepare(
      manager,
      groupPlanned(plan, rows).map((g) => ({ audience: g.sharing.audience, rows: g.rows })),
    );
  }

  /**
   * Every prepare hook on every group, side by side (sideBySide: their reads go to the server
   * together). The hooks are independent of each other: each reads what it needs and completes its
   * own part of the documents or its own state; a group's rows are distinct from another's.
   */
  private async prepare(
    manager: EntityManager,
    groups: ReadonlyArray<{ audience: Audience; rows: readonly NewObjectRow[] }>,
    alongside?: () => Promise<unknown>,
  ): Promise<void> {
    const steps = groups.flatMap((g) => this.prepareHooks.map((hook) => (): Promise<unknown> => hook(manager, g.audience, g.rows)));
    await sideBySide(manager, alongside ? [alongside, ...steps] : steps);
  }

  private hookSql(batch: PendingBatch, p: SqlParams, storedVersions: string): string[] {
    return this.hooks.map((hook) => hook(batch, p, storedVersions)).filter((sql): sql is string => sql !== null);
  }
}

/**
 * Rows by their planned audience and TLP, each row's TLP marking set to its planned TLP: a narrowed
 * row's is stricter than asked. Set on every row that carries markings, not only the narrowed ones,
 * so that a document planned again (PublishService's retry after its recheck refused) carries no
 * marking left from an earlier plan.
 */
function groupPlanned(
  plan: ReadonlyMap<string, PlannedSharing>,
  rows: NewObjectRow[],
): Array<{ sharing: PlannedSharing; rows: NewObjectRow[] }> {
  const groups = new Map<string, { sharing: PlannedSharing; rows: NewObjectRow[] }>();
  for (const row of rows) {
    const planned = plan.get(row.id)!;
    if (planned.narrowedBy || Array.isArray(row.doc.object_marking_refs))
      row.doc.object_marking_refs = withTlp(row.doc.object_marking_refs, planned.tlp);
    const key = JSON.stringify([planned.audience, planned.tlp, knowledgeOf(planned) ?? null]);
    const group = groups.get(key) ?? { sharing: planned, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Marking references with the TLP marking replaced by `tlp`'s (other markings kept). */
function withTlp(refs: unknown, tlp: Tlp): string[] {
  const others = Array.isArray(refs) ? (refs as unknown[]).filter((r): r is string => typeof r === 'string' && !isTlpMarkingRef(r)) : [];
  return [tlpMarkingRef(tlp), ...others];
}
