import { randomBytes } from 'node:crypto';
import { CairnError } from '@cairn/common';
import { API_KEY_FAILURES_PER_IP, apiKeyDigest, AuthThrottle, PROVEN_KEY_MS } from './auth-throttle.service';

const key = (prefix = `cairn_${randomBytes(4).toString('hex')}`) => ({
  kind: 'apikey' as const,
  prefix,
  secret: randomBytes(32).toString('base64url'),
});

function refusal(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return err instanceof CairnError ? err.code : 'thrown';
  }
}

describe('AuthThrottle for API keys', () => {
  let throttle: AuthThrottle;
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    throttle = new AuthThrottle();
  });
  afterEach(() => jest.useRealTimers());

  const assertAllowed = (credential: Parameters<typeof apiKeyDigest>[0], ip: string) =>
    throttle.assertApiKeyAllowed(apiKeyDigest(credential), ip);
  const guess = (ip: string, times = API_KEY_FAILURES_PER_IP) => {
    for (let i = 0; i < times; i++) throttle.apiKeyFailed(ip, 'invalid');
  };

  it('brakes an address after 10 guesses, for keys it has not seen verify, and only that address', () => {
    guess('10.0.0.1', API_KEY_FAILURES_PER_IP - 1);
    expect(refusal(() => assertAllowed(key(), '10.0.0.1'))).toBeUndefined();
    guess('10.0.0.1', 1);
    expect(refusal(() => assertAllowed(key(), '10.0.0.1'))).toBe('RATE_LIMITED');
    expect(refusal(() => assertAllowed(key(), '10.0.0.2'))).toBeUndefined();
    jest.advanceTimersByTime(60_000);
    expect(refusal(() => assertAllowed(key(), '10.0.0.1'))).toBeUndefined();
  });

  it('does not count a revoked or expired key presented with its right secret', () => {
    for (let i = 0; i < 3 * API_KEY_FAILURES_PER_IP; i++) {
      throttle.apiKeyFailed('10.0.0.1', 'revoked');
      throttle.apiKeyFailed('10.0.0.1', 'expired');
    }
    expect(refusal(() => assertAllowed(key(), '10.0.0.1'))).toBeUndefined();
  });

  it('lets a key that verified keep working while its address is braked, for a day; the same prefix with another secret is braked', () => {
    const proven = key();
    throttle.apiKeySucceeded(apiKeyDigest(proven));
    guess('10.0.0.1');
    expect(refusal(() => assertAllowed({ ...proven }, '10.0.0.1'))).toBeUndefined();
    expect(refusal(() => assertAllowed(key(proven.prefix), '10.0.0.1'))).toBe('RATE_LIMITED');
    expect(refusal(() => assertAllowed({ kind: 'apikey-id', id: proven.prefix, secret: proven.secret }, '10.0.0.1'))).toBe('RATE_LIMITED');
    jest.advanceTimersByTime(PROVEN_KEY_MS - 59_000);
    guess('10.0.0.1');
    expect(refusal(() => assertAllowed(proven, '10.0.0.1'))).toBeUndefined();
    jest.advanceTimersByTime(59_000);
    guess('10.0.0.1');
    expect(refusal(() => assertAllowed(proven, '10.0.0.1'))).toBe('RATE_LIMITED');
  });

  it('remembers at most 10,000 proven keys, forgetting the least recently verified', () => {
    const first = key();
    const second = key();
    throttle.apiKeySucceeded(apiKeyDigest(first));
    throttle.apiKeySucceeded(apiKeyDigest(second));
    throttle.apiKeySucceeded(apiKeyDigest(first));
    for (let i = 0; i < 9_999; i++) throttle.apiKeySucceeded(apiKeyDigest(key()));
    guess('10.0.0.1');
    expect(refusal(() => assertAllowed(second, '10.0.0.1'))).toBe('RATE_LIMITED');
    expect(refusal(() => assertAllowed(first, '10.0.0.1'))).toBeUndefined();
  });
});
