import { UseGuards } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { FeedCursors, SharingInput, sharingFromInput } from '@cairn/intel';
import { cellIdentityId } from '@cairn/tenancy';
import { FeedHub } from './feed-hub.service';
import { FeedService } from './feed.service';
import type { FeedFilter, FeedRow } from './sighting-facts';
import { SightingsService, type SightingReport } from './sightings.service';
import { SightingError, SightingErrorCode } from './sightings.errors';
import { FeedConnection, FeedFilterInput, FeedItem, ReportSightingInput, ReportedSighting } from './dto/sighting.dto';

const SHARING_ARG =
  "Default: your tenant's default sharing. Only narrows: the sighting is never shared more widely, nor at a weaker TLP, than what it sights.";

@Resolver(() => FeedItem)
@UseGuards(AuthGuard)
export class SightingsResolver {
  constructor(
    private readonly sightings: SightingsService,
    private readonly feedService: FeedService,
    private readonly hub: FeedHub,
    private readonly cursors: FeedCursors,
  ) {}

  @Mutation(() => ReportedSighting, { description: 'Report one sighting; it is shared under your sector + area cell, never your name.' })
  @RequireScopes('sightings:write')
  async reportSighting(
    @CurrentViewer() viewer: Viewer,
    @Args('input') input: ReportSightingInput,
    @Args('sharing', { type: () => SharingInput, nullable: true, description: SHARING_ARG }) sharing?: SharingInput,
  ): Promise<ReportedSighting> {
    return (await this.reportMany(viewer, [input], sharing))[0];
  }

  @Mutation(() => [ReportedSighting], { description: 'Report up to 1,000 sightings at once: all are stored, or none.' })
  @RequireScopes('sightings:write')
  async reportSightings(
    @CurrentViewer() viewer: Viewer,
    @Args('inputs', { type: () => [ReportSightingInput] }) inputs: ReportSightingInput[],
    @Args('sharing', { type: () => SharingInput, nullable: true, description: SHARING_ARG }) sharing?: SharingInput,
  ) {
    return this.reportMany(viewer, inputs, sharing);
  }

  @Query(() => FeedConnection, { description: 'New sightings and indicators you may see, newest first unless newestFirst is false.' })
  @RequireScopes('intel:read')
  async feed(
    @CurrentViewer() viewer: Viewer,
    @Args('filter', { nullable: true }) filter?: FeedFilterInput,
    @Args('first', { type: () => Int, defaultValue: 50, description: 'Page size, 1 to 500; outside that, BAD_USER_INPUT.' }) first = 50,
    @Args('after', { nullable: true }) after?: string,
    @Args('newestFirst', { type: () => Boolean, defaultValue: true }) newestFirst = true,
  ): Promise<FeedConnection> {
    const feedFilter = toFilter(filter);
    const page = await this.feedService.page(viewer, feedFilter, first, after, newestFirst);
    return {
      edges: page.items.map((r) => ({ cursor: r.cursor, node: toItem(r, r.cursor) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      count: () => this.feedService.count(viewer, feedFilter),
    };
  }

  @Subscription(() => FeedItem, {
    description: 'Sightings as they are reported. With `after` (a cursor), first everything missed since, exactly once.',
    resolve: (row: CursoredRow) => toItem(row, row.cursor),
  })
  @RequireScopes('intel:read')
  async sightingReported(
    @CurrentViewer() viewer: Viewer,
    @Context() ctx: unknown,
    @Args('filter', { nullable: true }) filter?: FeedFilterInput,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.live(viewer, { ...toFilter(filter), types: ['sighting'] }, after, ctx);
  }

  @Subscription(() => FeedItem, {
    description: 'Indicators as they are published. With `after` (a cursor), first everything missed since, exactly once.',
    resolve: (row: CursoredRow) => toItem(row, row.cursor),
  })
  @RequireScopes('intel:read')
  async indicatorPublished(
    @CurrentViewer() viewer: Viewer,
    @Context() ctx: unknown,
    @Args('filter', { nullable: true }) filter?: FeedFilterInput,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.live(viewer, { ...toFilter(filter), types: ['indicator'] }, after, ctx);
  }

  /** A live subscription whose events carry cursors sealed for the subscriber's tenant. */
  private async live(
    viewer: Viewer,
    filter: FeedFilter,
    after: string | undefined,
    ctx: unknown,
  ): Promise<AsyncIterableIterator<CursoredRow>> {
    const afterSeq = after ? this.cursors.decode(viewer, after) : undefined;
    return withCursors(await this.hub.subscribe(viewer, filter, afterSeq, dropper(ctx)), viewer.tenantId, (row) =>
      this.cursors.encode(viewer, row.feedSeq),
    );
  }

  private async reportMany(viewer: Viewer, inputs: ReportSightingInput[], sharing?: SharingInput): Promise<ReportedSighting[]> {
    const reports: SightingReport[] = inputs.map((i) => ({
      sightingOf: i.sightingOf,
      firstSeen: iso(i.firstSeen, 'firstSeen'),
      lastSeen: i.lastSeen ? iso(i.lastSeen, 'lastSeen') : undefined,
      count: i.count ?? undefined,
      confidence: i.confidence ?? undefined,
      interviewStage: i.interviewStage,
      roleCategory: i.roleCategory,
      hiringChannel: i.hiringChannel,
    }));
    const stored = await this.sightings.report(viewer, reports, sharingFromInput(sharing));
    return stored.map((s) => ({
      id: s.id,
      cursor: s.cursor,
      reportedAs: { sector: s.cell.sector, area: s.cell.area, identityId: cellIdentityId(s.cell) },
      sharedAs: { distribution: s.distribution, tlp: s.tlp, narrowed: s.narrowed },
    }));
  }
}

type CursoredRow = FeedRow & { cursor: string };

/**
 * Each row with its cursor, as one object per row and tenant: FeedHub hands one row object to all
 * of a tenant's subscribers with the same filter, and the WebSocket door executes an operation once
 * per event object (shared-subscription-results), so they must keep sharing one. The cursor is
 * sealed for the tenant, and a row object never crosses tenants (FeedHub reads per tenant).
 */
const cursored = new WeakMap<FeedRow, { tenantId: string; row: CursoredRow }>();

/** The same iterator, each row with its cursor (return and throw still end the subscription). */
function withCursors(
  rows: AsyncIterableIterator<FeedRow>,
  tenantId: string,
  cursor: (row: FeedRow) => string,
): AsyncIterableIterator<CursoredRow> {
  const out: AsyncIterableIterator<CursoredRow> = {
    [Symbol.asyncIterator]: () => out,
    async next() {
      const r = await rows.next();
      if (r.done) return r;
      let hit = cursored.get(r.value);
      if (hit?.tenantId !== tenantId) cursored.set(r.value, (hit = { tenantId, row: { ...r.value, cursor: cursor(r.value) } }));
      return { value: hit.row, done: false };
    },
    return: () => rows.return!() as Promise<IteratorResult<CursoredRow>>,
    throw: (err?: unknown) => rows.throw!(err) as Promise<IteratorResult<CursoredRow>>,
  };
  return out;
}

/** Closes the subscription's WebSocket (graphql-ws keeps it in the context's extra.socket). */
function dropper(ctx: unknown): ((code: number, reason: string) => void) | undefined {
  const socket = (ctx as { req?: { extra?: { socket?: { close(code: number, reason: string): void } } } })?.req?.extra?.socket;
  return socket ? (code, reason) => socket.close(code, reason) : undefined;
}

function iso(d: Date, field: string): string {
  if (Number.isNaN(d.getTime())) throw new SightingError(SightingErrorCode.INVALID_DATE, `${field} is not a valid date`, field);
  return d.toISOString();
}

function toFilter(f?: FeedFilterInput): FeedFilter {
  return { sectors: f?.sectors, countries: f?.countries, types: f?.types, actor: f?.actor, minConfidence: f?.minConfidence };
}

function toItem(r: FeedRow, cursor: string): FeedItem {
  return {
    cursor,
    type: r.type,
    id: r.id,
    dateAdded: r.dateAdded,
    tlp: r.tlp,
    mine: r.mine,
    object: r.doc,
    sighting: r.cellSector
      ? {
          sector: r.cellSector,
          area: r.cellArea!,
          interviewStage: r.interviewStage,
          roleCategory: r.roleCategory,
          hiringChannel: r.hiringChannel,
        }
      : null,
  };
}
