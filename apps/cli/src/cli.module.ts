import { DynamicModule, Module } from '@nestjs/common';
import { JsonLogger, Metrics, type CairnConfig } from '@cairn/common';
import { CoreModule, DataSourceModule } from '@cairn/app-core';
import { AuditModule } from '@cairn/audit';
import { AuthModule } from '@cairn/auth';
import { IntelModule } from '@cairn/intel';
import { LookupModule } from '@cairn/lookup';
import { SightingsServicesModule } from '@cairn/sightings';
import { TaxiiServicesModule } from '@cairn/taxii';
import { TenancyModule } from '@cairn/tenancy';
import { WatchlistServicesModule } from '@cairn/watchlist';

/**
 * The CLI's application context: the domain services its commands call, over the same data source
 * and core providers as the API, and none of the API's doors — no GraphQL module, no HTTP
 * controllers, no WebSocket door, no live-feed LISTEN connection. Lookup and sightings are here
 * for their store hooks too: whatever a command stores is indexed and counted as through the API.
 */
@Module({})
export class CliModule {
  static forRoot(config: CairnConfig, appDatabaseUrl: string, logger: JsonLogger): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CoreModule.forRoot({ config, logger, metrics: new Metrics() }),
        DataSourceModule.forRoot({ config, logger, appDatabaseUrl, applicationName: 'cairn-cli', connect: true }),
        AuditModule,
        AuthModule.forRoot(config.auth),
        TenancyModule,
        IntelModule,
        LookupModule,
        SightingsServicesModule,
        TaxiiServicesModule,
        WatchlistServicesModule,
      ],
    };
  }
}
