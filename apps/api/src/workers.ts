import cluster, { type Worker } from 'node:cluster';

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

/** Forks `count` workers with `env` added to this process's environment; resolves once all listen. */
export async function startWorkers(count: number, env: Record<string, string>, log: (line: string) => void): Promise<Workers> {
  let stopping = false;
  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(env);
      worker.once('listening', () => resolve(worker));
      worker.once('exit', (code, signal) => {
        reject(new Error(`API worker ${worker.process.pid} exited during start-up (${signal ?? code})`));
        if (stopping) return;
        // A worker that dies after start-up is replaced; the others keep serving meanwhile.
        log(`API worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        fork().catch((err: Error) => log(err.message));
      });
    });
  const workers = await Promise.all(Array.from({ length: count }, fork));
  log(`${workers.length} API workers listening (pids ${workers.map((w) => w.process.pid).join(', ')})`);
  return {
    async stop() {
      stopping = true;
      const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      await Promise.all(
        live.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

export const isApiWorker = (): boolean => cluster.isWorker;
