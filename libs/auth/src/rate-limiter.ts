/**
 * Failures per key (an e-mail, an IP) in a sliding window, in memory. Per API instance: with
 * several instances an attacker gets `limit × instances` tries per window, which is still slow
 * enough, and the per-account lock in the database (failed_logins / locked_until) is shared.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    // Bounds memory under a flood of distinct keys (e.g. random e-mails); oldest keys go first.
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it is not blocked. */
  retryAfterMs(key: string): number {
    const list = this.live(key);
    if (list.length < this.limit) return 0;
    return Math.max(1, list[list.length - this.limit] + this.windowMs - this.now());
  }

  hit(key: string): void {
    const list = this.live(key);
    list.push(this.now());
    // Re-insert so Map order tracks recency for eviction.
    this.hits.delete(key);
    this.hits.set(key, list.slice(-this.limit));
    while (this.hits.size > this.maxKeys) {
      const oldest = this.hits.keys().next().value as string;
      this.hits.delete(oldest);
    }
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private live(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.hits.delete(key);
    return list;
  }
}
