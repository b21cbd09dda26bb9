import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SqlParams, visibleTo, type AccessScope, type Statement } from '@cairn/access';
import { audienceCountriesMatch, audienceSectorsMatch, type ObjectFilterSql } from './object-filter.sql';
import { feedWalkSql, PAGE_PLAN_SQL, type FeedWindow, type RowSet } from './object-page.sql';
import { collectionHolds, collectionPageSql, listCollectionPage, type CollectionPageQuery, type CollectionRow } from './object-store';

/** A stored version as the modules that work beside intel's versions read it (reindex, repairs). */
export interface StoredVersionDoc {
  pk: string;
  feedSeq: string;
  doc: Record<string, unknown>;
  /** The sharing it was stored under. */
  tlp: string;
  distribution: string;
}

/**
 * The door to intel's tables (stix_object, feed_counter) for the other modules: every statement
 * that reads or writes them is here or in this lib, and other modules call these methods with sets
 * (ids, feed sequence numbers) and get sets back. Methods that take `m` run in the caller's
 * transaction, a viewer transaction (TenancyService.asViewer) whose viewer is `scope` where one is
 * given, so the visibility predicate and row-level security both apply.
 */
@Injectable()
export class StoredObjectsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The body of a CTE (to be read NOT MATERIALIZED, so it is inlined where read) of the current
   * versions the viewer may see: the newest of each (id, publisher), not revoked — an older version's
   * pattern may have been corrected since, and a revoked newest version withdraws the object. Columns
   * pk, id, type, publisher_tenant_id, tlp, date_added, feed_seq, doc. Joined by pk it uses
   * stix_object_pkey, by id the unique (id, publisher_tenant_id, modified) index, as does the check
   * for a newer version. For one statement that reads versions beside the caller's own table (the
   * identifier lookup); its parameters go into `p`, and its text depends on nothing else, so a
   * statement built on it can be prepared.
   */
  static currentVisibleVersionsSql(scope: AccessScope, p: SqlParams): string {
    return `SELECT o.pk, o.id, o.type, o.publisher_tenant_id, o.tlp, o.date_added, o.feed_seq, o.doc
              FROM stix_object o
             WHERE ${visibleTo('o', scope, p)} AND NOT o.revoked
               AND NOT EXISTS (SELECT 1 FROM stix_object nv WHERE nv.id = o.id AND nv.publisher_tenant_id = o.publisher_tenant_id AND nv.modified > o.modified)`;
  }

  /**
   * Of these versions (pks), the ones that are current versions the viewer may see (as in
   * currentVisibleVersionsSql: newest of their (id, publisher), not revoked), each with its
   * publisher: the visibility predicate in the caller's viewer transaction (row-level security
   * applies again). For modules that hold version pks from their own tables (the watchlist's
   * candidates) and must not read stix_object; a corrected or withdrawn version is no news.
   */
  async currentVisiblePublishers(m: EntityManager, scope: AccessScope, pks: readonly string[]): Promise<Map<string, string>> {
    if (pks.length === 0) return new Map();
    const p = new SqlParams([pks]);
    const rows: Array<{ pk: string; publisher: string }> = await m.query(
      `WITH current AS NOT MATERIALIZED (${StoredObjectsService.currentVisibleVersionsSql(scope, p)})
       SELECT o.pk::text AS pk, o.publisher_tenant_id AS publisher FROM current o WHERE o.pk = ANY($1::bigint[])`,
      p.values,
    );
    return new Map(rows.map((r) => [r.pk, r.publisher]));
  }

  /**
   * A page of a collection (TAXII): up to `q.limit` + 1 rows the viewer may see that match the
   * collection's filter and the query's match[] filters, in feed order after `q.afterSeq`, each
   * version once (listCollectionPage: an index range read per audience key, whatever the table's size).
   */
  collectionPage(m: EntityManager, scope: AccessScope, collection: ObjectFilterSql, q: CollectionPageQuery): Promise<CollectionRow[]> {
    return listCollectionPage(m, scope, collection, q);
  }

  /** What a page's transaction runs before its page statement (PAGE_PLAN_SQL: the access path pinned). */
  static readonly PAGE_PLAN_SQL = PAGE_PLAN_SQL;

  /** collectionPage's statement, for running it beside the API (benchmarks); run PAGE_PLAN_SQL first in the same transaction. */
  static collectionPageSql(scope: AccessScope, collection: ObjectFilterSql, q: CollectionPageQuery, p: SqlParams): string {
    return collectionPageSql(scope, collection, q, p);
  }

  /** Whether the collection holds any version of `id`, whatever the match[] filters. */
  collectionHolds(m: EntityManager, scope: AccessScope, collection: ObjectFilterSql, id: string): Promise<boolean> {
    return collectionHolds(m, scope, collection, id);
  }

  /** The newest feed sequence number committed: every version at or below it is visible to a new reader. */
  async feedHeadSeq(): Promise<string> {
    const [row] = await this.dataSource.query('SELECT last_seq::text AS seq FROM feed_counter');
    return row.seq as string;
  }

  /**
   * Visible indicators added per day or week in [from, to), shared with `sector` (or not by sector
   * at all), with who published them: per bucket (YYYY-MM-DD), in no set order. Index stix_object_type_seq.
   */
  async indicatorsAddedPerBucket(
    m: EntityManager,
    scope: AccessScope,
    q: { sector: string; from: Date; to: Date; interval: 'day' | 'week' },
  ): Promise<Array<{ bucket: string; n: number; who: string[] }>> {
    const p = new SqlParams();
    const unit = p.add(q.interval);
    const visible = visibleTo('o', scope, p);
    const rows: Array<{ bucket: string; n: string; who: string[] }> = await m.query(
      `SELECT to_char(date_trunc(${unit}, o.date_added AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS bucket, count(*) AS n, array_agg(DISTINCT o.publisher_tenant_id::text) AS who
         FROM stix_object o
        WHERE o.type = 'indicator' AND ${visible}
          AND (o.distribution <> 'SECTOR' OR ${audienceSectorsMatch('o', scope, [q.sector], p)})
          AND o.date_added >= ${p.add(q.from.toISOString())}::timestamptz AND o.date_added < ${p.add(q.to.toISOString())}::timestamptz
        GROUP BY 1`,
      p.values,
    );
    return rows.map((r) => ({ bucket: r.bucket, n: Number(r.n), who: r.who }));
  }

  /** The `name` of the newest version the viewer may see of each of `ids` (null: none, or no name); unique (id, publisher, modified) index. */
  async newestVisibleNames(m: EntityManager, scope: AccessScope, ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const p = new SqlParams();
    const visible = visibleTo('o', scope, p);
    const rows: Array<{ id: string; name: string | null }> = await m.query(
      `SELECT DISTINCT ON (o.id) o.id, o.doc->>'name' AS name
         FROM stix_object o
        WHERE o.id = ANY (${p.add([...new Set(ids)])}::text[]) AND ${visible}
        ORDER BY o.id, o.modified DESC`,
      p.values,
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * A publisher's stored versions after feed position `afterSeq`, oldest first, at most `limit`
   * (the (publisher, feed_seq) index: one page costs its own rows, not a walk of everyone's); only
   * of `type` when given. For rebuilding what is written beside versions (reindex, fact and
   * protection repair). Ordered by the bigint column: ordering by the text output column would
   * make the next page (feed_seq > the last, as a number) skip and repeat rows.
   */
  publisherVersions(m: EntityManager, publisherId: string, afterSeq: string, limit: number, type?: string): Promise<StoredVersionDoc[]> {
    return m.query(
      `SELECT o.pk::text AS pk, o.feed_seq::text AS "feedSeq", o.doc, o.tlp, o.distribution FROM stix_object o
        WHERE o.publisher_tenant_id = $1 AND o.feed_seq > $2::bigint AND ($4::text IS NULL OR o.type = $4::text)
        ORDER BY o.feed_seq LIMIT $3`,
      [publisherId, afterSeq, limit, type ?? null],
    );
  }

  /**
   * The first stored document found of each of `ids` that is of `type`, whichever version (row-level
   * security applies): what names a shared identity, such as a cell's.
   */
  async someDocOfEach(m: EntityManager, ids: readonly string[], type: string): Promise<Map<string, Record<string, unknown>>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; doc: Record<string, unknown> }> = await m.query(
      `SELECT r.id, ci.doc FROM unnest($1::text[]) AS r(id)
         JOIN LATERAL (SELECT doc FROM stix_object WHERE id = r.id AND type = $2 LIMIT 1) ci ON true`,
      [[...new Set(ids)], type],
    );
    return new Map(rows.map((r) => [r.id, r.doc]));
  }

  /**
   * Runs `body`, the caller's statement over its own table, with `storedVersions` naming a set of
   * stored versions, in one statement: pk, id, type, modified, feed_seq, date_added,
   * publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id,
   * audience_recipients and doc — the same columns the store hands its hooks (StoreHook). The set is
   * the versions with these feed sequence numbers, or the publisher's versions of these ids, or all
   * of the publisher's versions of one type; row-level security applies to it. `body` is a SELECT or
   * a data-modifying statement with RETURNING; its rows are returned. How the identifier index and
   * the sighting facts are read beside their versions and rebuilt, without naming stix_object.
   */
  withVersions<T>(m: EntityManager, of: VersionSet, body: (p: SqlParams, storedVersions: string) => string): Promise<T[]> {
    const p = new SqlParams();
    const where =
      'feedSeqs' in of
        ? `o.feed_seq = ANY (${p.add(of.feedSeqs)}::bigint[])`
        : 'ids' in of
          ? `o.id = ANY (${p.add([...new Set(of.ids)])}::text[]) AND o.publisher_tenant_id = ${p.add(of.publisherId)}::uuid`
          : `o.type = ${p.add(of.type)} AND o.publisher_tenant_id = ${p.add(of.publisherId)}::uuid`;
    // Indexes: stix_object_feed_seq_key; the unique (id, publisher, modified); stix_object_publisher_seq.
    return m.query(
      `WITH stored_versions AS (
         SELECT o.pk, o.id, o.type, o.modified, o.feed_seq, o.date_added, o.publisher_tenant_id, o.distribution, o.audience_sectors,
                o.audience_countries, o.audience_group_id, o.audience_recipients, o.doc
           FROM stix_object o WHERE ${where}
       ), result AS (${body(p, 'stored_versions')})
       SELECT * FROM result`,
      p.values,
    );
  }

  /**
   * Runs `body`, the caller's SELECT over its own tables, with `rel.versions` naming the versions
   * of `of.types` the viewer may see (visibility predicate; row-level security too) — pk, id, type,
   * modified, feed_seq, date_added, publisher_tenant_id, distribution, tlp, doc, and two booleans
   * the viewer may be told: `in_sectors`, whether the audience includes one of `of.sectors`
   * (audienceSectorsMatch), and `in_countries`, one of `of.countries` (audienceCountriesMatch),
   * each true without that filter — and `rel.linkedSources`, the `id`s that visible relationships to
   * `of.relationshipsTo` come from. One statement: both sets are inlined where body reads them, so
   * body's ORDER BY … LIMIT uses stix_object's indexes (stix_object_type_seq) as if it named the table.
   */
  withVisibleVersions<T>(m: EntityManager, scope: AccessScope, of: VisibleVersionSet, body: VisibleVersionsBody): Promise<T[]> {
    const q = StoredObjectsService.visibleVersionsStatement(scope, of, body);
    return m.query(q.sql, q.params);
  }

  /** withVisibleVersions' statement, unrun: for sending with others in one round trip (queryPipelined). */
  static visibleVersionsStatement(scope: AccessScope, of: VisibleVersionSet, body: VisibleVersionsBody): Statement {
    const p = new SqlParams();
    const inSectors = of.sectors?.length ? audienceSectorsMatch('o', scope, of.sectors, p) : 'true';
    const inCountries = of.countries?.length ? audienceCountriesMatch('o', scope, of.countries, p) : 'true';
    const versions = `SELECT o.pk, o.id, o.type, o.modified, o.feed_seq, o.date_added, o.publisher_tenant_id, o.distribution, o.tlp, o.doc,
                             ${inSectors} AS in_sectors, ${inCountries} AS in_countries
                        FROM stix_object o
                       WHERE ${visibleTo('o', scope, p)} AND o.type = ANY (${p.add(of.types)}::text[])`;
    const linked =
      of.relationshipsTo === undefined
        ? 'SELECT NULL::text AS id WHERE false'
        : `SELECT r.doc->>'source_ref' AS id FROM stix_object r
            WHERE r.type = 'relationship' AND r.doc->>'target_ref' = ${p.add(of.relationshipsTo)} AND ${visibleTo('r', scope, p)}`;
    // The feed positions of a window's rows, walked on the audience index (feedWalkSql): `cond`
    // holds per-row checks only, and the body still reads the rows from visible_versions.
    const feedWalk = (cond: RowSet, w: FeedWindow) => feedWalkSql(scope, { types: [...of.types] }, w, cond, p);
    return {
      sql: `WITH visible_versions AS NOT MATERIALIZED (${versions}), linked_sources AS NOT MATERIALIZED (${linked})
       ${body(p, { versions: 'visible_versions', linkedSources: 'linked_sources', feedWalk })}`,
      params: p.values,
    };
  }
}

/** Which visible versions StoredObjectsService.withVisibleVersions offers. */
export interface VisibleVersionSet {
  types: readonly string[];
  sectors?: string[];
  countries?: string[];
  relationshipsTo?: string;
}

/** The caller's SELECT over `rel.versions` (and `rel.linkedSources`), adding its parameters to `p`. */
export type VisibleVersionsBody = (
  p: SqlParams,
  rel: {
    versions: string;
    linkedSources: string;
    /**
     * An array of the feed positions of the first `w.limit` versions in the window, in feed order
     * (newest first with `w.newestFirst`), that the viewer may see and that satisfy `cond`: a walk
     * of the viewer's audience keys (feedWalkSql), so a page reads about keys × limit index
     * entries whatever the table's size. Select `WHERE o.feed_seq = ANY (…)` from `versions`.
     */
    feedWalk: (cond: RowSet, w: FeedWindow) => string;
  },
) => string;

/** Which stored versions StoredObjectsService.withVersions offers. */
export type VersionSet =
  { feedSeqs: readonly string[] } | { publisherId: string; ids: readonly string[] } | { publisherId: string; type: string };
