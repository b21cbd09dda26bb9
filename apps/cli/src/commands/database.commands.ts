import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRuntimeConfig, repoRoot } from '@cairn/common';
import {
  BackupError,
  analyze,
  describeBackupRows,
  backupDatabase,
  migrationStatus,
  prepareDatabase,
  resolveDatabase,
  restoreDatabase,
} from '@cairn/database';
import { CliCommand, CliUsageError, type CliArgs } from '../cli-command';

export const SCHEMA_FILE = resolve(repoRoot(), 'schema.graphql');

export const databaseCommands: CliCommand[] = [
  {
    path: ['migrate'],
    usage: '',
    description: 'Apply pending database migrations (DATABASE_URL, or the embedded PostgreSQL)',
    async run(_args, io) {
      const config = loadRuntimeConfig();
      const database = await resolveDatabase(config, io.err);
      try {
        const ran = await prepareDatabase(database.url, database.appUrl, config.databaseTrustKey, io.err);
        io.out(ran.length ? `Applied ${ran.length} migration(s): ${ran.join(', ')}` : 'Database is up to date');
        return 0;
      } finally {
        await database.stop();
      }
    },
  },
  {
    path: ['migrate', 'status'],
    usage: '',
    description: 'List applied and pending migrations without applying any (exit 1 if some are pending)',
    async run(args, io) {
      if (args.positional.length) throw new CliUsageError(`Unexpected argument: ${args.positional[0]}`);
      const status = await withDatabase(io.err, (url) => migrationStatus(url));
      for (const name of status.applied)
        io.out(`applied\t${name}${status.unknown.includes(name) ? '\t(unknown to this version of Cairn)' : ''}`);
      for (const name of status.pending) io.out(`pending\t${name}`);
      io.out(`${status.applied.length} applied, ${status.pending.length} pending`);
      return status.pending.length ? 1 : 0;
    },
  },
  {
    path: ['backup'],
    usage: '<file> [--force]',
    description:
      'Write a backup of every table (gzip’d JSON lines, with the migration version) from one snapshot; README "Backup and restore"',
    flags: { force: { description: 'overwrite an existing file', boolean: true } },
    async run(args, io) {
      const file = oneFile(args, 'backup');
      if (existsSync(file) && args.flags.force !== true)
        throw new CliUsageError(`${file} exists: give another name, or --force to overwrite it`);
      const summary = await withDatabase(io.err, (url) => backupDatabase(url, file));
      io.out(`Backed up ${describeBackupRows(summary.rows)} at migration ${summary.migration ?? '(none)'} to ${file}`);
      return 0;
    },
  },
  {
    path: ['restore'],
    usage: '<file>',
    description: 'Restore a backup into an empty database (migrated here to the backup’s version first), all or nothing',
    async run(args, io) {
      const file = oneFile(args, 'restore');
      if (!existsSync(file)) throw new CliUsageError(`${file}: no such file`);
      try {
        const summary = await withDatabase(io.err, async (url, appUrl, trustKey) => {
          // A database that was never migrated is brought to this version; any other is left as it is for the checks.
          if ((await migrationStatus(url)).applied.length === 0) await prepareDatabase(url, appUrl, trustKey, io.err);
          const restored = await restoreDatabase(url, file);
          await analyze(url);
          return restored;
        });
        io.out(`Restored ${describeBackupRows(summary.rows)} at migration ${summary.migration ?? '(none)'} from ${file}`);
        return 0;
      } catch (err) {
        if (!(err instanceof BackupError)) throw err;
        io.err(`Error: ${err.message}`);
        return 1;
      }
    },
  },
  {
    path: ['db'],
    usage: '',
    description:
      'Run the embedded PostgreSQL in the foreground and print its DATABASE_URL and DATABASE_APP_URL (for several API instances)',
    async run(_args, io) {
      const config = loadRuntimeConfig();
      if (config.databaseUrl) {
        io.err('DATABASE_URL is set: there is no embedded PostgreSQL to run');
        return 1;
      }
      const database = await resolveDatabase(config, io.err);
      await prepareDatabase(database.url, database.appUrl, config.databaseTrustKey, io.err);
      io.out(`DATABASE_URL=${database.url}`);
      io.out(`DATABASE_APP_URL=${database.appUrl}`);
      io.out('Press Ctrl+C to stop.');
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await database.stop();
      return 0;
    },
  },
  {
    path: ['schema'],
    usage: '',
    description: 'Write schema.graphql from the code-first resolvers (--check: exit 1 if it is stale)',
    flags: { check: { description: 'compare instead of writing', boolean: true } },
    async run(args, io) {
      // The schema is the API's: its module is loaded for this command only, so no other command pays for GraphQL.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose (see above)
      const { printAppSchema } = require('../../../api/src/print-schema') as typeof import('../../../api/src/print-schema');
      const sdl = await printAppSchema();
      if (args.flags.check) {
        const current = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
        if (current !== sdl) {
          io.err('schema.graphql is stale: run npm run schema');
          return 1;
        }
        io.out('schema.graphql is up to date');
        return 0;
      }
      writeFileSync(SCHEMA_FILE, sdl);
      io.out(`Wrote ${SCHEMA_FILE}`);
      return 0;
    },
  },
];

/** fn with the owner URL of DATABASE_URL or the embedded PostgreSQL; applies no migration. */
async function withDatabase<T>(log: (line: string) => void, fn: (url: string, appUrl: string, trustKey: string) => Promise<T>): Promise<T> {
  const config = loadRuntimeConfig();
  const database = await resolveDatabase(config, log);
  try {
    return await fn(database.url, database.appUrl, config.databaseTrustKey);
  } finally {
    await database.stop();
  }
}

function oneFile(args: CliArgs, command: string): string {
  if (args.positional.length !== 1 || args.positional[0] === '-') throw new CliUsageError(`${command} takes one file name`);
  return resolve(args.positional[0]);
}
