import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../libs/database/src/embedded-postgres';

/**
 * A PostgreSQL server from the operating system's packages (Debian: `postgresql`, binaries in
 * /usr/lib/postgresql/<major>/bin), in a throw-away cluster of its own — the external server an
 * operator runs, with another major version than the embedded one. scripts/ci-install-postgres.sh
 * installs it on CI machines.
 */
export interface ExternalPostgres {
  /** Superuser URL of the `postgres` database (the DBA, who creates owners and databases). */
  url: string;
  major: number;
  stop(): void;
}

export const SUPERUSER_PASSWORD = 'external-pg-superuser';

/** The newest installed server's bin folder, or why there is none. CAIRN_EXTERNAL_PG_BIN overrides. */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const forced = process.env.CAIRN_EXTERNAL_PG_BIN;
  if (forced) return existsSync(join(forced, 'initdb')) ? { bin: forced } : { missing: `CAIRN_EXTERNAL_PG_BIN=${forced} has no initdb` };
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (majors.length === 0)
    return { missing: `no PostgreSQL server under ${root} (Debian: apt-get install postgresql, or run scripts/ci-install-postgres.sh)` };
  return { bin: join(root, String(Math.max(...majors.map(Number))), 'bin') };
}

/** initdb + pg_ctl start in a temp folder, on a free port, as user postgres when we are root (PostgreSQL refuses root). */
export async function startExternalPostgres(bin: string): Promise<ExternalPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-external-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, SUPERUSER_PASSWORD, { mode: 0o644 });
  const asPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  const run = (tool: string, args: string[]) =>
    execFileSync(asPostgres ? 'runuser' : join(bin, tool), asPostgres ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, {
      stdio: 'pipe',
      cwd: dir,
    });
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale=C']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`,
    'start',
  ]);
  const major = Number(
    execFileSync(join(bin, 'pg_config'), ['--version'])
      .toString()
      .match(/PostgreSQL (\d+)/)?.[1] ?? 0,
  );
  return {
    url: `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
    major,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
