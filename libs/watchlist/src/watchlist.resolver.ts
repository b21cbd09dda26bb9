import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, socketDropper, type Viewer } from '@cairn/common';
import { WatchHub } from './watch-hub.service';
import { WatchlistService } from './watchlist.service';
import { WebhookService } from './webhook.service';
import {
  CreatedWebhook,
  WatchEntryModel,
  WatchHitModel,
  WatchHitPage,
  WatchInput,
  WatchResultModel,
  WebhookDeliveryModel,
  WebhookModel,
} from './dto/watchlist.dto';

@Resolver()
@UseGuards(AuthGuard)
export class WatchlistResolver {
  constructor(
    private readonly watches: WatchlistService,
    private readonly hooks: WebhookService,
    private readonly hub: WatchHub,
  ) {}

  @Mutation(() => [WatchResultModel], {
    description:
      'Watch identifiers: you are told (watchlistHits, webhooks) when another member later publishes or sights one, never who. Charged to your lookup quota.',
  })
  @RequireScopes('intel:read')
  watchIdentifiers(@CurrentViewer() viewer: Viewer, @Args('entries', { type: () => [WatchInput] }) entries: WatchInput[]) {
    return this.watches.watch(viewer, entries);
  }

  @Mutation(() => Int, { description: 'Stop watching these entries; returns how many of yours were removed.' })
  @RequireScopes('intel:read')
  unwatchIdentifiers(@CurrentViewer() viewer: Viewer, @Args('ids', { type: () => [ID] }) ids: string[]) {
    return this.watches.unwatch(viewer, ids);
  }

  @Query(() => [WatchEntryModel], {
    description: 'Your watched entries, newest first (their kinds and your references; never the values).',
  })
  @RequireScopes('intel:read')
  watchlist(
    @CurrentViewer() viewer: Viewer,
    @Args('first', { type: () => Int, defaultValue: 100, description: '1 to 500.' }) first: number,
    @Args('includeExpired', { defaultValue: false }) includeExpired: boolean,
  ) {
    return this.watches.entries(viewer, first, includeExpired);
  }

  @Query(() => WatchHitPage, { name: 'watchlistHits', description: 'Your watchlist hits, newest first.' })
  @RequireScopes('intel:read')
  async hitsPage(
    @CurrentViewer() viewer: Viewer,
    @Args('first', { type: () => Int, defaultValue: 50, description: '1 to 500.' }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<WatchHitPage> {
    const page = await this.watches.hits(viewer, first, after ?? undefined);
    return {
      hits: page.items as WatchHitModel[],
      hasNextPage: page.hasNextPage,
      endCursor: page.items.at(-1)?.cursor ?? null,
      headCursor: page.headCursor,
    };
  }

  @Subscription(() => WatchHitModel, {
    name: 'watchlistHits',
    description: 'Watchlist hits as they are recorded. With `after` (a hit cursor), first every hit since, exactly once.',
    resolve: (hit: WatchHitModel) => hit,
  })
  @RequireScopes('intel:read')
  liveHits(
    @CurrentViewer() viewer: Viewer,
    @Context() ctx: unknown,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ) {
    return this.hub.subscribe(viewer, after ? this.watches.decode(viewer, after) : undefined, socketDropper(ctx));
  }

  @Mutation(() => CreatedWebhook, { description: 'Register a webhook for watchlist hits; its signing secret is shown this once.' })
  @RequireScopes('tenant:admin')
  createWebhook(@CurrentViewer() viewer: Viewer, @Args('url') url: string) {
    return this.hooks.create(viewer, url);
  }

  @Mutation(() => Boolean)
  @RequireScopes('tenant:admin')
  deleteWebhook(@CurrentViewer() viewer: Viewer, @Args('id', { type: () => ID }) id: string) {
    return this.hooks.remove(viewer, id);
  }

  @Query(() => [WebhookModel])
  @RequireScopes('tenant:admin')
  webhooks(@CurrentViewer() viewer: Viewer) {
    return this.hooks.list(viewer);
  }

  @Query(() => [WebhookDeliveryModel], { description: "The delivery log of your tenant's webhooks, newest first." })
  @RequireScopes('tenant:admin')
  webhookDeliveries(
    @CurrentViewer() viewer: Viewer,
    @Args('webhookId', { type: () => ID, nullable: true }) webhookId?: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first = 50,
  ) {
    return this.hooks.deliveries(viewer, webhookId ?? undefined, first);
  }

  @Mutation(() => WebhookDeliveryModel, { description: "Send a delivery's hit again (a new delivery in the log)." })
  @RequireScopes('tenant:admin')
  replayWebhookDelivery(@CurrentViewer() viewer: Viewer, @Args('id', { type: () => ID }) id: string) {
    return this.hooks.replay(viewer, id);
  }
}
