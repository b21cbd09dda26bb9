import { Module } from '@nestjs/common';
import { SqlParams } from '@cairn/access';
import { AuditModule } from '@cairn/audit';
import { IntelModule, IntelStoreHooks } from '@cairn/intel';
import { LookupModule } from '@cairn/lookup';
import { TenancyModule } from '@cairn/tenancy';
import { WatchHub } from './watch-hub.service';
import { WatchMatcher } from './watch-matcher.service';
import { WatchlistResolver } from './watchlist.resolver';
import { WatchlistService } from './watchlist.service';
import { WebhookService } from './webhook.service';

/**
 * Watchlists without their doors: the services and the store hook that queues every stored batch
 * for matching (in the storing statement, whether or not anyone watches). The CLI imports this, so
 * what it imports is matched too, by the API's next pass.
 */
@Module({
  imports: [TenancyModule, IntelModule, LookupModule, AuditModule],
  providers: [WatchlistService, WatchMatcher, WebhookService],
  exports: [WatchlistService, WatchMatcher, WebhookService],
})
export class WatchlistServicesModule {
  constructor(hooks: IntelStoreHooks) {
    hooks.register((batch, p: SqlParams, storedVersions: string) => {
      const publisher = p.add(batch.audience.publisherTenantId);
      return `INSERT INTO watch_outbox (publisher_tenant_id, object_pks)
              SELECT ${publisher}::uuid, array_agg(pk) FROM ${storedVersions} HAVING count(*) > 0`;
    });
  }
}

/** Watchlists as the API serves them: the services, the matching and webhook loops, the live hits and the resolvers. */
@Module({
  imports: [WatchlistServicesModule, TenancyModule, IntelModule],
  providers: [WatchHub, WatchlistResolver],
  exports: [WatchlistServicesModule, WatchHub],
})
export class WatchlistModule {}
