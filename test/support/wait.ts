import type { INestApplication } from '@nestjs/common';
import { FeedHub } from '@cairn/sightings';

export interface WaitOptions {
  /** What the test waits for, as the failure message should say it ("the key's first use to be audited"). */
  what: string | (() => string);
  /** Generous, since the machine may be loaded: a bound against hanging, never a pass/fail threshold. */
  timeoutMs?: number;
  /** Between polls. */
  intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Polls `condition` until it returns a truthy value and returns that value: tests wait for what
 * they need, never for a fixed time. A condition that throws counts as "not yet" (a server
 * restarting refuses connections); after timeoutMs it fails saying what it waited for, with the
 * last value or error.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { what, timeoutMs = 20_000, intervalMs = 10 }: WaitOptions,
): Promise<Truthy<T>> {
  const started = Date.now();
  for (;;) {
    let last: { value?: unknown; error?: unknown };
    try {
      const value = await condition();
      if (value) return value as Truthy<T>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() - started >= timeoutMs) {
      const seen =
        'error' in last
          ? `last error: ${(last.error as Error)?.message ?? String(last.error)}`
          : `last value: ${JSON.stringify(last.value)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what} (${seen})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Waits until the API instance holds exactly `n` live subscriptions. A subscription counted there
 * receives every row committed from then on (FeedHub fixes its cursor before counting it), so this
 * replaces "sleep until the subscription is probably set up". Exactly n, not at least n: a socket a
 * previous test closed may still be counted for a moment.
 */
export function untilSubscriptions(app: INestApplication, n: number): Promise<true> {
  const hub = app.get(FeedHub);
  return waitFor(() => hub.subscriberCount === n, {
    what: () => `${n} live subscription(s) on the server (it has ${hub.subscriberCount})`,
  });
}
