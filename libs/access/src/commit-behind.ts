import { QueryFailedError, type EntityManager } from 'typeorm';

/** node-postgres's Client, as much of it as this uses (`pipeline`: pg ≥ 8.23's pipeline mode). */
interface PgConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  pipeline?: boolean;
}

/**
 * Runs `sql` as the last statement of m's transaction and commits right behind it: the statement,
 * COMMIT and a BEGIN (for the empty transaction the caller's runner then commits or rolls back) go
 * to the server together, in node-postgres's pipeline mode, so PostgreSQL commits the moment the
 * statement is done, without waiting for the app to answer. A row lock the statement takes (the feed
 * order's feed_counter) is then held for the statement and the commit only — never across a turn
 * of a busy event loop, which under load is tens to hundreds of milliseconds during which every
 * other writer waits. If the statement fails, the COMMIT rolls back and its error is thrown.
 *
 * Only for a statement after which the transaction does nothing else: a statement run on `m`
 * afterwards is outside it (and without the viewer's settings, so row-level security refuses it).
 * Outside a top-level transaction (none, or a savepoint) this is m.query.
 */
export async function queryAndCommit<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = m.queryRunner as unknown as { isTransactionActive?: boolean; transactionDepth?: number; databaseConnection?: PgConnection } | undefined;
  const connection = runner?.databaseConnection;
  if (!runner?.isTransactionActive || runner.transactionDepth !== 1 || !connection) return m.query(sql, params);
  // Pipeline mode only while these three are in flight: nothing else runs on a transaction's
  // connection meanwhile, and each statement has its own Sync, so a failed one does not swallow the
  // COMMIT behind it (which then rolls back). Without pipeline mode they would simply queue.
  const pipelined = connection.pipeline;
  if (pipelined === false) connection.pipeline = true;
  let settled: [PromiseSettledResult<{ rows: unknown[] }>, PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
  try {
    settled = await Promise.allSettled([connection.query(sql, params), connection.query('COMMIT'), connection.query('BEGIN')]);
  } finally {
    if (pipelined === false) connection.pipeline = false;
  }
  const [done, committed, reopened] = settled;
  if (done.status === 'rejected') throw new QueryFailedError(sql, params, done.reason as Error);
  if (committed.status === 'rejected') throw new QueryFailedError('COMMIT', [], committed.reason as Error);
  if (reopened.status === 'rejected') throw new QueryFailedError('BEGIN', [], reopened.reason as Error);
  return done.value.rows as T[];
}
