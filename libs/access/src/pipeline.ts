import { QueryFailedError, type EntityManager } from 'typeorm';
import type { AccessScope } from './access-scope';
import { ownedTransactions } from './owned-transactions';
import { viewerSettingsSql } from './viewer-transaction';

/** node-postgres's Client, as much of it as this uses (`pipeline`: pg ≥ 8.23's pipeline mode). */
export interface PgConnection {
  query(sql: string | { name: string; text: string; values: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[] }>;
  pipeline?: boolean;
  /** The protocol connection and its socket. */
  connection?: { stream?: { cork(): void; uncork(): void } };
}

export interface Statement {
  sql: string;
  params: unknown[];
  /** A prepared statement's name: parsed once per connection, as node-postgres's named queries are. */
  name?: string;
}

/** A statement sent ahead of a transaction (beginWith's `before`) and the check of its rows, which may throw. */
export interface StatementAhead<R = Record<string, unknown>> {
  statement: Statement;
  check: (rows: R[]) => void;
}

/** A statement ahead run on its own (no round trip to share), its rows handed to its check. */
export async function runAhead<R>(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  ahead: StatementAhead<R>,
): Promise<void> {
  ahead.check((await db.query(ahead.statement.sql, ahead.statement.params)) as R[]);
}

const send = (connection: PgConnection, s: Statement) =>
  s.name ? connection.query({ name: s.name, text: s.sql, values: s.params }) : connection.query(s.sql, s.params);

/** The statement setViewer runs: the row-level-security viewer for the rest of the transaction. */
export function viewerStatement(scope: AccessScope): Statement {
  return {
    sql: `SELECT ${viewerSettingsSql('$1', '$2', '$3', '$4')}`,
    params: [scope.tenantId, scope.country, scope.sectors.join(','), scope.groupIds.join(',')],
  };
}

/** The connection of m's top-level transaction, or undefined (none, or inside a savepoint). */
function transactionConnection(m: EntityManager): PgConnection | undefined {
  const runner = m.queryRunner as unknown as
    { isTransactionActive?: boolean; transactionDepth?: number; databaseConnection?: PgConnection } | undefined;
  return runner?.isTransactionActive && runner.transactionDepth === 1 ? runner.databaseConnection : undefined;
}

/**
 * Sends statements to the server together, in node-postgres's pipeline mode, on the connection of
 * m's transaction: one round trip for all of them instead of one each, and no turn of the event
 * loop between them. They run in order, each with its own Sync: after a failed one, the rest fail
 * too (the transaction is aborted), or — for a COMMIT — roll back. Pipeline mode is on only while
 * these are in flight; nothing else runs on a transaction's connection meanwhile.
 */
export function pipelined(connection: PgConnection, statements: Statement[]): Promise<Array<PromiseSettledResult<{ rows: unknown[] }>>> {
  return inPipelineMode(connection, () => Promise.allSettled(corked(connection, () => statements.map((s) => send(connection, s)))));
}

/**
 * Runs `write` with the connection's socket corked: node-postgres writes each query (its parse, bind,
 * execute and sync, corked already) as soon as it is submitted — in pipeline mode, at once — so the
 * queries `write` submits leave in one system call instead of one each.
 */
function corked<T>(connection: PgConnection, write: () => T): T {
  const stream = connection.connection?.stream;
  stream?.cork();
  try {
    return write();
  } finally {
    stream?.uncork();
  }
}

/**
 * Runs `run` with the connection in pipeline mode (unless it already is), and turns it off again
 * only when every query sent meanwhile has been answered — also those `run` did not wait for (a
 * step that failed early while its other queries were still on the wire). Out of pipeline mode
 * node-postgres no longer matches replies to the queries already sent, so one switched off under
 * them would hand their rows to whoever used the connection next.
 */
async function inPipelineMode<T>(connection: PgConnection, run: () => Promise<T>): Promise<T> {
  const before = connection.pipeline;
  if (before !== false) return run();
  const sent: Array<Promise<unknown>> = [];
  const query = connection.query;
  const ownQuery = Object.prototype.hasOwnProperty.call(connection, 'query');
  connection.query = function (this: PgConnection, ...args: Parameters<PgConnection['query']>) {
    const reply = query.apply(this, args);
    sent.push(reply);
    return reply;
  } as PgConnection['query'];
  connection.pipeline = true;
  try {
    return await run();
  } finally {
    // Replies may come with further queries sent meanwhile (a step's next statement): those too.
    for (let answered = 0; answered < sent.length;) {
      const upTo = sent.length;
      await Promise.allSettled(sent.slice(answered, upTo));
      answered = upTo;
    }
    if (ownQuery) connection.query = query;
    else delete (connection as { query?: unknown }).query;
    connection.pipeline = false;
  }
}

/** A statement that failed only because one before it had already aborted the transaction. */
const abortedByAnother = (err: unknown) =>
  ((err as { driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code) === '25P02';

/**
 * Runs independent steps of m's transaction at once, the connection in pipeline mode while they are
 * in flight: the statements they send in the same turn of the event loop go to the server together,
 * one round trip instead of one each (in the order sent; the server runs them in turn). Once all
 * have settled, and every statement sent has been answered, the first failure in the order of
 * `steps` is thrown, passing over refusals (25P02) that only say another statement had already
 * aborted the transaction. That is the error a run in turn would meet first unless two steps both
 * fail on statements of their own; then it may be the later step's. The steps must not open
 * savepoints (nested transactions). Outside a top-level transaction they simply run at once.
 */
export async function sideBySide<T extends readonly unknown[]>(
  m: EntityManager,
  steps: { readonly [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  const run = () => Promise.allSettled((steps as ReadonlyArray<() => Promise<unknown>>).map((step) => step()));
  const connection = transactionConnection(m);
  const settled = connection ? await inPipelineMode(connection, run) : await run();
  const failures = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (failures.length) throw failures.find((err) => !abortedByAnother(err)) ?? failures[0];
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Runs statements in order in m's transaction, in one round trip, and returns each one's rows; the
 * first failure is thrown (the transaction is then aborted). Outside a top-level transaction, one by one.
 */
export async function queryPipelined(m: EntityManager, statements: Statement[]): Promise<unknown[][]> {
  const connection = transactionConnection(m);
  if (!connection) {
    const out: unknown[][] = [];
    for (const s of statements) out.push(await m.query(s.sql, s.params));
    return out;
  }
  return inOrder(connection, statements);
}

/**
 * A read that is the last statement of m's transaction. In a transaction beginWith owns, its COMMIT
 * goes right behind it (one round trip for both, and beginWith sends nothing more); anywhere else
 * it is a plain query and the caller's runner commits as usual (a read needs no early commit).
 * A named statement runs as a prepared statement on m's own connection (planned once per connection).
 */
export async function readAndCommit<T>(m: EntityManager, statement: Statement): Promise<T[]> {
  const connection = transactionConnection(m);
  if (connection && ownedTransactions.has(m.queryRunner!)) return commitBehind<T>(connection, m, statement);
  const own = statement.name
    ? ((await (m.queryRunner as { connect?: () => Promise<unknown> } | undefined)?.connect?.()) as PgConnection | undefined)
    : undefined;
  if (own) return (await send(own, statement)).rows as T[];
  return m.query(statement.sql, statement.params);
}

/**
 * Statements pipelined on the connection, each one's rows in order; the first that failed, in the
 * order sent (those behind it failed only because it did), is thrown as a QueryFailedError.
 */
async function inOrder(connection: PgConnection, statements: Statement[]): Promise<unknown[][]> {
  const settled = await pipelined(connection, statements);
  const failed = settled.findIndex((r) => r.status === 'rejected');
  if (failed >= 0)
    throw new QueryFailedError(
      statements[failed].sql,
      statements[failed].params,
      (settled[failed] as PromiseRejectedResult).reason as Error,
    );
  return settled.map((r) => (r as PromiseFulfilledResult<{ rows: unknown[] }>).value.rows);
}

/**
 * `before`, `statement` and COMMIT in one round trip, in beginWith's transaction, which is then over
 * (or rolled back, if any failed). Returns the statement's rows.
 */
async function commitBehind<T>(connection: PgConnection, m: EntityManager, statement: Statement, before: Statement[] = []): Promise<T[]> {
  const runner = m.queryRunner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  try {
    return (await inOrder(connection, [...before, statement, { sql: 'COMMIT', params: [] }]))[before.length] as T[];
  } finally {
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
  }
}

/**
 * Runs `sql` as the last statement of m's transaction and commits right behind it: the statement
 * and COMMIT go to the server together (pipeline mode), so PostgreSQL commits the moment the
 * statement is done, without waiting for the app to answer. Behind them goes a BEGIN, for the empty
 * transaction the caller's runner then commits or rolls back — unless beginWith owns the
 * transaction, which then sends nothing more. A row lock the statement takes (the feed order's
 * feed_counter) is then held for the statement and the commit only — never across a turn of a busy
 * event loop, which under load is tens to hundreds of milliseconds during which every other writer
 * waits. If the statement fails, the COMMIT rolls back and the statement's error is thrown.
 * `before` go ahead of it in the same round trip (taking that lock, say, and a check that raises if
 * what the statement was planned on has changed): the first of them to fail is thrown instead, and
 * nothing behind it runs.
 *
 * Only for a statement after which the transaction does nothing else: a statement run on `m`
 * afterwards is outside it (and without the viewer's settings, so row-level security refuses it).
 * Outside a top-level transaction (none, or a savepoint) this is m.query.
 */
export async function queryAndCommit<T>(m: EntityManager, sql: string, params: unknown[], before: Statement[] = []): Promise<T[]> {
  const connection = transactionConnection(m);
  if (!connection) {
    for (const s of before) await m.query(s.sql, s.params);
    return m.query(sql, params);
  }
  // beginWith's transaction: it is over after this COMMIT (or the ROLLBACK a failed statement
  // turns it into), and beginWith, seeing none active, sends nothing more.
  if (ownedTransactions.has(m.queryRunner!)) return commitBehind<T>(connection, m, { sql, params }, before);
  const statements = [...before, { sql, params }, { sql: 'COMMIT', params: [] }, { sql: 'BEGIN', params: [] }];
  return (await inOrder(connection, statements))[before.length] as T[];
}
