import { Module } from '@nestjs/common';
import { IntelModule } from '@cairn/intel';
import { TenancyModule } from '@cairn/tenancy';
import { FeedHub } from './feed-hub.service';
import { FeedService } from './feed.service';
import { SightingsResolver } from './sightings.resolver';
import { FeedConnectionResolver } from './feed-connection.resolver';
import { SightingsService } from './sightings.service';
import { SightingFactsHook } from './sighting-facts.hook';
import { SightingFactsRepair } from './sighting-facts.repair';
import { StatsService } from './stats.service';
import { StatsResolver } from './stats.resolver';

@Module({
  imports: [TenancyModule, IntelModule],
  providers: [SightingFactsHook, SightingFactsRepair, SightingsService, FeedService, FeedHub, SightingsResolver, FeedConnectionResolver, StatsService, StatsResolver],
  exports: [SightingsService, SightingFactsRepair, FeedService, FeedHub, StatsService],
})
export class SightingsModule {}
