import { DomainError, type ErrorCode } from '@cairn/common';

export enum WatchlistErrorCode {
  TOO_MANY_ENTRIES = 'TOO_MANY_ENTRIES',
  WATCHLIST_FULL = 'WATCHLIST_FULL',
  INVALID_EXPIRY = 'INVALID_EXPIRY',
  INVALID_REFERENCE = 'INVALID_REFERENCE',
  INVALID_WEBHOOK_URL = 'INVALID_WEBHOOK_URL',
  TOO_MANY_WEBHOOKS = 'TOO_MANY_WEBHOOKS',
  INVALID_CURSOR = 'INVALID_CURSOR',
  /** The tenant holds as many live watchlist subscriptions as it may (WS_MAX_SUBSCRIPTIONS_PER_TENANT). */
  TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS',
  NOT_FOUND = 'NOT_FOUND',
}

export const WATCHLIST_ERROR_STATUS: Record<WatchlistErrorCode, ErrorCode> = {
  TOO_MANY_ENTRIES: 'BAD_USER_INPUT',
  WATCHLIST_FULL: 'BAD_USER_INPUT',
  INVALID_EXPIRY: 'BAD_USER_INPUT',
  INVALID_REFERENCE: 'BAD_USER_INPUT',
  INVALID_WEBHOOK_URL: 'BAD_USER_INPUT',
  TOO_MANY_WEBHOOKS: 'BAD_USER_INPUT',
  INVALID_CURSOR: 'BAD_USER_INPUT',
  TOO_MANY_SUBSCRIPTIONS: 'RATE_LIMITED',
  NOT_FOUND: 'NOT_FOUND',
};

/** A watchlist or webhook request broke a rule; `reason` is stable, `field` names the argument. */
export class WatchlistError extends DomainError<WatchlistErrorCode> {
  constructor(reason: WatchlistErrorCode, message: string, field?: string, details: Record<string, unknown> = {}) {
    super(reason, WATCHLIST_ERROR_STATUS, message, { ...(field ? { field } : {}), ...details });
  }
}
