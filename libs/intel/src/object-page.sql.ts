import { audienceKeys, SqlParams, visibleTo, type AccessScope, type AudienceKey } from '@cairn/access';
import type { ObjectFilterSql } from './object-filter.sql';

/**
 * How the paged reads of stix_object (GraphQL objects, TAXII pages, exports) find their rows, and
 * the rules about which stored rows stand for a version — each written once, here.
 *
 * A set of rows is given as a condition on an alias (`RowSet`): "the listing" — what the viewer may
 * see (visibleTo) that matches the filter or the collection.
 */
export type RowSet = (alias: string) => string;

/**
 * Served once: a version (id, modified) that several publishers stored (an observable with a
 * deterministic id) appears once in a set, as its earliest row in feed order — so a later copy
 * never displaces one a client has already paged past, and paging by cursor meets it once. With
 * `preferOwnOf` (a viewer placeholder), the viewer's own copy comes first (exports). A probe of the
 * few rows of one id (unique (id, publisher, modified) index): what the row costs, not the table.
 */
export function servedOnce(o: string, inSet: RowSet, preferOwnOf?: string): string {
  const earlier = `d.feed_seq < ${o}.feed_seq`;
  const own = (a: string) => `(${a}.publisher_tenant_id = ${preferOwnOf}::uuid)`;
  const before = preferOwnOf ? `(${own('d')} > ${own(o)} OR (${own('d')} = ${own(o)} AND ${earlier}))` : earlier;
  return `NOT EXISTS (SELECT 1 FROM ${rowsOfId(o, `AND c.modified = ${o}.modified`)} d WHERE ${before} AND ${inSet('d')})`;
}

/**
 * The stored rows of o's id, by the unique (id, publisher, modified) index, fenced (OFFSET 0) from
 * the set's other conditions: given `publisher_tenant_id = …` for a publisher the statistics do not
 * know yet (a new member's first bulk publish), the planner took the publisher's index instead,
 * expecting one row, and each probe read all of that publisher's rows.
 */
function rowsOfId(o: string, more: string): string {
  return `(SELECT * FROM stix_object c WHERE c.id = ${o}.id ${more} OFFSET 0)`;
}

/** Which versions of each object a listing keeps (TAXII match[version]; exports: the newest). */
export interface VersionChoice {
  all?: boolean;
  /** The newest version in the set. */
  last?: boolean;
  /** The oldest version in the set. */
  first?: boolean;
  /** Exactly these versions (STIX `modified`). */
  at?: string[];
}

/**
 * The version choice as one condition on `o` (undefined: every version): newest and oldest are
 * decided over the whole set, not a page of it. A probe of the versions of one id.
 */
export function versionChoice(o: string, inSet: RowSet, v: VersionChoice, p: SqlParams): string | undefined {
  if (v.all) return undefined;
  const any: string[] = [];
  if (v.last) any.push(`NOT EXISTS (SELECT 1 FROM ${rowsOfId(o, `AND c.modified > ${o}.modified`)} n WHERE ${inSet('n')})`);
  if (v.first) any.push(`NOT EXISTS (SELECT 1 FROM ${rowsOfId(o, `AND c.modified < ${o}.modified`)} n WHERE ${inSet('n')})`);
  if (v.at?.length) any.push(`${o}.modified = ANY (${p.add(v.at)}::timestamptz[])`);
  return any.length ? `(${any.join(' OR ')})` : 'false';
}

/** Where a walk in feed order starts and stops. */
export interface FeedWindow {
  /** Rows after this feed position. */
  afterSeq?: string;
  /** Rows at or before this feed position (an export's snapshot). */
  horizonSeq?: string;
  /** Rows before this feed position. */
  beforeSeq?: string;
  /** Walk from the newest end (the rows nearest beforeSeq, or the newest) instead of the oldest. */
  newestFirst?: boolean;
  limit: number;
}

/**
 * The viewer's audience keys a filter can reach (pruning is only an access path: a key left out
 * must hold no row the filter matches; the page still applies visibleTo and the filter to each row).
 */
function reachableKeys(scope: AccessScope, f: ObjectFilterSql): AudienceKey[] {
  let keys = audienceKeys(scope);
  if (f.publishedByViewer === true) keys = keys.filter((k) => k.distribution === null);
  if (f.publishedByViewer === false) keys = keys.filter((k) => k.distribution !== null);
  // Others' rows reach the viewer by a key of their distribution; its own rows by its own key.
  if (f.distributions?.length) keys = keys.filter((k) => k.distribution === null || f.distributions!.includes(k.distribution));
  if (f.groupIds?.length)
    keys = keys.filter((k) => k.distribution === null || (k.distribution === 'SHARING_GROUP' && f.groupIds!.includes(k.about!)));
  // Others' rows match a sectors filter only through the viewer's own sectors (audienceSectorsMatch).
  if (f.sectors?.length && f.distributions?.length === 1 && f.distributions[0] === 'SECTOR') {
    keys = keys.filter((k) => k.distribution === null || f.sectors!.includes(k.about!));
  }
  return keys;
}

/**
 * The feed positions of the first `limit` rows after the window's start, in feed order, that the
 * viewer may see and that satisfy `cond` (on alias o): an array-valued SQL expression. Each of the
 * viewer's audience keys (and each asked-for type) is an index range of stix_object_audience read
 * from the start position for at most `limit` matching rows; the ranges are merged and cut to
 * `limit`. So a page reads about keys × limit index entries whatever the table's size. Its plan
 * does not hinge on how many rows the planner expects the viewer to see: each row's checks are a
 * scalar subquery (by the unique feed_seq index), which the planner cannot turn into a join
 * driven from stix_object — it did, estimating that few rows are visible. `cond` should hold only
 * per-row checks and probes of one id (filters, servedOnce, versionChoice): the caller applies
 * visibleTo to what comes out.
 */
export function feedWalkSql(scope: AccessScope, f: ObjectFilterSql, w: FeedWindow, cond: RowSet, p: SqlParams): string {
  const keys = p.add(reachableKeys(scope, f).map((k) => k.key));
  const limit = p.add(w.limit);
  const byType = !!f.types?.length;
  // added_after as a feed position (date_added grows with feed_seq): the last row at or before it.
  // Computed once outside the ranges: a condition holding a subquery is not leakproof, so under the
  // audience index's row-level security it could not bound the index range, only filter it (OFFSET 0
  // keeps the planner from folding it back in).
  const from = [`${w.afterSeq ? p.add(w.afterSeq) : '0'}::bigint`];
  if (f.addedAfter) {
    from.push(
      `coalesce((SELECT s.feed_seq FROM stix_object s WHERE s.date_added <= ${p.add(f.addedAfter)}::timestamptz ORDER BY s.date_added DESC LIMIT 1), 0)`,
    );
  }
  const horizon = w.horizonSeq ? ` AND a.feed_seq <= ${p.add(w.horizonSeq)}::bigint` : '';
  const before = w.beforeSeq ? ` AND a.feed_seq < ${p.add(w.beforeSeq)}::bigint` : '';
  const order = w.newestFirst ? 'DESC' : '';
  return `ARRAY(
    SELECT r.feed_seq FROM (SELECT greatest(${from.join(', ')}) AS seq OFFSET 0) AS start CROSS JOIN unnest(${keys}::text[]) AS k(key)
      ${byType ? `CROSS JOIN unnest(${p.add(f.types)}::text[]) AS t(type)` : ''}
      CROSS JOIN LATERAL (
        SELECT a.feed_seq FROM stix_object_audience a
         WHERE a.key = k.key${byType ? ' AND a.type = t.type' : ''} AND a.feed_seq > start.seq${horizon}${before}
           AND (SELECT ${cond('o')} FROM stix_object o WHERE o.feed_seq = a.feed_seq)
         ORDER BY a.feed_seq ${order}
         LIMIT ${limit}) r
     GROUP BY r.feed_seq
     ORDER BY r.feed_seq ${order}
     LIMIT ${limit})`;
}

/**
 * One page of a listing in feed order: `SELECT ${columns} FROM stix_object o` for the rows that
 * satisfy `cond` in the window, visible to the viewer. With ids in the filter, the few rows of those
 * ids are read by id (unique (id, publisher, modified) index); otherwise by feedWalkSql.
 */
export function feedPageSql(scope: AccessScope, f: ObjectFilterSql, w: FeedWindow, cond: RowSet, columns: string, p: SqlParams): string {
  const visible = visibleTo('o', scope, p);
  if (f.ids?.length) {
    const window = [
      w.afterSeq ? `o.feed_seq > ${p.add(w.afterSeq)}::bigint` : '',
      w.horizonSeq ? `o.feed_seq <= ${p.add(w.horizonSeq)}::bigint` : '',
    ].filter(Boolean);
    return `SELECT ${columns} FROM stix_object o
             WHERE ${[visible, cond('o'), ...window].join(' AND ')}
             ORDER BY o.feed_seq LIMIT ${p.add(w.limit)}`;
  }
  return `SELECT ${columns} FROM stix_object o
           WHERE o.feed_seq = ANY (${feedWalkSql(scope, f, w, cond, p)}) AND ${visible}
           ORDER BY o.feed_seq`;
}

/**
 * Pins a page's access path for the rest of the transaction: no bitmap and no sequential scans
 * (only penalised: a table without an index is still read). With them, a planner that expects an
 * audience key to hold a few rows — statistics not yet taken after a bulk write, a new key — reads
 * the key's whole range and sorts it instead of walking it in order and stopping at the page's
 * end; the walk costs what the page costs whatever the estimate, and there is no other plan worth
 * having for a page. Transaction-local (set_config(…, true)), like the viewer settings.
 */
export const PAGE_PLAN_SQL = `SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`;
