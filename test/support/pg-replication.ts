import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../libs/database/src/embedded-postgres';
import { SUPERUSER_PASSWORD } from './external-pg';

/** One server of the pair: its superuser URL (database `postgres`) and its server log. */
export interface PgServer {
  url: string;
  port: number;
  /** The server log from `from` (a length read earlier): every statement, each line prefixed `<application_name>|`. */
  logSince(from: number): string;
  logLength(): number;
  /** Stops the server (fast shutdown); start() brings it back on the same port and data. */
  stop(): void;
  start(): void;
}

export interface ReplicatedPostgres {
  primary: PgServer;
  /** A hot standby of the primary (pg_basebackup -R), streaming from it. */
  replica: PgServer;
  stop(): void;
}

/**
 * Two clusters of the operating system's PostgreSQL (Debian: `postgresql`) on loopback: a primary
 * and a streaming replica made from it with pg_basebackup -R, both logging every statement with the
 * connection's application_name, so a test can tell which server ran what. As user postgres when
 * we are root (PostgreSQL refuses root).
 */
export async function startReplicatedPostgres(bin: string): Promise<ReplicatedPostgres> {
  if (!existsSync(join(bin, 'pg_basebackup'))) throw new Error(`${bin} has no pg_basebackup`);
  const dir = mkdtempSync(join(tmpdir(), 'cairn-replicated-pg-'));
  chmodSync(dir, 0o777);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, SUPERUSER_PASSWORD, { mode: 0o644 });
  const asPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  const run = (tool: string, args: string[]) =>
    execFileSync(asPostgres ? 'runuser' : join(bin, tool), asPostgres ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, {
      stdio: 'pipe',
      cwd: dir,
    });
  // Every statement in the log, prefixed with the connection's application_name (a routed read labels its transaction).
  const options = (port: number) =>
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c log_statement=all -c log_line_prefix='%a|'`;
  const running = new Set<string>();
  const start = (name: string, port: number) => {
    run('pg_ctl', ['-D', join(dir, name), '-l', join(dir, `${name}.log`), '-w', '-t', '60', '-o', options(port), 'start']);
    running.add(name);
  };
  const halt = (name: string) => {
    run('pg_ctl', ['-D', join(dir, name), '-m', 'fast', '-w', 'stop']);
    running.delete(name);
  };
  const server = (name: string, port: number): PgServer => {
    const log = join(dir, `${name}.log`);
    return {
      url: `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
      port,
      logLength: () => (existsSync(log) ? readFileSync(log).length : 0),
      logSince: (from) => (existsSync(log) ? readFileSync(log).subarray(from).toString() : ''),
      stop: () => halt(name),
      start: () => start(name, port),
    };
  };
  const stop = () => {
    try {
      for (const name of ['replica', 'primary'].filter((n) => running.has(n)))
        run('pg_ctl', ['-D', join(dir, name), '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    run('initdb', [
      '-D',
      join(dir, 'primary'),
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    start('primary', primaryPort);
    // initdb's pg_hba.conf lets `replication` connect from 127.0.0.1 with a password; -R writes standby.signal and primary_conninfo.
    run('pg_basebackup', [
      '-d',
      `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${primaryPort}/postgres`,
      '-D',
      join(dir, 'replica'),
      '-R',
      '-X',
      'stream',
      '--no-sync',
      '-c',
      'fast',
    ]);
    start('replica', replicaPort);
    return { primary: server('primary', primaryPort), replica: server('replica', replicaPort), stop };
  } catch (err) {
    stop();
    throw err;
  }
}

/** Runs statements as the superuser of one server, returning the last one's rows. */
export async function superuserQuery<T>(url: string, sql: string[], database = 'postgres'): Promise<T[]> {
  const u = new URL(url);
  u.pathname = `/${database}`;
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    let rows: T[] = [];
    for (const s of sql) rows = (await c.query(s)).rows as T[];
    return rows;
  } finally {
    await c.end();
  }
}
