import { CairnError } from '../errors/cairn-error';

/**
 * One message for every credential problem (unknown user, wrong password, bad signature,
 * revoked key, disabled account …): the caller learns nothing about which part was wrong.
 */
export function unauthenticated(): CairnError {
  return new CairnError('UNAUTHENTICATED', 'Invalid or missing credentials');
}

export function forbidden(message = 'You are not allowed to do this'): CairnError {
  return new CairnError('FORBIDDEN', message);
}

export function rateLimited(retryAfterMs: number): CairnError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new CairnError('RATE_LIMITED', 'Too many failed attempts; try again later', { retryAfterSeconds });
}

export function badInput(message: string, field?: string): CairnError {
  return new CairnError('BAD_USER_INPUT', message, field ? { field } : undefined);
}
