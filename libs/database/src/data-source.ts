import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { MIGRATIONS } from './migrations';

export interface DataSourceInput {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: MixedList<Function | string | EntitySchema>;
  poolSize?: number;
  applicationName?: string;
  /** Defaults to every migration (MIGRATIONS). */
  migrations?: MigrationList;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export type MigrationList = Array<Function>;

/**
 * The group role that holds the API's table rights and that the row-level-security policies name.
 * Nobody logs in as it: the run-time login (DATABASE_APP_URL) is a member; migrations run as the owner.
 */

/** The one TypeORM data source definition shared by the API and the CLI (migrations only, never synchronize). */
export function createDataSource(input: DataSourceInput): DataSource {
  return new DataSource({
    type: 'postgres',
    url: input.url,
    entities: input.entities,
    migrations: input.migrations ?? MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    // A failed run leaves nothing half-applied (migrate() asks for the same explicitly).
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: input.poolSize ?? 10,
      application_name: input.applicationName ?? 'cairn',
      connectionTimeoutMillis: 5000,
      // A broken connection surfaces as an error on the next query, not as a crash.
      keepAlive: true,
    },
  });
}

/** Short description of a database URL without its password, for log lines. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** Initialises the data source, retrying while the server is unreachable, with one log line per attempt. */
export async function connectWithRetry(
  ds: DataSource,
  opts: { attempts: number; delayMs: number; log: (line: string) => void; describe: string },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ds.initialize();
      return;
    } catch (err) {
      const reason = (err as { code?: string; message?: string }).code ?? (err as Error).message;
      if (opts.attempts > 0 && attempt >= opts.attempts) {
        throw new Error(`database unreachable at ${opts.describe} after ${attempt} attempts (${reason})`, { cause: err });
      }
      opts.log(`database unreachable at ${opts.describe} (${reason}); retrying in ${opts.delayMs} ms (attempt ${attempt})`);
      await new Promise((r) => setTimeout(r, opts.delayMs));
    }
  }
}
