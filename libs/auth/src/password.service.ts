import { Inject, Injectable, Optional } from '@nestjs/common';
import { AuthError, AuthErrorCode } from './auth.errors';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const PASSWORD_MIN_LENGTH = 12;
// Long enough for any passphrase; bounds the work an attacker can make one login cost.
export const PASSWORD_MAX_LENGTH = 1024;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB and ~50–100 ms per hash on a server core (OWASP's scrypt minimum is N=2^17 with p=1 at 128 MiB; this trades some margin for login latency). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
/** Optional provider overriding DEFAULT_SCRYPT (never lower it in production). */
export const SCRYPT_PARAMS = Symbol('SCRYPT_PARAMS');
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scryptAsync(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** scrypt password hashes encoded as `scrypt$N$r$p$salt$hash` (salt and hash base64url), so parameters can rise later without breaking old hashes. */
@Injectable()
export class PasswordService {
  private dummy?: Promise<string>;

  private readonly params: ScryptParams;

  constructor(@Optional() @Inject(SCRYPT_PARAMS) params?: ScryptParams) {
    this.params = params ?? DEFAULT_SCRYPT;
  }

  /** Throws BAD_USER_INPUT for a password too short or too long to accept. */
  assertAcceptable(password: string): void {
    if (password.length < PASSWORD_MIN_LENGTH)
      throw new AuthError(AuthErrorCode.INVALID_PASSWORD, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`, 'password');
    if (password.length > PASSWORD_MAX_LENGTH)
      throw new AuthError(AuthErrorCode.INVALID_PASSWORD, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`, 'password');
  }

  async hash(password: string): Promise<string> {
    this.assertAcceptable(password);
    const salt = randomBytes(SALT_LENGTH);
    const key = await scryptAsync(password, salt, KEY_LENGTH, this.params);
    const { N, r, p } = this.params;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** Constant-time comparison; false (never an exception) for a malformed hash or an over-long password. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const parsed = parseHash(encoded);
    if (!parsed || password.length > PASSWORD_MAX_LENGTH) {
      // Still spend the time, so a malformed row or a huge input answers like any other failure.
      await scryptAsync('x', Buffer.alloc(SALT_LENGTH), KEY_LENGTH, this.params);
      return false;
    }
    const key = await scryptAsync(password, parsed.salt, parsed.hash.length, parsed.params);
    return timingSafeEqual(key, parsed.hash);
  }

  /** A hash of a random password, verified against for unknown e-mails so they take as long as known ones. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(24).toString('base64url'));
    return this.dummy;
  }

  /** A random password for accounts created without one (printed once by the CLI). */
  static generate(): string {
    return randomBytes(18).toString('base64url');
  }
}

function parseHash(encoded: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  // The hash is exactly 32 bytes: a truncated one would still match as a prefix of scrypt's output.
  const m = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{43})$/.exec(encoded);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Bounds keep a tampered row from turning one login into a denial of service.
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { params: { N, r, p }, salt: Buffer.from(m[4], 'base64url'), hash: Buffer.from(m[5], 'base64url') };
}
