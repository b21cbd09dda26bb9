import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '@cairn/common';
import { ownedTransactions } from './owned-transactions';

/** A tenant id as an SQL literal for beginWith's first statement; anything but a UUID is refused (it never reaches SQL). */
export function uuidLiteral(id: string): string {
  if (!isUuid(id)) throw new Error('not a UUID');
  return `'${id}'::uuid`;
}

/** Text as an SQL literal for beginWith's first statement (pg's own escaping). */
export const textLiteral = (s: string): string => escapeLiteral(s);

/**
 * Runs fn in one transaction, as dataSource.transaction does, but opened together with its first
 * statement: `BEGIN; <first>` goes as one simple-protocol message, one round trip instead of two.
 * Every read a request makes starts with the statement that sets its row-level-security viewer, and
 * a round trip costs both the API and PostgreSQL a write, a wake-up and a read (the largest single
 * cost in a profile of checkIdentifiers over HTTP). The simple protocol takes no parameters, so
 * `first` is built with uuidLiteral / textLiteral only. fn gets the first statement's rows.
 */
export async function beginWith<T, R = Record<string, unknown>>(
  dataSource: DataSource,
  first: string,
  fn: (manager: EntityManager, rows: R[]) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    // TypeORM's own bookkeeping for an open transaction (what startTransaction sets), so that
    // commitTransaction / rollbackTransaction and nested manager.transaction (savepoints) behave as usual.
    const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    const results = (await client.query(`BEGIN; ${first}`)) as unknown as QueryResult[];
    ownedTransactions.add(runner);
    const result = await fn(runner.manager, results[1].rows as R[]);
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
