import { Module } from '@nestjs/common';
import { IntelModule } from '@cairn/intel';
import { TenancyModule } from '@cairn/tenancy';
import { FeedHub } from './feed-hub.service';
import { SightingsResolver } from './sightings.resolver';
import { FeedConnectionResolver } from './feed-connection.resolver';
import { StatsResolver } from './stats.resolver';
import { SightingsServicesModule } from './sightings-services.module';

/** Sightings as the API serves them: the services, the live feed and the resolvers. */
@Module({
  imports: [TenancyModule, IntelModule, SightingsServicesModule],
  providers: [FeedHub, SightingsResolver, FeedConnectionResolver, StatsResolver],
  exports: [SightingsServicesModule, FeedHub],
})
export class SightingsModule {}
