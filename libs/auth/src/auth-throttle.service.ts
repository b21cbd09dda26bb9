import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { CredentialFailure } from '@cairn/common';
import { tooManyFailedAttempts } from './auth.errors';
import type { Credential } from './credentials';
import { SlidingWindowLimiter } from './rate-limiter';

/** Failed attempts allowed per window before an account (e-mail) is locked. */
export const LOGIN_FAILURES_PER_ACCOUNT = 5;
export const ACCOUNT_WINDOW_MS = 15 * 60_000;
export const LOGIN_FAILURES_PER_IP = 20;
export const API_KEY_FAILURES_PER_IP = 10;
const IP_WINDOW_MS = 60_000;
/** How long a key that verified stays exempt from its address's brake, and how many such keys an instance remembers. */
export const PROVEN_KEY_MS = 24 * 60 * 60_000;
const MAX_PROVEN_KEYS = 10_000;

type KeyCredential = Exclude<Credential, { kind: 'jwt' }>;

/**
 * Brute-force brakes. Only failures count, so a busy office behind one NAT is not slowed by its
 * own successful sign-ins. The per-e-mail window applies to unknown e-mails exactly as to known
 * ones: locking only real accounts would tell an attacker which e-mails exist.
 *
 * API keys are braked per address, and only for guesses: an unknown key or a wrong secret. A
 * revoked or expired key presented with its right secret is no guess (its holder knows the
 * secret), so a SIEM retrying its dead key cannot lock out other tenants' keys behind the same
 * NAT or vendor address. And a key that verified on this instance keeps working while its
 * address is braked: a stranger guessing from the same address holds up only keys not yet seen,
 * and only for the window. Exempting a key needs its exact secret, so the exemption helps no guesser.
 */
@Injectable()
export class AuthThrottle {
  private readonly loginByEmail = new SlidingWindowLimiter(LOGIN_FAILURES_PER_ACCOUNT, ACCOUNT_WINDOW_MS);
  private readonly loginByIp = new SlidingWindowLimiter(LOGIN_FAILURES_PER_IP, IP_WINDOW_MS);
  private readonly keyByIp = new SlidingWindowLimiter(API_KEY_FAILURES_PER_IP, IP_WINDOW_MS);
  /** Digest of a key credential that verified → when it last did (Map order = recency, for eviction). */
  private readonly provenKeys = new Map<string, number>();

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

  /** Throws RATE_LIMITED while this address has guessed too often, unless this very key (its apiKeyDigest) verified lately. */
  assertApiKeyAllowed(digest: string, ip: string | undefined): void {
    if (!ip || this.isProven(digest)) return;
    const wait = this.keyByIp.retryAfterMs(ip);
    if (wait > 0) throw tooManyFailedAttempts(wait);
  }

  apiKeyFailed(ip: string | undefined, reason: CredentialFailure): void {
    if (ip && reason === 'invalid') this.keyByIp.hit(ip);
  }

  apiKeySucceeded(digest: string): void {
    this.provenKeys.delete(digest);
    this.provenKeys.set(digest, Date.now());
    if (this.provenKeys.size > MAX_PROVEN_KEYS) this.provenKeys.delete(this.provenKeys.keys().next().value as string);
  }

  private isProven(digest: string): boolean {
    const at = this.provenKeys.get(digest);
    if (at === undefined) return false;
    if (Date.now() - at < PROVEN_KEY_MS) return true;
    this.provenKeys.delete(digest);
    return false;
  }
}

/** The whole credential (which key, and its secret), hashed: what the brake remembers of a key, so memory holds no secret. */
export function apiKeyDigest(credential: KeyCredential): string {
  const which = credential.kind === 'apikey' ? `p:${credential.prefix}` : `i:${credential.id}`;
  return createHash('sha256').update(`${which}\n${credential.secret}`).digest('base64');
}
