import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, postmasterPort, startEmbeddedPostgres } from './embedded-postgres';

describe('embedded PostgreSQL: a running server is found where it listens', () => {
  it('reads the port from postmaster.pid (4th line)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-pid-'));
    expect(postmasterPort(dir)).toBeUndefined();
    writeFileSync(join(dir, 'postmaster.pid'), '4242\n/data\n1765000000\n55431\n/tmp\n');
    expect(postmasterPort(dir)).toBe(55431);
  });

  // The issue: the API ran with EMBEDDED_PG_PORT=55431, the CLI (without it) tried 54329 and failed.
  const testDir = process.env.CAIRN_TEST_PG_DIR;
  (testDir ? it : it.skip)('reuses the server running on the folder although another port is configured', async () => {
    const runningPort = Number(new URL(process.env.CAIRN_TEST_PG_URL!).port);
    const otherPort = await freePort();
    expect(otherPort).not.toBe(runningPort);
    const pg = await startEmbeddedPostgres({ dataDir: join(testDir!, 'data'), port: otherPort });
    expect(pg.owned).toBe(false);
    expect(pg.port).toBe(runningPort);
    expect(new URL(pg.url).port).toBe(String(runningPort));
  });
});
