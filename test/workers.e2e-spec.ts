import cluster from 'node:cluster';
import { get } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@cairn/database';
import { startWorkers, type Workers } from '../apps/api/src/workers';
import { waitFor } from './support/wait';

/** One request on a new connection; resolves with the pid of the worker that answered. */
function whoAnswers(port: number): Promise<number> {
  return new Promise((done, fail) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done(Number(body)));
    }).on('error', fail);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('API_WORKERS: worker processes sharing one port (startWorkers)', () => {
  let workers: Workers | undefined;
  const lines: string[] = [];

  beforeAll(() => cluster.setupPrimary({ exec: resolve(__dirname, 'fixtures', 'echo-worker.js') }));
  afterEach(async () => {
    await workers?.stop();
    workers = undefined;
  });

  it('serves from every worker, replaces one that dies, and stops them all', async () => {
    const port = await freePort();
    workers = await startWorkers(2, { PORT: String(port) }, (l) => lines.push(l));
    const pids = Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!);
    expect(pids).toHaveLength(2);

    const answered = new Set<number>();
    for (let i = 0; i < 40 && answered.size < 2; i++) answered.add(await whoAnswers(port));
    expect([...answered].sort()).toEqual([...pids].sort());

    // A worker killed outright is replaced, and the port keeps answering meanwhile.
    process.kill(pids[0], 'SIGKILL');
    await waitFor(() => Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead() && w.process.pid !== pids[0]).length === 2, {
      what: 'a replacement worker',
    });
    const now = Object.values(cluster.workers ?? {})
      .filter((w) => w && !w.isDead())
      .map((w) => w!.process.pid!);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(pids[0]);
    expect(lines.some((l) => l.includes(`API worker ${pids[0]} exited`))).toBe(true);
    // The replacement answers once it listens (connections meanwhile go to the other worker).
    const replacement = now.find((pid) => !pids.includes(pid))!;
    await waitFor(async () => (await whoAnswers(port)) === replacement, { what: `the replacement worker ${replacement} to answer` });

    await workers.stop();
    workers = undefined;
    expect(now.filter(alive)).toEqual([]);
  });

  it('keeps trying to replace a worker whose replacements fail to start, waiting longer each time', async () => {
    const port = await freePort();
    const flag = join(mkdtempSync(join(tmpdir(), 'cairn-workers-')), 'fail');
    workers = await startWorkers(1, { PORT: String(port), FAIL_IF_EXISTS: flag }, (l) => lines.push(l));
    const [first] = Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!);
    lines.length = 0;
    writeFileSync(flag, '');
    process.kill(first, 'SIGKILL');
    await waitFor(() => lines.filter((l) => l.includes('exited during start-up')).length >= 2, { what: 'two failed replacements' });
    expect(lines.filter((l) => l.startsWith('starting another API worker')).slice(0, 3)).toEqual([
      'starting another API worker in 500 ms',
      'starting another API worker in 1000 ms',
      'starting another API worker in 2000 ms',
    ]);
    rmSync(flag);
    const pid = await waitFor(() => whoAnswers(port), { what: 'a replacement worker to answer once it can start' });
    expect(pid).not.toBe(first);
    expect(alive(pid)).toBe(true);
  });

  it('fails start-up when a worker cannot start, leaving no worker behind and starting no replacement', async () => {
    const port = await freePort();
    lines.length = 0;
    await expect(startWorkers(2, { PORT: String(port), FAIL_START: '1' }, (l) => lines.push(l))).rejects.toThrow(
      /exited during start-up \(exit code 4\)/,
    );
    // No waiting for a replacement delay to pass: a replacement is scheduled (and logged) in the exit
    // handler of the dead worker, which has run for every worker by the time startWorkers rejects.
    expect(lines.filter((l) => l.startsWith('starting another API worker'))).toEqual([]);
    expect(Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead())).toEqual([]);
  });
});
