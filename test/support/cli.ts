import { Client } from 'pg';
import { TEST_SECRETS } from '@cairn/common';
import type { CliIO } from '../../apps/cli/src/cli-command';
import { appUrlFor } from './database';

/** A CLI's input and output held in memory: what a command printed to stdout (`out`) and stderr (`err`). */
export function fakeIo(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin };
  return { io, out, err, text: () => [...out, ...err].join('\n') };
}

/** Runs one statement on its own connection to the database at `url()` (read when called) and returns its rows. */
export function sqlOn(url: () => string) {
  return async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: url() });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
}

/** The environment a CLI command reads (as a shell would set it) to work on the test database at `ownerUrl`. */
export function cliEnv(ownerUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: ownerUrl,
    DATABASE_APP_URL: appUrlFor(ownerUrl),
    SEED_DEMO: 'false',
    ...TEST_SECRETS,
  };
}
