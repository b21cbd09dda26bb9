import type { EntityManager } from 'typeorm';
import { readAndCommit, SqlParams, visibleTo, type AccessScope } from '@cairn/access';
import { StoredObjectsService } from '@cairn/intel';
import { FeedService } from '@cairn/sightings';
import { TenancyService } from '@cairn/tenancy';
import { indexEntriesOf } from './index-entries';
import type { IndexEntry } from './index-keys';

/** One (slot, kind, key) to match; a slot is one distinct input value, which has a raw and a protected key. */
export interface WantedKey extends IndexEntry {
  slot: number;
}

/** What the visible, current matches of one slot add up to, with their context. */
export interface SlotMatch {
  slot: number;
  /** The member tenants among the matching versions' publishers (null when none). */
  publishers: string[] | null;
  /** The cells the matching versions' publishers were stored under. */
  publishedCells: Array<{ sector: string; area: string }> | null;
  ids: string[];
  firstSeen: Date | null;
  lastSeen: Date | null;
  maxConfidence: number | null;
  latestTlp: string | null;
  /** Names of threat actors / intrusion sets linked by visible relationships (one hop, either direction). */
  actors: string[] | null;
  /** Member tenants that reported visible sightings of the matched objects. */
  sighters: string[] | null;
  /** The cells those sightings were stored under (sighting_fact). */
  sightedCells: Array<{ sector: string; area: string }> | null;
  sightedFirst: Date | null;
  sightedLast: Date | null;
}

// STIX timestamps live inside the jsonb document. Validation has checked them, but a cast that
// fails would fail the whole lookup, so only well-formed text is cast; anything else counts as absent.
export const ts = (alias: string, prop: string) =>
  `(CASE WHEN ${alias}.doc->>'${prop}' ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$' THEN (${alias}.doc->>'${prop}')::timestamptz END)`;
export const FIRST_SEEN = (a: string) => `coalesce(${ts(a, 'first_seen')}, ${ts(a, 'valid_from')}, ${ts(a, 'created')}, ${a}.date_added)`;
export const LAST_SEEN = (a: string) => `coalesce(${ts(a, 'last_seen')}, ${ts(a, 'modified')}, ${ts(a, 'created')}, ${a}.date_added)`;
/** Reporters are member tenants: the exchange's own objects (cell identities, seeded data) count for no one (tenancy's set `members`). */
export const MEMBER = (column: string) => `${column} IN (SELECT id FROM members)`;

/**
 * INSERT … SELECT of index rows from `source`, which yields (object_pk, kind, key) as i and the
 * object version's stored columns as o. The audience columns are copied from the stored version
 * itself (never from the caller), so an index row can never be shared more widely than its object.
 * Idempotent: an existing (object, kind, key) is left as it is.
 */
const indexInsert = (source: string) => `
  INSERT INTO observable_index (object_pk, kind, key, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients,
                                cell_sector, cell_area)
  SELECT o.pk, i.kind, i.key, o.publisher_tenant_id, o.distribution, o.audience_sectors, o.audience_countries, o.audience_group_id, o.audience_recipients,
         i.cell_sector, i.cell_area
    FROM ${source}
  ON CONFLICT DO NOTHING`;

/** The cell an index row names its publisher by: sector and area, or none (the publisher has no cell). */
export type IndexCell = { sector: string; area: string } | null;

/** Column arrays of (reference, kind, key, cell sector, cell area): one element per index entry of each row. */
function entryArrays<R>(
  rows: readonly R[],
  ref: (row: R, i: number) => string | number,
  doc: (row: R) => Record<string, unknown>,
  cell: (row: R) => IndexCell,
): [Array<string | number>, string[], string[], Array<string | null>, Array<string | null>] {
  const out: [Array<string | number>, string[], string[], Array<string | null>, Array<string | null>] = [[], [], [], [], []];
  rows.forEach((r, i) => {
    const c = cell(r);
    for (const e of indexEntriesOf(doc(r))) {
      out[0].push(ref(r, i));
      out[1].push(e.kind);
      out[2].push(e.key);
      out[3].push(c?.sector ?? null);
      out[4].push(c?.area ?? null);
    }
  });
  return out;
}

/**
 * The store hook's CTE: index rows for the versions being stored, joined to `storedVersions` (the
 * set the store hands its hooks, StoreHook) by their position in `rows`, each under the cell `cellOf`
 * gives its object. Null when they have nothing to index.
 */
export function indexStoredVersionsSql(
  rows: ReadonlyArray<{ id: string; doc: Record<string, unknown> }>,
  cellOf: (id: string) => IndexCell,
  p: SqlParams,
  storedVersions: string,
): string | null {
  const [refs, kinds, keys, sectors, areas] = entryArrays(
    rows,
    (_, i) => i,
    (r) => r.doc,
    (r) => cellOf(r.id),
  );
  if (refs.length === 0) return null;
  return indexInsert(`unnest(${p.add(refs)}::int[], ${p.add(kinds)}::text[], ${p.add(keys)}::text[], ${p.add(sectors)}::text[], ${p.add(areas)}::text[])
      AS i("row", kind, key, cell_sector, cell_area)
    JOIN ${storedVersions} o ON o."row" = i."row"`);
}

/** The cell each of these objects' earliest indexed version by this publisher was stored under (one query over the publisher's versions of `ids`, intel's). */
export async function earlierIndexCells(
  objects: StoredObjectsService,
  m: EntityManager,
  publisherId: string,
  ids: readonly string[],
): Promise<Map<string, IndexCell>> {
  if (ids.length === 0) return new Map();
  const rows = await objects.withVersions<{ id: string; sector: string; area: string }>(
    m,
    { publisherId, ids },
    (_p, versions) => `SELECT DISTINCT ON (o.id) o.id, x.cell_sector AS sector, x.cell_area AS area
       FROM ${versions} o JOIN observable_index x ON x.object_pk = o.pk AND x.cell_sector IS NOT NULL
      ORDER BY o.id, o.pk`,
  );
  return new Map(rows.map((r) => [r.id, { sector: r.sector, area: r.area }]));
}

/**
 * Index rows for versions already stored, named by feed sequence number (unique), in one statement
 * (the reindex), on a transaction whose viewer is their publisher. Returns the number of index rows written.
 */
export async function insertIndexEntries(
  objects: StoredObjectsService,
  m: EntityManager,
  rows: ReadonlyArray<{ feedSeq: string; doc: Record<string, unknown>; cell: IndexCell }>,
): Promise<number> {
  const [refs, kinds, keys, sectors, areas] = entryArrays(
    rows,
    (r) => r.feedSeq,
    (r) => r.doc,
    (r) => r.cell,
  );
  if (refs.length === 0) return 0;
  const written = await objects.withVersions(
    m,
    { feedSeqs: rows.map((r) => r.feedSeq) },
    (p, versions) =>
      `${indexInsert(`unnest(${p.add(refs)}::bigint[], ${p.add(kinds)}::text[], ${p.add(keys)}::text[], ${p.add(sectors)}::text[], ${p.add(areas)}::text[])
       AS i(ref, kind, key, cell_sector, cell_area) JOIN ${versions} o ON o.feed_seq = i.ref`)} RETURNING 1`,
  );
  return written.length;
}

/**
 * A lookup statement, the last of its transaction: a named prepared statement on the transaction's
 * own connection, with the COMMIT right behind it where beginWith owns the transaction
 * (readAndCommit). The lookup statements are constant text with a big inlined RLS expression per
 * table: planning them cost more than running them (≈2.5 ms against ≈1 ms), and a prepared
 * statement is planned once per connection.
 */
export function preparedLast<T>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  return readAndCommit<T>(m, { name, sql: text, params: values });
}

/**
 * THE lookup statement, one round trip for a whole batch. It reads the other modules' rows as the
 * sets their owners define, inlined (NOT MATERIALIZED) where read: intel's current visible versions
 * (`versions`), tenancy's member tenants (`members`), sightings' cells (`facts`).
 *  - hits: the wanted keys against observable_index (index observable_index_kind_key), each hit
 *    joined to its object version (stix_object_pkey); both filtered by the visibility predicate,
 *    and by row-level security again; only current versions;
 *  - refs: relationships and sightings of the matched objects, through their REL_SOURCE /
 *    REL_TARGET / SIGHTING_OF index rows (observable_index_kind_key again), visible and current;
 *  - actors: the other ends of those relationships that are visible threat actors or intrusion
 *    sets (stix_object's unique (id, publisher, modified) index, by id).
 * Every probe is driven by the input or by a match, so the cost follows the batch, not the data.
 */
export async function lookupKeys(m: EntityManager, scope: AccessScope, wanted: WantedKey[]): Promise<SlotMatch[]> {
  if (wanted.length === 0) return [];
  const p = new SqlParams([wanted.map((w) => w.slot), wanted.map((w) => w.kind), wanted.map((w) => w.key)]);
  return preparedLast<SlotMatch>(
    m,
    'cairn_lookup_v7',
    `WITH versions AS NOT MATERIALIZED (${StoredObjectsService.currentVisibleVersionsSql(scope, p)}),
     members AS NOT MATERIALIZED (${TenancyService.memberTenantIdsSql()}),
     facts AS NOT MATERIALIZED (${FeedService.sightingCellsSql()}),
     hits AS MATERIALIZED (
       SELECT w.slot, o.id, o.publisher_tenant_id, o.tlp, o.date_added, x.cell_sector, x.cell_area,
              ${FIRST_SEEN('o')} AS first_seen, ${LAST_SEEN('o')} AS last_seen,
              CASE WHEN jsonb_typeof(o.doc->'confidence') = 'number' THEN (o.doc->>'confidence')::numeric END AS confidence
         FROM unnest($1::int[], $2::text[], $3::text[]) AS w(slot, kind, key)
         JOIN observable_index x ON x.kind = w.kind AND x.key = w.key
         JOIN versions o ON o.pk = x.object_pk
        WHERE ${visibleTo('x', scope, p)}
     ),
     matched AS (
       SELECT slot,
              array_agg(DISTINCT publisher_tenant_id::text) FILTER (WHERE ${MEMBER('publisher_tenant_id')}) AS publishers,
              array_agg(DISTINCT id) AS ids,
              min(first_seen) AS first_seen, max(last_seen) AS last_seen, max(confidence)::int AS confidence,
              (array_agg(tlp ORDER BY date_added DESC))[1] AS tlp,
              jsonb_agg(DISTINCT jsonb_build_object('sector', cell_sector, 'area', cell_area)) FILTER (WHERE cell_sector IS NOT NULL) AS cells
         FROM hits GROUP BY slot
     ),
     refs AS (
       SELECT m.slot, x.kind, r.doc->>(CASE x.kind WHEN 'REL_SOURCE' THEN 'target_ref' ELSE 'source_ref' END) AS other,
              r.publisher_tenant_id, ${FIRST_SEEN('r')} AS first_seen, ${LAST_SEEN('r')} AS last_seen,
              f.cell_sector, f.cell_area
         FROM (SELECT DISTINCT slot, id FROM hits) m
         JOIN observable_index x ON x.kind IN ('REL_SOURCE', 'REL_TARGET', 'SIGHTING_OF') AND x.key = m.id
         JOIN versions r ON r.pk = x.object_pk
         LEFT JOIN facts f ON x.kind = 'SIGHTING_OF' AND f.feed_seq = r.feed_seq
        WHERE ${visibleTo('x', scope, p)}
     ),
     actors AS (
       SELECT l.slot, array_agg(DISTINCT a.doc->>'name') AS names
         FROM refs l
         JOIN versions a ON a.id = l.other AND a.type IN ('threat-actor', 'intrusion-set')
        WHERE l.kind <> 'SIGHTING_OF' AND a.doc->>'name' IS NOT NULL
        GROUP BY l.slot
     ),
     sighted AS (
       SELECT slot, array_agg(DISTINCT publisher_tenant_id::text) FILTER (WHERE ${MEMBER('publisher_tenant_id')}) AS sighters, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
              jsonb_agg(DISTINCT jsonb_build_object('sector', cell_sector, 'area', cell_area)) FILTER (WHERE cell_sector IS NOT NULL) AS cells
         FROM refs WHERE kind = 'SIGHTING_OF'
        GROUP BY slot
     )
     SELECT mt.slot, mt.publishers, mt.cells AS "publishedCells", mt.ids, mt.first_seen AS "firstSeen", mt.last_seen AS "lastSeen", mt.confidence AS "maxConfidence",
            mt.tlp AS "latestTlp", a.names AS actors, s.sighters, s.cells AS "sightedCells", s.first_seen AS "sightedFirst", s.last_seen AS "sightedLast"
       FROM matched mt
       LEFT JOIN actors a ON a.slot = mt.slot
       LEFT JOIN sighted s ON s.slot = mt.slot`,
    p.values,
  );
}

/** Removes a publisher's index rows (index observable_index_publisher); returns the cell each object version was indexed under. */
export async function deletePublisherEntries(m: EntityManager, publisherId: string): Promise<Map<string, IndexCell>> {
  const rows: Array<{ pk: string; sector: string; area: string }> = await m.query(
    // As a SELECT over the CTE: TypeORM answers a bare DELETE … RETURNING with [rows, count].
    `WITH gone AS (DELETE FROM observable_index WHERE publisher_tenant_id = $1 RETURNING object_pk, cell_sector, cell_area)
     SELECT DISTINCT object_pk::text AS pk, cell_sector AS sector, cell_area AS area FROM gone`,
    [publisherId],
  );
  return new Map(rows.filter((r) => r.sector !== null).map((r) => [r.pk, { sector: r.sector, area: r.area }]));
}
