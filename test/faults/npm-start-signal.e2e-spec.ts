import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TEST_SECRETS } from '@cairn/common';
import { freePort, prepareDataDir } from '../../libs/database/src/embedded-postgres';
import { alive, descendants, healthy, spawnCollecting, waitFor, type Spawned } from '../support/processes';
import { openRequest } from '../support/raw-http';

const ROOT = resolve(__dirname, '../..');

/**
 * What an operator (or a process manager wrapping `npm start`) does: SIGTERM to the npm process.
 * npm forwards the signal to its child only; the server must be that child (not a shell in between),
 * drain, stop the embedded PostgreSQL it started, and exit 0 — leaving no process behind.
 */
describe('npm start: a stop signal to npm drains the server and stops its embedded PostgreSQL', () => {
  let dir: string;
  let run: Spawned | undefined;
  const leftovers: number[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-npm-start-'));
    prepareDataDir(dir);
  });
  afterAll(async () => {
    for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: node and postgres are gone and npm exits 0',
    async (signal) => {
      const port = await freePort();
      const dataDir = join(dir, `pg-${signal}`);
      run = spawnCollecting('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...TEST_SECRETS,
          NODE_ENV: 'development',
          PORT: String(port),
          HOST: '127.0.0.1',
          EMBEDDED_PG_DIR: dataDir,
          EMBEDDED_PG_PORT: String(await freePort()),
          SEED_DEMO: 'false',
          LOG_LEVEL: 'warn',
        },
      });
      const npmPid = run.child.pid!;
      await waitFor(`/health on port ${port}`, () => healthy(`http://127.0.0.1:${port}`), 180_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${run!.output()}`);
      });
      const server = descendants(npmPid).find((p) => p.cmd.includes('dist/apps/api/src/main.js'));
      expect(server).toBeDefined();
      const postgres = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      leftovers.push(server!.pid, postgres);
      expect(alive(postgres)).toBe(true);

      // A request in flight when the signal comes: headers and half its body sent. The database must
      // still be there when the rest arrives (a sign-in reads it), so nothing may stop it before the drain.
      const body = JSON.stringify({ query: 'mutation { login(email: "nobody@example.org", password: "wrong password") { accessToken } }' });
      const inFlight = await openRequest(port, body);

      process.kill(npmPid, signal);
      await waitFor(
        'the server to stop accepting connections',
        () =>
          healthy(`http://127.0.0.1:${port}`).then(
            () => false,
            () => true,
          ),
        30_000,
      );
      const response = inFlight.finish();
      expect(await response).toMatch(/^HTTP\/1\.1 200[\s\S]*"code":"UNAUTHENTICATED"/);
      const exit = await waitFor(
        'npm to exit',
        () => Promise.race([run!.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]),
        30_000,
      );
      await waitFor('the server and PostgreSQL to exit', () => !alive(server!.pid) && !alive(postgres), 30_000).catch((err: Error) => {
        throw new Error(
          `${err.message}: server ${alive(server!.pid) ? 'still running' : 'gone'}, postgres ${alive(postgres) ? 'still running' : 'gone'}\n${run!.output()}`,
        );
      });
      expect(exit).toEqual({ code: 0, signal: null });
    },
    240_000,
  );
});
