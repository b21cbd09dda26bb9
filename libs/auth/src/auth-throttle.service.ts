import { Injectable } from '@nestjs/common';
import { tooManyFailedAttempts } from './auth.errors';
import { SlidingWindowLimiter } from './rate-limiter';

/** Failed attempts allowed per window before an account (e-mail) is locked. */
export const LOGIN_FAILURES_PER_ACCOUNT = 5;
export const ACCOUNT_WINDOW_MS = 15 * 60_000;
export const LOGIN_FAILURES_PER_IP = 20;
export const API_KEY_FAILURES_PER_IP = 10;
const IP_WINDOW_MS = 60_000;

/**
 * Brute-force brakes. Only failures count, so a busy office behind one NAT is not slowed by its
 * own successful sign-ins. The per-e-mail window applies to unknown e-mails exactly as to known
 * ones: locking only real accounts would tell an attacker which e-mails exist.
 */
@Injectable()
export class AuthThrottle {
  private readonly loginByEmail = new SlidingWindowLimiter(LOGIN_FAILURES_PER_ACCOUNT, ACCOUNT_WINDOW_MS);
  private readonly loginByIp = new SlidingWindowLimiter(LOGIN_FAILURES_PER_IP, IP_WINDOW_MS);
  private readonly keyByIp = new SlidingWindowLimiter(API_KEY_FAILURES_PER_IP, IP_WINDOW_MS);

  /** Throws RATE_LIMITED while this e-mail or this address has failed too often. */
  assertLoginAllowed(email: string, ip: string | undefined): void {
    const wait = Math.max(this.loginByEmail.retryAfterMs(email), ip ? this.loginByIp.retryAfterMs(ip) : 0);
    if (wait > 0) throw tooManyFailedAttempts(wait);
  }

  loginFailed(email: string, ip: string | undefined): void {
    this.loginByEmail.hit(email);
    if (ip) this.loginByIp.hit(ip);
  }

  loginSucceeded(email: string): void {
    this.loginByEmail.reset(email);
  }

  assertApiKeyAllowed(ip: string | undefined): void {
    const wait = ip ? this.keyByIp.retryAfterMs(ip) : 0;
    if (wait > 0) throw tooManyFailedAttempts(wait);
  }

  apiKeyFailed(ip: string | undefined): void {
    if (ip) this.keyByIp.hit(ip);
  }
}
