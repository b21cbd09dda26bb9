import { DynamicModule, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { AuditModule } from '@cairn/audit';
import { AuthModule } from '@cairn/auth';
import { JsonLogger, loadConfig, Metrics, TEST_SECRETS, type CairnConfig } from '@cairn/common';
import { IntelModule } from '@cairn/intel';
import { LookupModule } from '@cairn/lookup';
import { SightingsModule } from '@cairn/sightings';
import { TaxiiModule } from '@cairn/taxii';
import { TenancyModule } from '@cairn/tenancy';
import { CoreModule, DataSourceModule } from '@cairn/app-core';
import { appUrlFor, createTestDatabase } from './database';

/**
 * The middle test tier ("service" specs, `libs/**\/*.service.spec.ts`): the real domain modules on
 * a fresh copy of the migrated test database, connected as the run-time login (so row-level
 * security applies, as in production) — but no GraphQL, no HTTP listener, no WebSocket door.
 * Specs call the services directly with an explicit viewer (test/factories/).
 */
export interface ServiceContext {
  app: INestApplicationContext;
  config: CairnConfig;
  /** The owner (superuser) URL of the database, for looking at rows behind the services' back. */
  databaseUrl: string;
  /** What the services connect with: the run-time login. */
  appDatabaseUrl: string;
  /** A connected owner client (whom row-level security does not restrict), closed by close(). */
  owner(): Promise<Client>;
  close(): Promise<void>;
}

/** The domain modules the API wires (apps/api/src/app.module.ts), on the test database; env overrides configuration. */
@Module({})
class ServiceTestModule {
  static forRoot(config: CairnConfig, appDatabaseUrl: string, logger: JsonLogger): DynamicModule {
    return {
      module: ServiceTestModule,
      imports: [
        // The same wiring the API and the CLI use: its data source refuses a login that could step
        // around row-level security, which is the point of this tier.
        CoreModule.forRoot({ config, logger, metrics: new Metrics() }),
        DataSourceModule.forRoot({ config, logger, appDatabaseUrl, applicationName: 'cairn-service-test', connect: true }),
        AuditModule,
        AuthModule.forRoot(config.auth),
        TenancyModule,
        IntelModule,
        LookupModule,
        SightingsModule,
        TaxiiModule,
      ],
    };
  }
}

export async function startServiceContext(opts: { env?: Record<string, string> } = {}): Promise<ServiceContext> {
  const databaseUrl = await createTestDatabase();
  const appDatabaseUrl = appUrlFor(databaseUrl);
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, DATABASE_APP_URL: appDatabaseUrl, SEED_DEMO: 'false', ...opts.env },
    TEST_SECRETS,
  );
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(ServiceTestModule.forRoot(config, appDatabaseUrl, logger), {
    logger,
    abortOnError: false,
  });
  // Lifecycle hooks run as in the API (FeedHub listens for NOTIFY, store hooks register).
  await app.init();
  const clients: Client[] = [];
  return {
    app,
    config,
    databaseUrl,
    appDatabaseUrl,
    async owner() {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.end()));
      await app.close();
    },
  };
}
