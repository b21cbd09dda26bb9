import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '@cairn/common';
import { ownedTransactions } from './owned-transactions';
import { pipelined, type PgConnection, type Statement } from './pipeline';

/** A tenant id as an SQL literal for beginWith's first statement; anything but a UUID is refused (it never reaches SQL). */
export function uuidLiteral(id: string): string {
  if (!isUuid(id)) throw new Error('not a UUID');
  return `'${id}'::uuid`;
}

/** Text as an SQL literal for beginWith's first statement (pg's own escaping). */
export const textLiteral = (s: string): string => escapeLiteral(s);

/**
 * Whether m is in a transaction beginWith opened, still open: one server transaction from its
 * BEGIN to its end, on a runner made for it alone (none of queryAndCommit's COMMIT + BEGIN).
 */
export function inBeginWithTransaction(m: EntityManager): boolean {
  const runner = m.queryRunner;
  return runner !== undefined && runner.isTransactionActive && ownedTransactions.has(runner);
}

/**
 * Runs fn in one transaction, as dataSource.transaction does, but opened together with its first
 * statement: `BEGIN; <first>` goes as one simple-protocol message, one round trip instead of two.
 * Every read a request makes starts with the statement that sets its row-level-security viewer, and
 * a round trip costs both the API and PostgreSQL a write, a wake-up and a read (the largest single
 * cost in a profile of checkIdentifiers over HTTP). The simple protocol takes no parameters, so
 * `first` is built with uuidLiteral / textLiteral only. fn gets the first statement's rows.
 *
 * `before`, a statement of its own (autocommitted, outside the transaction), goes in the same
 * round trip just ahead of `BEGIN; <first>` (pipeline mode), and fn gets its rows too: a lookup's
 * quota charge, committed on its own as it must be, costs no round trip of its own. If it fails,
 * its error is thrown and fn does not run.
 */
export async function beginWith<T, R = Record<string, unknown>, B = Record<string, unknown>>(
  dataSource: DataSource,
  first: string,
  fn: (manager: EntityManager, rows: R[], beforeRows: B[]) => Promise<T>,
  before?: Statement,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    // TypeORM's own bookkeeping for an open transaction (what startTransaction sets), so that
    // commitTransaction / rollbackTransaction and nested manager.transaction (savepoints) behave as usual.
    const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    let beforeRows: B[] = [];
    let results: QueryResult[];
    if (before) {
      const [ahead, opened] = await pipelined(client as unknown as PgConnection, [before, { sql: `BEGIN; ${first}`, params: [] }]);
      // The transaction is open (or aborted) either way: the catch below rolls it back.
      if (ahead.status === 'rejected') throw ahead.reason;
      if (opened.status === 'rejected') throw opened.reason;
      beforeRows = ahead.value.rows as B[];
      results = opened.value as unknown as QueryResult[];
    } else {
      results = (await client.query(`BEGIN; ${first}`)) as unknown as QueryResult[];
    }
    ownedTransactions.add(runner);
    const result = await fn(runner.manager, results[1].rows as R[], beforeRows);
    // Unless fn's last statement already committed (queryAndCommit).
    if (runner.isTransactionActive) await runner.commitTransaction();
    return result;
  } catch (err) {
    // Also when the first statement failed: the transaction BEGIN opened is aborted, not gone.
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await runner.release();
  }
}
