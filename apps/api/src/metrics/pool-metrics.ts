import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Metrics } from '@cairn/common';

type Connect = Pool['connect'];
type Done = (err: Error | undefined, client: PoolClient | undefined, release: (release?: unknown) => void) => void;

/**
 * Reports the data source's pg pool (TypeORM's PostgresDriver keeps it as `master`) at every
 * scrape — size, in use, waiting, max — and times every checkout from it. The API has one pool at
 * run time, the app login's; the owner connects only at start-up, for migrations, outside any pool.
 */
export function watchPool(metrics: Metrics, name: string, ds: DataSource): void {
  const pool = (ds.driver as unknown as { master?: Pool }).master;
  if (!pool) return;
  metrics.watchPool(name, () => ({
    max: pool.options.max ?? 10,
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  }));
  const connect = pool.connect.bind(pool) as (cb?: Done) => Promise<PoolClient> | void;
  const observe = (started: bigint) => metrics.dbPoolAcquire.observe({ pool: name }, Number(process.hrtime.bigint() - started) / 1e9);
  // TypeORM checks out with a callback; anything else with the promise form. Both are timed.
  pool.connect = ((cb?: Done) => {
    const started = process.hrtime.bigint();
    if (cb) {
      return connect((err, client, release) => {
        observe(started);
        cb(err, client, release);
      });
    }
    return (connect() as Promise<PoolClient>).finally(() => observe(started));
  }) as Connect;
}
