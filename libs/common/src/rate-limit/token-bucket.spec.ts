import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  it('allows a burst of the per-minute budget, then refuses with the wait until the next token', () => {
    let t = 0;
    const buckets = new TokenBuckets(60, 100, () => t);
    for (let i = 0; i < 60; i++) expect(buckets.take('tenant-a')).toBe(0);
    expect(buckets.take('tenant-a')).toBe(1000);
    expect(buckets.take('tenant-b')).toBe(0);
    t += 1000;
    expect(buckets.take('tenant-a')).toBe(0);
    expect(buckets.take('tenant-a')).toBe(1000);
  });

  it('refills to the budget and no further', () => {
    let t = 0;
    const buckets = new TokenBuckets(2, 100, () => t);
    buckets.take('k');
    t += 10 * 60_000;
    expect([buckets.take('k'), buckets.take('k'), buckets.take('k') > 0]).toEqual([0, 0, true]);
  });
});
