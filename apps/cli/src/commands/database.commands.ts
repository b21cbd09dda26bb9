import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRuntimeConfig, repoRoot } from '@cairn/common';
import { prepareDatabase, resolveDatabase } from '@cairn/database';
import { CliCommand } from '../cli-command';
import { printAppSchema } from '../../../api/src/print-schema';

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
    path: ['db'],
    usage: '',
    description: 'Run the embedded PostgreSQL in the foreground and print its DATABASE_URL and DATABASE_APP_URL (for several API instances)',
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
