import type { Strategy } from 'passport';

/**
 * Runs a passport strategy on a minimal request and settles with its verdict: the user on
 * success, null on failure (`onFail` hears the strategy's reason), a rejection on error. Passport's own middleware does the same
 * (Object.create + success/fail/error); doing it here lets one `authenticate(header)` serve
 * HTTP, GraphQL, WebSocket connection params and TAXII alike, with no Express request needed.
 */
export function runStrategy<T>(strategy: Strategy, authorization: string, onFail?: (info: unknown) => void): Promise<T | null> {
  return new Promise((resolve, reject) => {
    const attempt = Object.create(strategy) as {
      success(user: T): void;
      fail(info?: unknown): void;
      error(err: unknown): void;
      redirect(): void;
      pass(): void;
      authenticate(req: unknown, options: unknown): void;
    };
    attempt.success = (user) => resolve(user);
    attempt.fail = (info) => {
      onFail?.(info);
      resolve(null);
    };
    attempt.error = (err) => reject(err);
    attempt.redirect = () => resolve(null);
    attempt.pass = () => resolve(null);
    attempt.authenticate({ headers: { authorization } }, {});
  });
}
