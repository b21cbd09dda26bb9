import { Module } from '@nestjs/common';
import { IntelModule } from '@cairn/intel';
import { TenancyModule } from '@cairn/tenancy';
import { FeedService } from './feed.service';
import { SightingsService } from './sightings.service';
import { SightingFactsHook } from './sighting-facts.hook';
import { SightingFactsRepair } from './sighting-facts.repair';
import { StatsService } from './stats.service';

/**
 * The sightings domain without its doors: reporting, the facts store hook, the feed reads and the
 * statistics. What an app that serves no subscriptions (the CLI) imports; SightingsModule adds the
 * live feed (FeedHub, which holds a LISTEN connection) and the resolvers.
 */
@Module({
  imports: [TenancyModule, IntelModule],
  providers: [SightingFactsHook, SightingFactsRepair, SightingsService, FeedService, StatsService],
  exports: [SightingsService, SightingFactsRepair, FeedService, StatsService],
})
export class SightingsServicesModule {}
