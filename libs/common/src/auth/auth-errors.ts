import { CairnError } from '../errors/cairn-error';
import { CommonError, CommonErrorCode } from '../common.errors';

/**
 * Why a credential was refused: `invalid` (missing, malformed, unknown, bad signature or secret),
 * `expired` (its own lifetime ended), `revoked` (a once-valid credential whose key was revoked,
 * user disabled, tenant suspended or session ended). Only the WebSocket door reads it, to choose
 * its close code; every client still sees the one UNAUTHENTICATED error.
 */
export type CredentialFailure = 'invalid' | 'expired' | 'revoked';

// Kept beside the error rather than in `details`, which clients see as extensions.
const failures = new WeakMap<CairnError, CredentialFailure>();

/**
 * One message for every credential problem (unknown user, wrong password, bad signature,
 * revoked key, disabled account …): the caller learns nothing about which part was wrong.
 */
export function unauthenticated(reason: CredentialFailure = 'invalid'): CairnError {
  const err = new CommonError(CommonErrorCode.UNAUTHENTICATED, 'Invalid or missing credentials');
  failures.set(err, reason);
  return err;
}

/** The reason an UNAUTHENTICATED error was raised for, if it was raised by `unauthenticated`. */
export function credentialFailureOf(err: unknown): CredentialFailure | undefined {
  return err instanceof CairnError ? failures.get(err) : undefined;
}

export function forbidden(message = 'You are not allowed to do this'): CairnError {
  return new CommonError(CommonErrorCode.FORBIDDEN, message);
}

/** Seconds a client is told to wait (Retry-After), at least one. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** The request budget of the tenant or credential is spent (failed sign-ins have their own error in libs/auth). */
export function rateLimited(retryAfterMs: number): CairnError {
  return new CommonError(CommonErrorCode.RATE_LIMITED, 'Too many requests; try again later', {
    retryAfterSeconds: retryAfterSeconds(retryAfterMs),
  });
}
