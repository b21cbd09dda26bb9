import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Metrics, type CairnConfig, type JsonLogger } from '@cairn/common';
import { ReplicaReads, assertSafeAppRole, connectWithRetry, createDataSource, describeDatabaseUrl } from '@cairn/database';
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
  /** Called once connected and checked (the API watches the pool for its metrics), for the replica's with `pool` = "replica". */
  onConnected?: (ds: DataSource, pool?: 'replica') => void;
}

/**
 * The one TypeORM data source of an app, over every domain's entities, connected as the run-time
 * login; and ReplicaReads, which sends the reads that may go to a streaming replica there when
 * DATABASE_REPLICA_URL is set (else to this data source, as every other query).
 */
@Module({})
export class DataSourceModule {
  static forRoot(input: DataSourceModuleInput): DynamicModule {
    const { config, logger } = input;
    const replicaReads = {
      provide: ReplicaReads,
      inject: [getDataSourceToken(), { token: Metrics, optional: true }],
      useFactory: async (primary: DataSource, metrics?: Metrics) => {
        const url = config.databaseReplicaUrl;
        if (!url || !input.connect) return ReplicaReads.primaryOnly(primary);
        const applicationName = `${input.applicationName}-replica`;
        const replica = createDataSource({ url, entities: ENTITIES, poolSize: config.dbPoolSize, applicationName });
        const reads = await ReplicaReads.withReplica(primary, replica, {
          maxWaitMs: config.replicaMaxWaitMs,
          retryDelayMs: config.dbRetryDelayMs,
          applicationName,
          onRead: (path, server, reason) => metrics?.replicaReads.inc({ path, server, reason: reason ?? 'none' }),
          onConnected: (ds) => input.onConnected?.(ds, 'replica'),
          log: (line) => logger.warn(`${line} (${describeDatabaseUrl(url)})`, 'Database'),
        });
        logger.log(
          `reads that may be served by a replica go to ${describeDatabaseUrl(url)} (waiting at most ${config.replicaMaxWaitMs} ms for it to catch up)`,
          'Database',
        );
        return reads;
      },
    };
    return {
      module: DataSourceModule,
      global: true,
      providers: [replicaReads],
      exports: [ReplicaReads],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ type: 'postgres', manualInitialization: true }),
          dataSourceFactory: async () => {
            const ds = createDataSource({
              url: input.appDatabaseUrl,
              entities: ENTITIES,
              poolSize: config.dbPoolSize,
              applicationName: input.applicationName,
            });
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
