import type { EntityManager } from 'typeorm';
import { setViewer, type AccessScope } from '@cairn/access';
import type { StoredObjectsService } from '@cairn/intel';

/** A watched entry whose keys the index rows of a stored version hash to (before visibility). */
export interface WatchCandidate {
  tenant_id: string;
  entry_id: string;
  /** The version carrying the identifier. */
  object_pk: string;
  /** The event's own version: the same when published, the sighting when sighted. */
  via_pk: string;
  event: 'PUBLISHED' | 'SIGHTED';
  /** The crowd cell the event's version was indexed under. */
  cell_sector: string | null;
  cell_area: string | null;
}

/** Takes up to `limit` stored batches from the outbox, in the caller's transaction; their version pks. */
export async function takeStoredBatches(m: EntityManager, limit: number): Promise<string[]> {
  const rows: Array<{ object_pks: string[] }> = await m.query(`SELECT object_pks::text[] AS object_pks FROM cairn_watch_take($1)`, [limit]);
  return rows.flatMap((r) => r.object_pks);
}

/** Every watched entry the identifiers of these versions (or of what they sight) match, across tenants. */
export async function watchCandidates(
  m: EntityManager,
  pks: readonly string[],
  blocks: { inner: Buffer; outer: Buffer },
): Promise<WatchCandidate[]> {
  if (pks.length === 0) return [];
  return m.query(
    `SELECT tenant_id, entry_id, object_pk::text AS object_pk, via_pk::text AS via_pk, event, cell_sector, cell_area FROM cairn_watch_candidates($1::bigint[], $2, $3)`,
    [pks, blocks.inner, blocks.outer],
  );
}

/**
 * Records, as the watcher, the hits among its candidates that it may see: both the version that
 * carries the identifier and the event's own version are current versions the watcher may see
 * (intel's StoredObjectsService, row-level security again: the lookup's rule, so a version corrected
 * since, a revocation or a sighting of a revoked object is no hit), and the watcher's own writes are
 * not news to it. The cell is the one the event's version was indexed under (a crowd cell, never a
 * member). Returns the new hits' ids (one per entry, event version and kind of event).
 */
export async function recordHits(
  m: EntityManager,
  objects: StoredObjectsService,
  scope: AccessScope,
  candidates: readonly WatchCandidate[],
): Promise<string[]> {
  await setViewer(m, scope);
  const visible = await objects.currentVisiblePublishers(m, scope, [...new Set(candidates.flatMap((c) => [c.object_pk, c.via_pk]))]);
  const hits = new Map<string, WatchCandidate>();
  for (const c of candidates) {
    const via = visible.get(c.via_pk);
    if (!via || via === scope.tenantId || !visible.has(c.object_pk)) continue;
    hits.set(`${c.entry_id}|${c.via_pk}|${c.event}`, c);
  }
  if (hits.size === 0) return [];
  const list = [...hits.values()];
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO watch_hit (tenant_id, entry_id, reference, kind, event, object_pk, cell_sector, cell_area)
     SELECT $1::uuid, e.id, e.reference, e.kind, c.event, c.via_pk, c.cell_sector, c.cell_area
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[]) AS c(entry_id, via_pk, event, cell_sector, cell_area)
       JOIN watch_entry e ON e.id = c.entry_id AND e.tenant_id = $1::uuid AND e.expires_at > now()
     ON CONFLICT (entry_id, object_pk, event) DO NOTHING
     RETURNING id::text`,
    [
      scope.tenantId,
      list.map((c) => c.entry_id),
      list.map((c) => c.via_pk),
      list.map((c) => c.event),
      list.map((c) => c.cell_sector),
      list.map((c) => c.cell_area),
    ],
  );
  return rows.map((r) => r.id);
}

/** A pending delivery of each new hit to each of the watcher's webhooks (as the watcher). */
export async function queueDeliveries(m: EntityManager, tenantId: string, hitIds: readonly string[]): Promise<number> {
  if (hitIds.length === 0) return 0;
  const rows: unknown[] = await m.query(
    `INSERT INTO webhook_delivery (tenant_id, webhook_id, hit_id)
     SELECT $1::uuid, w.id, h.id FROM webhook w CROSS JOIN unnest($2::bigint[]) AS h(id) WHERE w.tenant_id = $1::uuid
     RETURNING id`,
    [tenantId, hitIds],
  );
  return rows.length;
}
