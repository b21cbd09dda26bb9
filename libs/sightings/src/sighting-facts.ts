import type { EntityManager } from 'typeorm';
import { createHash } from 'node:crypto';
import { queryPipelined, SqlParams, type AccessScope, type Statement } from '@cairn/access';
import { StoredObjectsService } from '@cairn/intel';
import { ANY_SECTOR, GLOBAL_AREA, parentSector, regionOf } from '@cairn/tenancy';

/** The facts of one sighting being stored, by its position (`row`) among the versions stored with it. */
export interface SightingFactRow {
  row: number;
  sightingId: string;
  cellSector: string;
  cellArea: string;
  subjectId: string;
  subjectType: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  confidence: number | null;
  interviewStage: string | null;
  roleCategory: string | null;
  hiringChannel: string | null;
}

/**
 * The store hook's CTE that inserts the facts of sightings being stored, beside their STIX
 * documents (same feed_seq): joined by position to `storedVersions` (the set the store hands its
 * hooks, StoreHook), whose audience and date_added they copy.
 */
export function insertSightingFactsSql(rows: SightingFactRow[], p: SqlParams, storedVersions: string): string | null {
  if (rows.length === 0) return null;
  return `
    INSERT INTO sighting_fact (feed_seq, sighting_id, publisher_tenant_id, distribution, audience_sectors, audience_countries,
                               audience_group_id, audience_recipients, cell_sector, cell_area, subject_id, subject_type,
                               first_seen, last_seen, count, confidence, interview_stage, role_category, hiring_channel, date_added)
    SELECT o.feed_seq, r."sightingId", o.publisher_tenant_id, o.distribution, o.audience_sectors, o.audience_countries,
           o.audience_group_id, o.audience_recipients, r."cellSector", r."cellArea", r."subjectId", r."subjectType",
           r."firstSeen", r."lastSeen", r.count, r.confidence, r."interviewStage", r."roleCategory", r."hiringChannel", o.date_added
      FROM jsonb_to_recordset(${p.add(JSON.stringify(rows))}::jsonb) AS r("row" int, "sightingId" text, "cellSector" text, "cellArea" text,
             "subjectId" text, "subjectType" text, "firstSeen" timestamptz, "lastSeen" timestamptz, count int, confidence int,
             "interviewStage" text, "roleCategory" text, "hiringChannel" text)
      JOIN ${storedVersions} o ON o."row" = r."row"`;
}

export interface FeedFilter {
  sectors?: string[];
  countries?: string[];
  /** 'sighting' and/or 'indicator' (default both). */
  types?: string[];
  actor?: string;
  minConfidence?: number;
}

export interface FeedRow {
  feedSeq: string;
  id: string;
  type: string;
  dateAdded: string;
  tlp: string;
  mine: boolean;
  doc: Record<string, unknown>;
  cellSector: string | null;
  cellArea: string | null;
  interviewStage: string | null;
  roleCategory: string | null;
  hiringChannel: string | null;
}

/** A sector filter also matches the coarser cells a sighting in that sector may have been reported as. */
export function sectorsMatching(sectors: string[]): string[] {
  return [...new Set(sectors.flatMap((s) => [s, parentSector(s), ANY_SECTOR]))];
}

export function areasMatching(countries: string[]): string[] {
  return [...new Set(countries.flatMap((c) => [c, regionOf(c), GLOBAL_AREA]))];
}

/**
 * Feed rows (sightings and indicators) the scope may see, by feed order: after `afterSeq`
 * ascending, or before `beforeSeq` descending (newest first). One query over intel's visible
 * versions (StoredObjectsService.withVisibleVersions) and the facts, found by a walk of the
 * audience index (feedRowsQuery); the page access path pinned (PAGE_PLAN_SQL).
 */
export async function feedRows(m: EntityManager, scope: AccessScope, filter: FeedFilter, page: FeedPageQuery): Promise<FeedRow[]> {
  const [, rows] = await queryPipelined(m, [{ sql: StoredObjectsService.PAGE_PLAN_SQL, params: [] }, feedRowsQuery(scope, filter, page)]);
  return rows as FeedRow[];
}

/**
 * What a delivery pass's transaction runs before its reads (FeedService.sinceEach): the page's
 * access path pinned (PAGE_PLAN_SQL), and generic plans for its prepared statements. A pass reads
 * the head of the feed many times a second, and planning its statement cost more than running it;
 * the walk's plan does not hinge on estimates (feedWalkSql), so one plan serves every pass on a
 * connection. Transaction-local; nothing but the viewer settings and the reads runs after it.
 */
export const FEED_PASS_PLAN_SQL = `${StoredObjectsService.PAGE_PLAN_SQL}, set_config('plan_cache_mode', 'force_generic_plan', true)`;

/**
 * feedRowsQuery as a prepared statement, named by its text (a filter's shape, not its values: a
 * handful per connection). Run it only after FEED_PASS_PLAN_SQL: a connection keeps the plan its
 * first run made, and one made with sequential scans allowed would stay.
 */
export function feedPassQuery(scope: AccessScope, filter: FeedFilter, page: FeedPageQuery): Statement {
  const q = feedRowsQuery(scope, filter, page);
  return { ...q, name: `cairn_feed_${createHash('sha256').update(q.sql).digest('hex').slice(0, 24)}` };
}

export interface FeedPageQuery {
  afterSeq?: string;
  beforeSeq?: string;
  limit: number;
  newestFirst: boolean;
}

/**
 * feedRows' statement, for running it with others in one round trip (FeedService.sinceEach). The
 * page's rows are found by a walk of the viewer's audience keys (intel's feedWalk), with the feed
 * filter checked on each row walked: a page costs what its rows cost, whatever the table's size.
 * Read in feed order straight from visible_versions instead, the planner guessed how many rows the
 * viewer may see and, guessing few, read and sorted all of them (a catch-up from an old cursor: a
 * sequential scan and a sort of everything visible).
 */
export function feedRowsQuery(scope: AccessScope, filter: FeedFilter, page: FeedPageQuery): Statement {
  return StoredObjectsService.visibleVersionsStatement(scope, versionsFor(filter), (p, rel) => {
    const walked = feedWhere(filter, p, rel.linkedSources);
    // The walk's rows are stix_object rows (alias `row`); the filter reads them as the body does,
    // from visible_versions and their facts. `walked` takes the row's position before the inner
    // `o` is in scope (a FROM subquery sees the enclosing query, not its siblings): it must stay
    // the first FROM item. feed.db.spec.ts's window test fails if the binding goes wrong.
    const cond =
      walked.length === 1
        ? () => 'true'
        : (row: string) => `EXISTS (SELECT 1 FROM (SELECT ${row}.feed_seq AS seq) walked
            CROSS JOIN ${rel.versions} o LEFT JOIN sighting_fact f ON f.feed_seq = o.feed_seq
            WHERE o.feed_seq = walked.seq AND ${walked.join(' AND ')})`;
    // Every position the walk returns has passed the filter, on this same row: no second check.
    const positions = rel.feedWalk(cond, page);
    const viewer = p.add(scope.tenantId);
    return `SELECT o.feed_seq::text AS "feedSeq", o.id, o.type, o.tlp, o.doc, o.publisher_tenant_id = ${viewer}::uuid AS mine,
            to_char(o.date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "dateAdded",
            f.cell_sector AS "cellSector", f.cell_area AS "cellArea", f.interview_stage AS "interviewStage",
            f.role_category AS "roleCategory", f.hiring_channel AS "hiringChannel"
       FROM ${rel.versions} o LEFT JOIN sighting_fact f ON f.feed_seq = o.feed_seq
      WHERE o.feed_seq = ANY (${positions})
      ORDER BY o.feed_seq ${page.newestFirst ? 'DESC' : 'ASC'}
      LIMIT ${p.add(page.limit)}`;
  });
}

/** Which of intel's versions the feed reads for a filter: their types, and the audience facts it filters others' indicators by. */
export function versionsFor(filter: FeedFilter): Parameters<StoredObjectsService['withVisibleVersions']>[2] {
  const types = filter.types?.length ? filter.types.filter((t) => t === 'sighting' || t === 'indicator') : ['sighting', 'indicator'];
  return { types, sectors: filter.sectors, countries: filter.countries, relationshipsTo: filter.actor || undefined };
}

/** What the feed lists for a filter, before paging (rows of intel's visible versions o LEFT JOIN sighting_fact f). */
export function feedWhere(filter: FeedFilter, p: SqlParams, linkedSources: string): string[] {
  const where = ['true'];
  if (filter.sectors?.length) {
    where.push(`(CASE WHEN o.type = 'sighting' THEN f.cell_sector = ANY (${p.add(sectorsMatching(filter.sectors))}::text[])
                 ELSE o.distribution <> 'SECTOR' OR o.in_sectors END)`);
  }
  if (filter.countries?.length) {
    // Sightings by the (public, small-crowd protected) area they are reported under; anything else
    // by its audience, as far as the viewer may be told it (in_countries: audienceCountriesMatch).
    where.push(`(CASE WHEN o.type = 'sighting' THEN f.cell_area = ANY (${p.add(areasMatching(filter.countries))}::text[])
                 ELSE o.in_countries END)`);
  }
  if (filter.minConfidence !== undefined) {
    where.push(`coalesce(f.confidence, (o.doc->>'confidence')::int, 0) >= ${p.add(filter.minConfidence)}::int`);
  }
  if (filter.actor) {
    // Linked by a relationship the viewer may also see (RLS and the predicate apply to it too).
    where.push(`(coalesce(f.subject_id, o.id) = ${p.add(filter.actor)} OR EXISTS (
      SELECT 1 FROM ${linkedSources} l WHERE l.id = coalesce(f.subject_id, o.id)))`);
  }
  return where;
}

/** The size of the whole feed for a filter, with the same predicate, and how many members other than the viewer reported its sightings (small-count rule). */
export async function countFeed(
  objects: StoredObjectsService,
  m: EntityManager,
  scope: AccessScope,
  filter: FeedFilter,
): Promise<{ total: number; otherSightingReporters: number }> {
  const [row] = await objects.withVisibleVersions<{ total: number; otherSightingReporters: number }>(
    m,
    scope,
    versionsFor(filter),
    (p, rel) => {
      const where = feedWhere(filter, p, rel.linkedSources);
      const viewer = p.add(scope.tenantId);
      return `SELECT count(*)::int AS total,
            count(DISTINCT o.publisher_tenant_id) FILTER (WHERE o.type = 'sighting' AND o.publisher_tenant_id <> ${viewer}::uuid)::int AS "otherSightingReporters"
       FROM ${rel.versions} o LEFT JOIN sighting_fact f ON f.feed_seq = o.feed_seq
      WHERE ${where.join(' AND ')}`;
    },
  );
  return row;
}
