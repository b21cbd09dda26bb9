/** A benchmark: prints its figures (and a side-by-side ratio to a baseline) to stdout. */
export interface Bench {
  name: string;
  description: string;
  run(args: string[]): Promise<void>;
}

/** Runs fn repeatedly for at least `ms` milliseconds; returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = 1000): Promise<{ ops: number; perSecond: number }> {
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < deadline) {
    await fn();
    ops++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { ops, perSecond: ops / seconds };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)];
}
