import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryPipelined, viewerStatement, type AccessScope, type Statement } from '@cairn/access';
import { Inject } from '@nestjs/common';
import { CAIRN_CONFIG, checkArguments, PAGE_RULES, pageSizeProblem, type CairnConfig, type Viewer } from '@cairn/common';
import { FeedCursors, StoredObjectsService } from '@cairn/intel';
import { mayShowOthers, TenancyService } from '@cairn/tenancy';
import { countFeed, FEED_PASS_PLAN_SQL, feedPassQuery, feedRows, type FeedFilter, type FeedRow } from './sighting-facts';

export interface FeedPage {
  items: Array<FeedRow & { cursor: string }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** The live sector feed: new sightings and indicators in the one feed order, as the viewer may see them. */
@Injectable()
export class FeedService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly cursors: FeedCursors,
    private readonly objects: StoredObjectsService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  /**
   * Newest first by default (`after` continues towards older items); with newestFirst = false,
   * oldest first (`after` continues towards newer ones), which is how a client catches up.
   */
  async page(viewer: Viewer, filter: FeedFilter, first: number, after: string | undefined, newestFirst: boolean): Promise<FeedPage> {
    let seq: string | undefined;
    checkArguments(
      () => pageSizeProblem(first, PAGE_RULES.feed),
      () => void (seq = after ? this.cursors.decode(viewer, after) : undefined),
    );
    const limit = first;
    const rows = await this.tenancy.asViewer(viewer.tenantId, (m, scope) =>
      feedRows(m, scope, filter, { limit: limit + 1, newestFirst, ...(newestFirst ? { beforeSeq: seq } : { afterSeq: seq }) }),
    );
    const items = rows.slice(0, limit).map((r) => ({ ...r, cursor: this.cursors.encode(viewer, r.feedSeq) }));
    return { items, hasNextPage: rows.length > limit, endCursor: items.length ? items[items.length - 1].cursor : null };
  }

  /**
   * How many items the feed holds for the filter over all pages, as the viewer may see them (the
   * same predicate). Null when it takes in sightings by fewer than k members other than the viewer
   * (small-count rule): a count per sector and country would otherwise single out a small crowd.
   */
  async count(viewer: Viewer, filter: FeedFilter): Promise<number | null> {
    const c = await this.tenancy.asViewer(viewer.tenantId, (m, scope) => countFeed(this.objects, m, scope, filter));
    return mayShowOthers(c.otherSightingReporters, this.config.kAnonymity) ? c.total : null;
  }

  /**
   * Rows after `afterSeq`, oldest first, for subscription delivery (scope already loaded): on `m`,
   * a transaction whose viewer is `scope`, or else in a transaction of its own.
   */
  since(scope: AccessScope, filter: FeedFilter, afterSeq: string, limit: number, m?: EntityManager): Promise<FeedRow[]> {
    const read = (tx: EntityManager) => feedRows(tx, scope, filter, { afterSeq, limit, newestFirst: false });
    return m ? read(m) : this.tenancy.asViewer(scope, read);
  }

  /**
   * The body of a CTE of the cell each stored sighting was reported under: feed_seq (the sighting
   * version's, sighting_fact's key), cell_sector, cell_area; row-level security applies. For one
   * statement that reads sightings beside its own tables (the identifier lookup).
   */
  static sightingCellsSql(): string {
    return `SELECT f.feed_seq, f.cell_sector, f.cell_area FROM sighting_fact f`;
  }

  /**
   * since() for many viewers at once, in m's transaction and one round trip (subscription delivery
   * for every tenant woken): each read runs as its viewer — the row-level-security settings set
   * just before it, the visibility predicate in it — exactly as since() would. Returns each
   * request's rows, in the order asked.
   */
  async sinceEach(
    m: EntityManager,
    requests: ReadonlyArray<{ scope: AccessScope; filter: FeedFilter; afterSeq: string; limit: number }>,
  ): Promise<FeedRow[][]> {
    const statements: Statement[] = [{ sql: FEED_PASS_PLAN_SQL, params: [] }];
    let viewer: AccessScope | undefined;
    for (const r of requests) {
      // One viewer statement per run of requests by the same scope.
      if (r.scope !== viewer) statements.push(viewerStatement((viewer = r.scope)));
      statements.push(feedPassQuery(r.scope, r.filter, { afterSeq: r.afterSeq, limit: r.limit, newestFirst: false }));
    }
    const results = await queryPipelined(m, statements);
    const out: FeedRow[][] = [];
    viewer = undefined;
    let i = 1;
    for (const r of requests) {
      if (r.scope !== viewer) {
        viewer = r.scope;
        i++;
      }
      out.push(results[i++] as FeedRow[]);
    }
    return out;
  }

  /** sightingCellsSql with each sighting's hiring context (interview stage, role category): what screening shows of a match's sightings. */
  static sightingContextSql(): string {
    return `SELECT f.feed_seq, f.cell_sector, f.cell_area, f.interview_stage, f.role_category FROM sighting_fact f`;
  }

  /** The newest sequence number committed: every row at or below it is visible to a new reader. */
  headSeq(): Promise<string> {
    return this.objects.feedHeadSeq();
  }
}
