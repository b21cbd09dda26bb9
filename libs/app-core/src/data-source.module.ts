import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CairnConfig, JsonLogger } from '@cairn/common';
import { assertSafeAppRole, connectWithRetry, createDataSource, describeDatabaseUrl } from '@cairn/database';
import { ENTITIES } from './entities';

export interface DataSourceModuleInput {
  config: CairnConfig;
  logger: JsonLogger;
  /** The run-time login's URL, never the owner: row-level security must hold for every query. */
  appDatabaseUrl: string;
  /** Shown in pg_stat_activity, so an operator can tell the API's connections from a CLI call's. */
  applicationName: string;
  /** False only to build the app without a database (printing the GraphQL schema). */
  connect: boolean;
  /** Called once connected and checked (the API watches the pool for its metrics). */
  onConnected?: (ds: DataSource) => void;
}

/** The one TypeORM data source of an app, over every domain's entities, connected as the run-time login. */
@Module({})
export class DataSourceModule {
  static forRoot(input: DataSourceModuleInput): DynamicModule {
    const { config, logger } = input;
    return {
      module: DataSourceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ type: 'postgres', manualInitialization: true }),
          dataSourceFactory: async () => {
            const ds = createDataSource({ url: input.appDatabaseUrl, entities: ENTITIES, poolSize: config.dbPoolSize, applicationName: input.applicationName });
            if (!input.connect) return ds;
            await connectWithRetry(ds, {
              attempts: config.dbConnectAttempts,
              delayMs: config.dbRetryDelayMs,
              describe: describeDatabaseUrl(input.appDatabaseUrl),
              log: (line) => logger.warn(line, 'Database'),
            });
            // Row-level security is the second lock only for a login that cannot step around it.
            try {
              await assertSafeAppRole(ds);
            } catch (err) {
              await ds.destroy();
              throw err;
            }
            input.onConnected?.(ds);
            return ds;
          },
        }),
      ],
    };
  }
}
