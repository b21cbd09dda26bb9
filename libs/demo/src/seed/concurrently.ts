/**
 * Runs fn over items, at most `limit` at a time. The demo writes as many members, each through the
 * services in its own transactions: their reads and checks overlap while the stores queue on the
 * feed lock, which keeps `npm start` quick without a write path of its own.
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
