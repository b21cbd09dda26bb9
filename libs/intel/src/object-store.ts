import type { EntityManager } from 'typeorm';
import { queryAndCommit, queryPipelined, SqlParams, visibleTo, type AccessScope, type Audience, type Statement } from '@cairn/access';
import type { Tlp } from '@cairn/stix';
import type { AudienceKnowledge, ReferencedCopy } from './audience/intersect';
import { filterConditions, type ObjectFilterSql } from './object-filter.sql';
import { feedPageSql, PAGE_PLAN_SQL, servedOnce, versionChoice, type VersionChoice } from './object-page.sql';

/** One version of one object as stored. */
export interface StoredObject {
  pk: string;
  id: string;
  type: string;
  modified: string;
  tlp: Tlp;
  revoked: boolean;
  feedSeq: string;
  /** ISO 8601 with microseconds, unique and increasing across the exchange. */
  dateAdded: string;
  publishedByViewer: boolean;
  doc: Record<string, unknown>;
}

export interface NewObjectRow {
  id: string;
  type: string;
  modified: string;
  revoked: boolean;
  validUntil: string | null;
  doc: Record<string, unknown>;
}

export interface ObjectListQuery extends ObjectFilterSql {
  afterSeq?: string;
  limit: number;
}

const DATE_ADDED = `to_char(o.date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
// A version's key (versionKey in libs/stix: six fractional digits, what the column keeps), for comparisons in code.
const VERSION_KEY = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const MODIFIED = VERSION_KEY('o.modified');
/**
 * The version clients are shown (GraphQL `modified`, TAXII `version`): the document's own
 * timestamp text, so that it round-trips through a version argument or match[version].
 */
export const SHOWN_VERSION_SQL = `coalesce(o.doc->>'modified', o.doc->>'created', to_char(o.modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
const COLUMNS = `o.pk::text AS pk, o.id, o.type, ${SHOWN_VERSION_SQL} AS modified,
  o.tlp, o.revoked, o.feed_seq::text AS "feedSeq", ${DATE_ADDED} AS "dateAdded", o.doc`;

/** A version insertObjects stored: `row` is its index in the rows given. */
export interface InsertedVersion {
  id: string;
  /** Its versionKey (ISO 8601, microseconds). */
  modified: string;
  feedSeq: string;
  row: number;
}

/**
 * The name under which the statement that inserts versions exposes them to the hooks' CTEs: one row
 * per version actually inserted, with stix_object's pk, id, type, modified, feed_seq, date_added and
 * audience columns as stored, and `row`, its index in the rows given. Hooks are handed it (StoreHook);
 * they never name stix_object.
 */
const STORED_VERSIONS = 'stored_versions';

/**
 * Inserts versions in one statement. Sequence numbers and date_added come from the single
 * feed_counter row, whose lock is held until the caller's transaction commits: numbers are
 * therefore handed out in commit order, and a reader that has seen N has seen everything below N.
 * An existing (id, publisher, modified) is left as it is. `also` adds data-modifying CTEs over
 * STORED_VERSIONS (the store hooks), so that everything written with the versions is one statement
 * and the lock is held for that statement and the COMMIT. With `commit`, the statement is the
 * transaction's last and the COMMIT goes right behind it (queryAndCommit), so that the lock is not
 * held while the app gets round to committing. `before` are sent ahead of it in the same round trip
 * (publishing's lock and recheck: PublishService), the first of them to fail thrown and nothing
 * behind it run. Returns the rows inserted, in no set order.
 */
export async function insertObjects(
  m: EntityManager,
  audience: Audience,
  tlp: Tlp,
  rows: readonly NewObjectRow[],
  also: (p: SqlParams, storedVersions: string) => string[] = () => [],
  opts: InsertOptions = {},
): Promise<InsertedVersion[]> {
  if (rows.length === 0) return [];
  const p = new SqlParams();
  const n = p.add(rows.length);
  const data = p.add(
    JSON.stringify(
      rows.map((r, i) => ({
        ord: i + 1,
        id: r.id,
        type: r.type,
        modified: r.modified,
        revoked: r.revoked,
        valid_until: r.validUntil,
        doc: r.doc,
      })),
    ),
  );
  const head = `
    WITH counter AS (
      UPDATE feed_counter
         SET last_seq = last_seq + ${n}::int,
             last_added = greatest(clock_timestamp() + (${n}::int - 1) * interval '1 microsecond',
                                   last_added + ${n}::int * interval '1 microsecond')
      RETURNING last_seq, last_added
    ), input AS (
      SELECT * FROM jsonb_to_recordset(${data}::jsonb)
        AS r(ord int, id text, type text, modified timestamptz, revoked boolean, valid_until timestamptz, doc jsonb)
    ), ins AS (
      INSERT INTO stix_object (id, type, modified, publisher_tenant_id, tlp, distribution, audience_sectors, audience_countries,
                               audience_group_id, audience_recipients, known_audience, doc, feed_seq, date_added, revoked, valid_until)
      SELECT i.id, i.type, i.modified, ${p.add(audience.publisherTenantId)}::uuid, ${p.add(tlp)}, ${p.add(audience.distribution)},
             ${p.add(audience.sectors)}::text[], ${p.add(audience.countries)}::text[], ${p.add(audience.groupId)}::uuid, ${p.add(audience.recipients)}::uuid[],
             ${p.add(opts.knowledge ? JSON.stringify(storedKnowledge(opts.knowledge)) : null)}::jsonb, i.doc, c.last_seq - ${n}::int + i.ord, c.last_added - (${n}::int - i.ord) * interval '1 microsecond', i.revoked, i.valid_until
        FROM input i CROSS JOIN counter c
      ON CONFLICT (id, publisher_tenant_id, modified) DO NOTHING
      RETURNING pk, id, type, modified, feed_seq, date_added, publisher_tenant_id, distribution, audience_sectors, audience_countries,
                audience_group_id, audience_recipients
    ), ${STORED_VERSIONS} AS (
      -- Row i (from 1) got feed_seq last_seq - n + i, so its input position follows from its number.
      SELECT ins.*, (ins.feed_seq - c.last_seq + ${n}::int - 1)::int AS "row" FROM ins CROSS JOIN counter c
    )`;
  // Data-modifying CTEs run whether or not the main query reads them; their foreign-key checks run
  // at the end of the statement, when the versions they reference are in place.
  const hooks = also(p, STORED_VERSIONS)
    .map((body, i) => `, hook_${i} AS (${body})`)
    .join('');
  const sql = `${head}${hooks}
    SELECT id, ${VERSION_KEY('modified')} AS modified, feed_seq::text AS "feedSeq", "row"
      FROM ${STORED_VERSIONS}`;
  const before = opts.before ?? [];
  if (opts.commit) return queryAndCommit<InsertedVersion>(m, sql, p.values, before);
  if (before.length === 0) return m.query(sql, p.values);
  return (await queryPipelined(m, [...before, { sql, params: p.values }])).at(-1) as InsertedVersion[];
}

/** How insertObjects' statement ends its transaction (`commit`) and what goes ahead of it (`before`). */
export interface InsertOptions {
  commit?: boolean;
  before?: Statement[];
  /** What the publisher knows of `audience` when it is less (stix_object.known_audience; audience/intersect.ts). */
  knowledge?: AudienceKnowledge;
}

/**
 * Takes the feed_counter lock now rather than at insert, so that checks made before inserting
 * (ownership, existing versions) see every writer that committed before us and none that commits
 * between the check and the insert.
 */
export async function lockFeed(m: EntityManager): Promise<void> {
  await m.query(LOCK_FEED_SQL);
}

const LOCK_FEED_SQL = 'SELECT 1 FROM feed_counter FOR UPDATE';

/** The newest feed sequence number committed: whatever is stored after this read gets a higher one. */
const FEED_HEAD_SQL = 'SELECT last_seq::text AS seq FROM feed_counter';

/** What a write was checked against: the feed head before its first check, and the ids it read. */
export interface CheckedSince {
  head: string;
  /** Ids the write stores: its own versions of them were checked. */
  ids: string[];
  /** Those of them that are SDOs or SROs: that no one else owns them was checked. */
  owned: string[];
  /** SDOs and SROs it references outside itself: their visible versions were checked. (Other members' copies of a cyber-observable only ever add to who may see it.) */
  refs: string[];
}

/**
 * Statements to send ahead of an insert checked without the feed lock: the lock, then a recheck
 * that refuses (serialization_failure, isRecheckRefusal) if anything the checks read has changed
 * since `since.head`: a version the writer stored of its ids, or one it may see of an SDO or SRO it
 * references (both read from the rows stored since the head: the publisher's own through the
 * (publisher, feed_seq) index, the rest by feed_seq), or an owner of one of its SDOs
 * (cairn_ids_owned_by_others, which found none when checked). With no viewer set it refuses. In READ
 * COMMITTED each statement reads a snapshot taken when it starts, so the recheck, behind the lock,
 * sees every writer that committed before it, and none can commit until this transaction does.
 * It reads only what row-level security and the check's own function show the writer.
 */
export function lockAndRecheck(since: CheckedSince): Statement[] {
  return [
    { sql: LOCK_FEED_SQL, params: [] },
    {
      sql: `SELECT cairn_refuse_if(
               cairn_viewer_tenant() IS NULL
               OR EXISTS (SELECT 1 FROM stix_object o
                           WHERE o.publisher_tenant_id = cairn_viewer_tenant() AND o.feed_seq > $1::bigint AND o.id = ANY ($2::text[]))
               OR EXISTS (SELECT 1 FROM stix_object o WHERE o.feed_seq > $1::bigint AND o.id = ANY ($4::text[]))
               OR EXISTS (SELECT 1 FROM cairn_ids_owned_by_others($3::text[])))`,
      params: [since.head, since.ids, since.owned, since.refs],
    },
  ];
}

/** True for lockAndRecheck's refusal: the write must be checked again, under the lock this time. */
export function isRecheckRefusal(err: unknown): boolean {
  const e = err as { driverError?: { code?: string; message?: string }; code?: string; message?: string };
  const code = e.driverError?.code ?? e.code;
  const message = e.driverError?.message ?? e.message ?? '';
  return code === '40001' && message.startsWith('cairn: what this write was checked against changed');
}

/**
 * A page statement after PAGE_PLAN_SQL (the access path pinned for the rest of the transaction),
 * both sent in one round trip.
 */
async function pageQuery(m: EntityManager, sql: string, params: unknown[]): Promise<unknown[]> {
  const [, rows] = await queryPipelined(m, [
    { sql: PAGE_PLAN_SQL, params: [] },
    { sql, params },
  ]);
  return rows;
}

/**
 * A page of what `scope` may see, in feed order after `afterSeq`: an index range read per audience
 * key (feedPageSql). A version (id, modified) that several publishers stored appears once
 * (servedOnce over the same filter), so paging with a cursor never meets a version twice.
 */
export async function listVisible(m: EntityManager, scope: AccessScope, q: ObjectListQuery): Promise<StoredObject[]> {
  const p = new SqlParams();
  return (await pageQuery(m, listVisibleSql(scope, q, p), p.values)) as StoredObject[];
}

/** listVisible's statement (the plan test explains it). */
export function listVisibleSql(scope: AccessScope, q: ObjectListQuery, p: SqlParams): string {
  const viewer = p.add(scope.tenantId);
  const inListing = (a: string) => [visibleTo(a, scope, p), ...filterConditions(a, scope, q, p)].join(' AND ');
  const cond = (a: string) => [...filterConditions(a, scope, q, p), servedOnce(a, inListing)].join(' AND ');
  return feedPageSql(
    scope,
    q,
    { afterSeq: q.afterSeq, limit: q.limit },
    cond,
    `${COLUMNS}, o.publisher_tenant_id = ${viewer}::uuid AS "publishedByViewer"`,
    p,
  );
}

/** What listVisible lists, before paging: visible, matching, each version once. */
function listedWhere(scope: AccessScope, q: ObjectFilterSql, p: SqlParams): string[] {
  const inListing = (a: string) => [visibleTo(a, scope, p), ...filterConditions(a, scope, q, p)].join(' AND ');
  return [inListing('o'), servedOnce('o', inListing)];
}

/** How many rows a listing counts, and how many members other than the viewer reported the sightings among them (for the small-count rule). */
export interface VisibleCount {
  total: number;
  otherSightingReporters: number;
}

/** The size of listVisible's whole listing (every page), with the same predicate: what the viewer could page through, no more. */
export async function countVisible(m: EntityManager, scope: AccessScope, q: ObjectFilterSql): Promise<VisibleCount> {
  const p = new SqlParams();
  const where = listedWhere(scope, q, p);
  const viewer = p.add(scope.tenantId);
  const [row] = await m.query(
    `SELECT count(*)::int AS total,
            count(DISTINCT o.publisher_tenant_id) FILTER (WHERE o.type = 'sighting' AND o.publisher_tenant_id <> ${viewer}::uuid)::int AS "otherSightingReporters"
       FROM stix_object o
      WHERE ${where.join(' AND ')}`,
    p.values,
  );
  return row as VisibleCount;
}

/**
 * The newest visible version of each object matching the filter (the viewer's own copy first when
 * several publishers hold it), in feed order, at most `limit`: with `horizonSeq`, as of that feed
 * position (a snapshot: an export continued page by page places each object once, whatever is
 * published in between), after `afterSeq`. Each row's choice is a probe of its id's versions.
 */
export async function listNewestVisible(m: EntityManager, scope: AccessScope, q: NewestQuery): Promise<StoredObject[]> {
  const p = new SqlParams();
  return (await pageQuery(m, listNewestVisibleSql(scope, q, p), p.values)) as StoredObject[];
}

export type NewestQuery = ObjectFilterSql & { limit: number; horizonSeq?: string; afterSeq?: string };

/** listNewestVisible's statement (the plan test explains it). */
export function listNewestVisibleSql(scope: AccessScope, q: NewestQuery, p: SqlParams): string {
  const viewer = p.add(scope.tenantId);
  const horizon = q.horizonSeq ? p.add(q.horizonSeq) : undefined;
  const inSnapshot = (a: string) =>
    [visibleTo(a, scope, p), ...filterConditions(a, scope, q, p), ...(horizon ? [`${a}.feed_seq <= ${horizon}::bigint`] : [])].join(
      ' AND ',
    );
  const cond = (a: string) =>
    [...filterConditions(a, scope, q, p), versionChoice(a, inSnapshot, { last: true }, p)!, servedOnce(a, inSnapshot, viewer)].join(
      ' AND ',
    );
  return feedPageSql(
    scope,
    q,
    { afterSeq: q.afterSeq, horizonSeq: q.horizonSeq, limit: q.limit },
    cond,
    `${COLUMNS}, o.publisher_tenant_id = ${viewer}::uuid AS "publishedByViewer"`,
    p,
  );
}

/** What a collection page (TAXII) reads: the match[] filters and the paging on top of the collection's filter. */
export interface CollectionPageQuery {
  limit: number;
  afterSeq?: string;
  addedAfter?: string;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  versions: VersionChoice;
  /** Include the STIX documents (objects endpoints) or not (manifest, versions). */
  withDoc: boolean;
}

/** One stored version as a collection page lists it. */
export interface CollectionRow {
  seq: string;
  id: string;
  dateAdded: string;
  version: string;
  specVersion: string;
  tlp: string;
  ownRow: boolean;
  /**
   * With withDoc, the STIX document as stored, as JSON text (`doc::text`): a TAXII page splices it
   * into its envelope as is, rather than having the driver parse it and the response write it again.
   */
  docJson?: string;
}

const SPEC_VERSION = (a: string) => `coalesce(${a}.doc->>'spec_version', '2.1')`;

/**
 * Up to `limit` + 1 rows of a collection — every row the viewer may see that matches `collection` —
 * narrowed by the query's match[] filters, in feed order after `afterSeq`. A version several
 * publishers stored is served once, as its earliest row in the collection; match[version] first
 * and last are decided over the whole collection (not this page, nor what came after added_after).
 */
export async function listCollectionPage(
  m: EntityManager,
  scope: AccessScope,
  collection: ObjectFilterSql,
  q: CollectionPageQuery,
): Promise<CollectionRow[]> {
  const p = new SqlParams();
  return (await pageQuery(m, collectionPageSql(scope, collection, q, p), p.values)) as CollectionRow[];
}

/** listCollectionPage's statement (benchmarks run it through pg beside the API). */
export function collectionPageSql(scope: AccessScope, collection: ObjectFilterSql, q: CollectionPageQuery, p: SqlParams): string {
  const inCollection = (a: string) => [visibleTo(a, scope, p), ...filterConditions(a, scope, collection, p)].join(' AND ');
  const matched: ObjectFilterSql = { ...collection, types: q.types, ids: q.ids, addedAfter: q.addedAfter };
  const cond = (a: string) => {
    const w = filterConditions(a, scope, matched, p);
    if (q.specVersions) w.push(`${SPEC_VERSION(a)} = ANY (${p.add(q.specVersions)}::text[])`);
    const chosen = versionChoice(a, inCollection, q.versions, p);
    return [...w, servedOnce(a, inCollection), ...(chosen ? [chosen] : [])].join(' AND ');
  };
  const columns = `o.feed_seq::text AS seq, o.id, ${DATE_ADDED} AS "dateAdded", ${SHOWN_VERSION_SQL} AS version, ${SPEC_VERSION('o')} AS "specVersion",
    o.tlp, o.publisher_tenant_id = ${p.add(scope.tenantId)}::uuid AS "ownRow"${q.withDoc ? ', o.doc::text AS "docJson"' : ''}`;
  // One row more than the page: whether more follow.
  return feedPageSql(scope, matched, { afterSeq: q.afterSeq, limit: q.limit + 1 }, cond, columns, p);
}

/** Whether any version of `id` is in the collection, whatever the match[] filters (unique (id, publisher, modified) index). */
export async function collectionHolds(m: EntityManager, scope: AccessScope, collection: ObjectFilterSql, id: string): Promise<boolean> {
  const p = new SqlParams();
  const where = [visibleTo('o', scope, p), ...filterConditions('o', scope, { ...collection, ids: [id] }, p)];
  const [{ found }] = await m.query(`SELECT EXISTS (SELECT 1 FROM stix_object o WHERE ${where.join(' AND ')}) AS found`, p.values);
  return found as boolean;
}

/** Which of `ids` some other tenant published (SDOs, SROs, meta objects only): migration Publishing's SECURITY DEFINER function. */
export async function idsOwnedByOthers(m: EntityManager, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const read = idsOwnedByOthersRead(ids);
  return idSet(await m.query(read.sql, read.params));
}

/** A read of a statement's `id` column as a set. */
const idSet = (rows: unknown[]): Set<string> => new Set((rows as Array<{ id: string }>).map((r) => r.id));

/** idsOwnedByOthers as a statement (for a pipeline); its rows go through idSet. */
export function idsOwnedByOthersRead(ids: string[]): Statement {
  return { sql: 'SELECT id FROM cairn_ids_owned_by_others($1::text[]) AS id', params: [ids] };
}

export interface OwnVersions {
  versions: Set<string>;
  newest: string;
  newestRevoked: boolean;
}

/** The publisher's own versions of these ids (unique (id, publisher, modified) index). Versions are ISO timestamps. */
export async function ownVersions(m: EntityManager, publisherTenantId: string, ids: string[]): Promise<Map<string, OwnVersions>> {
  if (ids.length === 0) return new Map();
  const read = ownVersionsRead(publisherTenantId, ids);
  return ownVersionsOf(await m.query(read.sql, read.params));
}

/** ownVersions as a statement (for a pipeline); its rows go through ownVersionsOf. */
export function ownVersionsRead(publisherTenantId: string, ids: string[]): Statement {
  return {
    sql: `SELECT o.id, ${MODIFIED} AS modified, o.revoked FROM stix_object o
           WHERE o.publisher_tenant_id = $1::uuid AND o.id = ANY ($2::text[])
           ORDER BY o.id, o.modified`,
    params: [publisherTenantId, ids],
  };
}

export function ownVersionsOf(rows: unknown[]): Map<string, OwnVersions> {
  const out = new Map<string, OwnVersions>();
  for (const r of rows as Array<{ id: string; modified: string; revoked: boolean }>) {
    const v = out.get(r.id) ?? { versions: new Set<string>(), newest: r.modified, newestRevoked: r.revoked };
    v.versions.add(r.modified);
    if (r.modified >= v.newest) Object.assign(v, { newest: r.modified, newestRevoked: r.revoked });
    out.set(r.id, v);
  }
  return out;
}

/** Which of `ids` the viewer may see (any version). */
export async function visibleIds(m: EntityManager, scope: AccessScope, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const read = visibleIdsRead(scope, ids);
  return idSet(await m.query(read.sql, read.params));
}

/** visibleIds as a statement (for a pipeline); its rows go through idSet. */
export function visibleIdsRead(scope: AccessScope, ids: string[]): Statement {
  const p = new SqlParams();
  const where = visibleTo('o', scope, p);
  return { sql: `SELECT DISTINCT o.id FROM stix_object o WHERE o.id = ANY (${p.add(ids)}::text[]) AND ${where}`, params: p.values };
}

/**
 * The reads a write is checked against, sent in order in one round trip: the feed head first, so
 * that whatever commits after it has a higher sequence number (lockAndRecheck), then which of
 * `refs` the viewer may see, which of `owned` another member owns, and the writer's own versions of `ids`.
 */
export async function checkReads(
  m: EntityManager,
  scope: AccessScope,
  q: { publisherTenantId: string; refs: string[]; owned: string[]; ids: string[] },
): Promise<{ head: string; visible: Set<string>; foreign: Set<string>; own: Map<string, OwnVersions> }> {
  const [head, visible, foreign, own] = await queryPipelined(m, [
    { sql: FEED_HEAD_SQL, params: [] },
    visibleIdsRead(scope, q.refs),
    idsOwnedByOthersRead(q.owned),
    ownVersionsRead(q.publisherTenantId, q.ids),
  ]);
  return { head: (head[0] as { seq: string }).seq, visible: idSet(visible), foreign: idSet(foreign), own: ownVersionsOf(own) };
}

/** One of the publisher's own versions, with the audience it was shared with (and what the publisher knows of it: knowledge). */
export type OwnVersion = StoredObject & { audience: Audience; knowledge?: AudienceKnowledge };

const OWN_COLUMNS = `${COLUMNS}, true AS "publishedByViewer", o.distribution, o.audience_sectors, o.audience_countries, o.audience_group_id,
  o.audience_recipients, o.known_audience`;

/** The viewer's own newest version of one object, with the audience it was shared with (and what the viewer knows of it: knowledge). */
export async function ownNewest(m: EntityManager, publisherTenantId: string, id: string): Promise<OwnVersion | undefined> {
  const rows = await m.query(
    `SELECT ${OWN_COLUMNS} FROM stix_object o WHERE o.publisher_tenant_id = $1::uuid AND o.id = $2 ORDER BY o.modified DESC LIMIT 1`,
    [publisherTenantId, id],
  );
  return rows.length === 0 ? undefined : toOwnVersion(publisherTenantId, rows[0]);
}

/**
 * For each audience the publisher ever shared one object with, its newest version shared with that
 * audience, newest first (unique (id, publisher, modified) index): whom a revocation must reach.
 */
export async function ownNewestByAudience(m: EntityManager, publisherTenantId: string, id: string): Promise<OwnVersion[]> {
  const rows: Array<Record<string, unknown>> = await m.query(
    `SELECT * FROM (
       SELECT DISTINCT ON (o.distribution, o.audience_sectors, o.audience_countries, o.audience_group_id, o.audience_recipients)
              ${OWN_COLUMNS}, o.modified AS version_at
         FROM stix_object o WHERE o.publisher_tenant_id = $1::uuid AND o.id = $2
        ORDER BY o.distribution, o.audience_sectors, o.audience_countries, o.audience_group_id, o.audience_recipients, o.modified DESC) heads
      ORDER BY version_at DESC`,
    [publisherTenantId, id],
  );
  return rows.map(({ version_at: _at, ...row }) => toOwnVersion(publisherTenantId, row));
}

function toOwnVersion(publisherTenantId: string, row: Record<string, unknown>): OwnVersion {
  const { distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, known_audience, ...stored } = row;
  return {
    ...(stored as unknown as StoredObject),
    audience: {
      publisherTenantId,
      distribution: distribution as Audience['distribution'],
      sectors: audience_sectors as string[],
      countries: audience_countries as string[],
      groupId: audience_group_id as string | null,
      recipients: audience_recipients as string[],
    },
    ...(known_audience ? { knowledge: knowledgeFromStored(publisherTenantId, known_audience as StoredKnowledge) } : {}),
  };
}

/**
 * The copies of `ids` the viewer may see, with their audience and TLP: per publisher, its newest
 * version the viewer may see (unique (id, publisher, modified) index). What a reference to one of
 * these ids may be narrowed by (audience/plan.ts).
 */
export async function visibleCopies(m: EntityManager, scope: AccessScope, ids: string[]): Promise<Map<string, ReferencedCopy[]>> {
  const out = new Map<string, ReferencedCopy[]>();
  if (ids.length === 0) return out;
  const p = new SqlParams();
  const where = visibleTo('o', scope, p);
  const rows: Array<{
    id: string;
    publisher: string;
    tlp: Tlp;
    distribution: Audience['distribution'];
    sectors: string[];
    countries: string[];
    group: string | null;
    recipients: string[];
    knowledge: StoredKnowledge | null;
  }> = await m.query(
    `SELECT DISTINCT ON (o.id, o.publisher_tenant_id) o.id, o.publisher_tenant_id AS publisher, o.tlp, o.distribution, o.audience_sectors AS sectors,
            o.audience_countries AS countries, o.audience_group_id AS "group", o.audience_recipients AS recipients,
            CASE WHEN o.publisher_tenant_id = ${p.add(scope.tenantId)}::uuid THEN o.known_audience END AS knowledge
       FROM stix_object o
      WHERE o.id = ANY (${p.add(ids)}::text[]) AND ${where}
      ORDER BY o.id, o.publisher_tenant_id, o.modified DESC`,
    p.values,
  );
  for (const r of rows) {
    const audience: Audience = {
      publisherTenantId: r.publisher,
      distribution: r.distribution,
      sectors: r.sectors,
      countries: r.countries,
      groupId: r.group,
      recipients: r.recipients,
    };
    const knowledge = r.knowledge ? knowledgeFromStored(r.publisher, r.knowledge) : undefined;
    out.set(r.id, [...(out.get(r.id) ?? []), { audience, tlp: r.tlp, ...(knowledge ? { knowledge } : {}) }]);
  }
  return out;
}

/** stix_object.known_audience: audiences without their publisher (the row's). */
type StoredAudience = Omit<Audience, 'publisherTenantId'>;
interface StoredKnowledge {
  known: StoredAudience;
  shown: StoredAudience;
  named: boolean;
}

function storedKnowledge(k: AudienceKnowledge): StoredKnowledge {
  const strip = ({ publisherTenantId: _p, ...rest }: Audience): StoredAudience => rest;
  return { known: strip(k.known), shown: strip(k.shown), named: k.named };
}

function knowledgeFromStored(publisherTenantId: string, k: StoredKnowledge): AudienceKnowledge {
  return { known: { publisherTenantId, ...k.known }, shown: { publisherTenantId, ...k.shown }, named: k.named };
}
