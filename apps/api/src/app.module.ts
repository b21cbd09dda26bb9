import { DynamicModule, Global, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { JsonLogger, Metrics, RequestLimiter } from '@cairn/common';
import { CoreModule, DataSourceModule } from '@cairn/app-core';
import { TenancyModule } from '@cairn/tenancy';
import { AuditModule } from '@cairn/audit';
import { AuthModule } from '@cairn/auth';
import { IntelModule } from '@cairn/intel';
import { LookupModule } from '@cairn/lookup';
import { SightingsModule } from '@cairn/sightings';
import { TaxiiModule } from '@cairn/taxii';
import { WatchlistModule } from '@cairn/watchlist';
import { APP_OPTIONS, AppOptions } from './app-options';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { GraphqlOperations } from './metrics/graphql-operations';
import { MetricsListener } from './metrics/metrics-listener';
import { watchPool } from './metrics/pool-metrics';
import { ServerInfoResolver } from './graphql/server-info.resolver';
import { graphqlOptions } from './graphql/graphql-options';
import { WsDoor } from './graphql/ws-door';
import { GraphiqlController } from './graphiql/graphiql.controller';
import { ConsoleController } from './console/console.controller';

/** What only the API's doors need, beside the core providers both apps share (@cairn/app-core). */
@Global()
@Module({})
class ApiCoreModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: ApiCoreModule,
      providers: [{ provide: APP_OPTIONS, useValue: options }, GraphqlOperations, RequestLimiter],
      exports: [APP_OPTIONS, GraphqlOperations, RequestLimiter],
    };
  }
}

/** The API: wiring only. Each domain lives in its own module under libs/. */
@Module({})
export class AppModule {
  static forRoot(options: AppOptions, logger: JsonLogger): DynamicModule {
    const { config } = options;
    const metrics = new Metrics();
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ config, logger, metrics }),
        ApiCoreModule.forRoot(options),
        DataSourceModule.forRoot({
          config,
          logger,
          appDatabaseUrl: options.appDatabaseUrl,
          applicationName: 'cairn-api',
          connect: options.connectDatabase,
          onConnected: (ds, pool) => watchPool(metrics, pool ?? 'app', ds),
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [GraphqlOperations],
          useFactory: (operations: GraphqlOperations) => graphqlOptions(logger, config, operations),
        }),
        AuditModule,
        AuthModule.forRoot(config.auth),
        TenancyModule,
        IntelModule,
        LookupModule,
        SightingsModule,
        TaxiiModule,
        WatchlistModule,
      ],
      controllers: [HealthController, MetricsController, GraphiqlController, ConsoleController],
      providers: [ServerInfoResolver, WsDoor, MetricsListener],
    };
  }
}
