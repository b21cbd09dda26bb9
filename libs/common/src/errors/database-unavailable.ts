import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { CairnError } from './cairn-error';
import { CommonError, CommonErrorCode } from '../common.errors';

// SQLSTATE classes and driver errors that mean "the database went away or is saturated", not "the request was wrong".
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

/** True for errors caused by the database being down or restarting (the request may be retried). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const x = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof x.code === 'string' && (UNAVAILABLE_SQLSTATES.has(x.code) || x.code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(x.code)))
      return true;
    // TypeORM releases a transaction's query runner when its connection reports an error; the
    // transaction's next statement then fails with this rather than with the connection's error.
    if (e instanceof QueryRunnerAlreadyReleasedError) return true;
    if (
      typeof x.message === 'string' &&
      /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/i.test(
        x.message,
      )
    )
      return true;
    e = x.driverError ?? x.cause;
  }
  return false;
}

/** What a client is told when the database is unavailable: retry later; a rolled-back write stored nothing. */
export function databaseUnavailable(): CairnError {
  return new CommonError(
    CommonErrorCode.SERVICE_UNAVAILABLE,
    'The database is unavailable; the request was not completed. Retry shortly.',
    { retryAfterSeconds: 2 },
  );
}

/** Text PostgreSQL can store: NUL and unpaired surrogates become U+FFFD (for echoing client input back). */
export function toStorableText(s: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL text refuses
  return s.replace(/\u0000/g, '\uFFFD').toWellFormed();
}
