import cluster, { type Worker } from 'node:cluster';

/** Set in the environment of the processes startWorkers forks (not inferred from node:cluster, which other process managers use too). */
export const API_WORKER_ENV = 'CAIRN_API_WORKER';

/** A worker that dies after it listened is replaced after this long, doubling for each death in a row up to a minute. */
const RESTART_DELAY_MS = 500;
/** A replacement up this long resets the doubling. */
const STABLE_MS = 30_000;
/** A worker still alive this long after SIGTERM (it stops draining at 15 s) is killed. */
const STOP_TIMEOUT_MS = 20_000;

/**
 * API_WORKERS > 1: the starting process keeps the database (migrations, demo data, the embedded
 * server) and forks that many API processes, which share its port (node:cluster hands each new
 * connection to one of them). Each worker is a full API instance with its own connection pool;
 * they coordinate through PostgreSQL exactly as separate instances do (README "several API instances").
 */
export interface Workers {
  /** SIGTERM to every worker (each drains its requests in flight), then waits for them to exit. */
  stop(): Promise<void>;
}

export const isApiWorker = (): boolean => cluster.isWorker && process.env[API_WORKER_ENV] === '1';

/**
 * Forks `count` workers with `env` added to this process's environment; resolves once all listen.
 * If one fails to start, the others are stopped and the promise rejects. One that dies later is
 * replaced, after a delay that grows while replacements keep dying (or failing to start).
 */
export async function startWorkers(count: number, env: Record<string, string>, log: (line: string) => void): Promise<Workers> {
  let stopping = false;
  let deathsInARow = 0;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ ...env, [API_WORKER_ENV]: '1' });
      let listening = false;
      worker.once('listening', () => {
        listening = true;
        resolve(worker);
      });
      worker.once('exit', (code, signal) => {
        const how = signal ?? `exit code ${code}`;
        if (!listening)
          return reject(new Error(`API worker ${worker.process.pid} exited during start-up (${how}); its own output above says why`));
        if (stopping) return;
        log(`API worker ${worker.process.pid} exited (${how})`);
        replace();
      });
    });

  // A replacement that dies again, before or after it listens, waits twice as long as the last one;
  // the count starts again once a replacement has stayed up for STABLE_MS.
  const replace = (): void => {
    const delay = Math.min(60_000, RESTART_DELAY_MS * 2 ** deathsInARow++);
    log(`starting another API worker in ${delay} ms`);
    later(delay, () => {
      if (stopping) return;
      fork().then(
        (worker) => {
          const stable = later(STABLE_MS, () => (deathsInARow = 0));
          worker.once('exit', () => {
            clearTimeout(stable);
            timers.delete(stable);
          });
        },
        (err: Error) => {
          log(err.message);
          if (!stopping) replace();
        },
      );
    });
  };

  const stop = async () => {
    stopping = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    await Promise.all(
      live.map(
        (w) =>
          new Promise<void>((resolve) => {
            const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
            w.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };
  const started = await Promise.allSettled(Array.from({ length: count }, fork));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  log(`${count} API workers listening (pids ${started.map((s) => (s as PromiseFulfilledResult<Worker>).value.process.pid).join(', ')})`);
  return { stop };
}
