import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { CAIRN_CONFIG, JsonLogger, Metrics, RequestLimiter } from '@cairn/common';
import { assertSafeAppRole, connectWithRetry, createDataSource, describeDatabaseUrl } from '@cairn/database';
import { DbTrust } from '@cairn/access';
import { TenancyModule } from '@cairn/tenancy';
import { AuditModule } from '@cairn/audit';
import { AuthModule } from '@cairn/auth';
import { IntelModule } from '@cairn/intel';
import { LookupModule } from '@cairn/lookup';
import { SightingsModule } from '@cairn/sightings';
import { TaxiiModule } from '@cairn/taxii';
import { APP_OPTIONS, AppOptions } from './app-options';
import { ENTITIES } from './entities';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { GraphqlOperations } from './metrics/graphql-operations';
import { MetricsListener } from './metrics/metrics-listener';
import { watchPool } from './metrics/pool-metrics';
import { ServerInfoResolver } from './graphql/server-info.resolver';
import { graphqlOptions } from './graphql/graphql-options';
import { WsDoor } from './graphql/ws-door';
import { GraphiqlController } from './graphiql/graphiql.controller';

@Global()
@Module({})
class CoreModule {
  static forRoot(options: AppOptions, logger: JsonLogger, metrics: Metrics): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_OPTIONS, useValue: options },
        { provide: CAIRN_CONFIG, useValue: options.config },
        { provide: JsonLogger, useValue: logger },
        { provide: Metrics, useValue: metrics },
        GraphqlOperations,
        RequestLimiter,
        DbTrust,
      ],
      exports: [APP_OPTIONS, CAIRN_CONFIG, JsonLogger, Metrics, GraphqlOperations, RequestLimiter, DbTrust],
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
        CoreModule.forRoot(options, logger, metrics),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ type: 'postgres', manualInitialization: true }),
          dataSourceFactory: async () => {
            const ds = createDataSource({ url: options.appDatabaseUrl, entities: ENTITIES, poolSize: config.dbPoolSize, applicationName: 'cairn-api' });
            if (options.connectDatabase) {
              await connectWithRetry(ds, {
                attempts: config.dbConnectAttempts,
                delayMs: config.dbRetryDelayMs,
                describe: describeDatabaseUrl(options.appDatabaseUrl),
                log: (line) => logger.warn(line, 'Database'),
              });
              // Row-level security is the second lock only for a login that cannot step around it.
              try {
                await assertSafeAppRole(ds);
              } catch (err) {
                await ds.destroy();
                throw err;
              }
              watchPool(metrics, 'app', ds);
            }
            return ds;
          },
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
      ],
      controllers: [HealthController, MetricsController, GraphiqlController],
      providers: [ServerInfoResolver, WsDoor, MetricsListener],
    };
  }
}
