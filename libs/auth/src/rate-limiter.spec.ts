import { SlidingWindowLimiter } from './rate-limiter';

describe('SlidingWindowLimiter', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('blocks after `limit` hits within the window, until the oldest leaves it', () => {
    const limiter = new SlidingWindowLimiter(3, 60_000, 100, clock);
    limiter.hit('ip');
    now += 10_000;
    limiter.hit('ip');
    limiter.hit('ip');
    expect(limiter.retryAfterMs('ip')).toBe(50_000);
    expect(limiter.retryAfterMs('other')).toBe(0);
    now += 50_000;
    expect(limiter.retryAfterMs('ip')).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = new SlidingWindowLimiter(1, 60_000, 100, clock);
    limiter.hit('a');
    expect(limiter.retryAfterMs('a')).toBeGreaterThan(0);
    limiter.reset('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
  });

  it('keeps memory bounded by evicting the least recently hit keys', () => {
    const limiter = new SlidingWindowLimiter(1, 60_000, 2, clock);
    limiter.hit('a');
    limiter.hit('b');
    limiter.hit('c');
    expect(limiter.retryAfterMs('a')).toBe(0);
    expect(limiter.retryAfterMs('b')).toBeGreaterThan(0);
    expect(limiter.retryAfterMs('c')).toBeGreaterThan(0);
  });
});
