import { cpus } from 'node:os';
import { ms1, percentile } from '../bench';

/* The feed bench's bookkeeping: what was sent, what was received, and how it is summarised. */

/** Sum of busy and total CPU time over all cores (ms), for a machine-wide utilisation figure. */
export function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** p50 / p90 / p99 / max of sorted latencies (ms). */
export function latencySummary(sorted: number[]): string {
  return `p50 ${ms1(percentile(sorted, 50))} ms, p90 ${ms1(percentile(sorted, 90))} ms, p99 ${ms1(percentile(sorted, 99))} ms, max ${ms1(sorted[sorted.length - 1] ?? NaN)} ms`;
}

/** Growable typed columns of receipts: subscriber, sighting, time. No per-event objects in the load generator. */
export class Receipts {
  sub = new Uint32Array(1 << 20);
  sighting = new Int32Array(1 << 20);
  at = new Float64Array(1 << 20);
  n = 0;
  push(sub: number, sighting: number, at: number): void {
    if (this.n === this.at.length) {
      const grow = <T extends Uint32Array | Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.sub = grow(this.sub);
      this.sighting = grow(this.sighting);
      this.at = grow(this.at);
    }
    this.sub[this.n] = sub;
    this.sighting[this.n] = sighting;
    this.at[this.n] = at;
    this.n++;
  }
}

/** One stored sighting: who reported it on which instance, when the call started and was answered, its feed position. */
export interface Sent {
  publisher: number;
  instance: number;
  start: number;
  ack: number;
  seq: bigint;
  phase: 'warm' | 'measure' | 'max';
}
