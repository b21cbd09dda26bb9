import { DomainError, retryAfterSeconds, type ErrorCode } from '@cairn/common';

/**
 * Codes of account and key management. A refused credential is never one of these: every
 * credential problem is the one UNAUTHENTICATED of `unauthenticated()` (@cairn/common), so a
 * client cannot tell which part was wrong; why it was refused stays internal (audit, close codes).
 */
export enum AuthErrorCode {
  /** Sign-in (per account) or key guessing (per client address) failed too often. */
  TOO_MANY_FAILED_ATTEMPTS = 'TOO_MANY_FAILED_ATTEMPTS',
  INVALID_EMAIL = 'INVALID_EMAIL',
  INVALID_ROLE = 'INVALID_ROLE',
  INVALID_NAME = 'INVALID_NAME',
  INVALID_PASSWORD = 'INVALID_PASSWORD',
  INVALID_SCOPES = 'INVALID_SCOPES',
  INVALID_EXPIRY = 'INVALID_EXPIRY',
  OPERATOR_OUTSIDE_EXCHANGE = 'OPERATOR_OUTSIDE_EXCHANGE',
  /** An admin may not disable itself or give up its own admin role (the tenant could lose its last way in). */
  CANNOT_LOCK_OUT_SELF = 'CANNOT_LOCK_OUT_SELF',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  /** The authenticated caller's tenant or key is gone (deleted since the credential was checked). */
  CALLER_NOT_FOUND = 'CALLER_NOT_FOUND',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
}

export const AUTH_ERROR_STATUS: Record<AuthErrorCode, ErrorCode> = {
  TOO_MANY_FAILED_ATTEMPTS: 'RATE_LIMITED',
  INVALID_EMAIL: 'BAD_USER_INPUT',
  INVALID_ROLE: 'BAD_USER_INPUT',
  INVALID_NAME: 'BAD_USER_INPUT',
  INVALID_PASSWORD: 'BAD_USER_INPUT',
  INVALID_SCOPES: 'BAD_USER_INPUT',
  INVALID_EXPIRY: 'BAD_USER_INPUT',
  OPERATOR_OUTSIDE_EXCHANGE: 'BAD_USER_INPUT',
  CANNOT_LOCK_OUT_SELF: 'BAD_USER_INPUT',
  TENANT_NOT_FOUND: 'NOT_FOUND',
  USER_NOT_FOUND: 'NOT_FOUND',
  API_KEY_NOT_FOUND: 'NOT_FOUND',
  CALLER_NOT_FOUND: 'NOT_FOUND',
  EMAIL_TAKEN: 'CONFLICT',
};

/** An account or key request broke a rule; `reason` is stable, `field` names the input property. */
export class AuthError extends DomainError<AuthErrorCode> {
  constructor(reason: AuthErrorCode, message: string, field?: string, details: Record<string, unknown> = {}) {
    super(reason, AUTH_ERROR_STATUS, message, { ...(field ? { field } : {}), ...details });
  }
}

/** Failed sign-ins or key guesses: locked for a while, whatever the next credential is. */
export function tooManyFailedAttempts(retryAfterMs: number): AuthError {
  return new AuthError(AuthErrorCode.TOO_MANY_FAILED_ATTEMPTS, 'Too many failed attempts; try again later', undefined, {
    retryAfterSeconds: retryAfterSeconds(retryAfterMs),
  });
}
