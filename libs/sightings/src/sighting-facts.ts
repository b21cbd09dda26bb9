import type { EntityManager } from 'typeorm';
import { SqlParams, visibleTo, type AccessScope, type Statement } from '@cairn/access';
import { audienceCountriesMatch, audienceSectorsMatch, STORED_VERSIONS } from '@cairn/intel';
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
 * documents (same feed_seq): joined to STORED_VERSIONS by position, whose audience and date_added
 * they copy.
 */
export function insertSightingFactsSql(rows: SightingFactRow[], p: SqlParams): string | null {
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
      JOIN ${STORED_VERSIONS} o ON o."row" = r."row"`;
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
 * ascending, or before `beforeSeq` descending (newest first). One query; index stix_object_type_seq.
 */
export async function feedRows(
  m: EntityManager,
  scope: AccessScope,
  filter: FeedFilter,
  page: FeedPageQuery,
): Promise<FeedRow[]> {
  const q = feedRowsQuery(scope, filter, page);
  return m.query(q.sql, q.params);
}

export interface FeedPageQuery {
  afterSeq?: string;
  beforeSeq?: string;
  limit: number;
  newestFirst: boolean;
}

/** feedRows' statement, for running it with others in one round trip (FeedService.sinceEach). */
export function feedRowsQuery(scope: AccessScope, filter: FeedFilter, page: FeedPageQuery): Statement {
  const p = new SqlParams();
  const where = feedWhere(scope, filter, p);
  if (page.afterSeq) where.push(`o.feed_seq > ${p.add(page.afterSeq)}::bigint`);
  if (page.beforeSeq) where.push(`o.feed_seq < ${p.add(page.beforeSeq)}::bigint`);
  const viewer = p.add(scope.tenantId);
  return {
    sql: `SELECT o.feed_seq::text AS "feedSeq", o.id, o.type, o.tlp, o.doc, o.publisher_tenant_id = ${viewer}::uuid AS mine,
            to_char(o.date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "dateAdded",
            f.cell_sector AS "cellSector", f.cell_area AS "cellArea", f.interview_stage AS "interviewStage",
            f.role_category AS "roleCategory", f.hiring_channel AS "hiringChannel"
       FROM stix_object o LEFT JOIN sighting_fact f ON f.feed_seq = o.feed_seq
      WHERE ${where.join(' AND ')}
      ORDER BY o.feed_seq ${page.newestFirst ? 'DESC' : 'ASC'}
      LIMIT ${p.add(page.limit)}`,
    params: p.values,
  };
}

/** What the feed lists for a filter, before paging (rows of stix_object o LEFT JOIN sighting_fact f). */
function feedWhere(scope: AccessScope, filter: FeedFilter, p: SqlParams): string[] {
  const where = [visibleTo('o', scope, p)];
  const types = filter.types?.length ? filter.types.filter((t) => t === 'sighting' || t === 'indicator') : ['sighting', 'indicator'];
  where.push(`o.type = ANY (${p.add(types)}::text[])`);
  if (filter.sectors?.length) {
    where.push(`(CASE WHEN o.type = 'sighting' THEN f.cell_sector = ANY (${p.add(sectorsMatching(filter.sectors))}::text[])
                 ELSE o.distribution <> 'SECTOR' OR ${audienceSectorsMatch('o', scope, filter.sectors, p)} END)`);
  }
  if (filter.countries?.length) {
    // Sightings by the (public, small-crowd protected) area they are reported under; anything else
    // by its audience, as far as the viewer may be told it (audienceCountriesMatch).
    where.push(`(CASE WHEN o.type = 'sighting' THEN f.cell_area = ANY (${p.add(areasMatching(filter.countries))}::text[])
                 ELSE ${audienceCountriesMatch('o', scope, filter.countries, p)} END)`);
  }
  if (filter.minConfidence !== undefined) {
    where.push(`coalesce(f.confidence, (o.doc->>'confidence')::int, 0) >= ${p.add(filter.minConfidence)}::int`);
  }
  if (filter.actor) {
    // Linked by a relationship the viewer may also see (RLS and the predicate apply to r too).
    const actor = p.add(filter.actor);
    const rVisible = visibleTo('r', scope, p);
    where.push(`(coalesce(f.subject_id, o.id) = ${actor} OR EXISTS (
      SELECT 1 FROM stix_object r WHERE r.type = 'relationship' AND r.doc->>'target_ref' = ${actor}
        AND r.doc->>'source_ref' = coalesce(f.subject_id, o.id) AND ${rVisible}))`);
  }
  return where;
}

/** The size of the whole feed for a filter, with the same predicate, and how many members other than the viewer reported its sightings (small-count rule). */
export async function countFeed(m: EntityManager, scope: AccessScope, filter: FeedFilter): Promise<{ total: number; otherSightingReporters: number }> {
  const p = new SqlParams();
  const where = feedWhere(scope, filter, p);
  const viewer = p.add(scope.tenantId);
  const [row] = await m.query(
    `SELECT count(*)::int AS total,
            count(DISTINCT o.publisher_tenant_id) FILTER (WHERE o.type = 'sighting' AND o.publisher_tenant_id <> ${viewer}::uuid)::int AS "otherSightingReporters"
       FROM stix_object o LEFT JOIN sighting_fact f ON f.feed_seq = o.feed_seq
      WHERE ${where.join(' AND ')}`,
    p.values,
  );
  return row;
}
