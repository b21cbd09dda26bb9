/**
 * Seeded pseudo-random numbers for the demo generator.
 *
 * sfc32 seeded through splitmix32: small, fast, passes PractRand for far more
 * draws than a demo needs, and gives identical sequences on every platform
 * because it only uses 32-bit integer arithmetic (Math.imul, >>> 0).
 * Math.random is never used so that one seed always yields one data set.
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Element chosen with probability proportional to its weight (weights ≥ 0, at least one > 0). */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy; the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[];
}

// splitmix32 spreads nearby seeds (1, 2, 3 …) into unrelated sfc32 states.
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Deterministic PRNG: the same seed always produces the same sequence. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  // Fold the fractional/large part in too, so 1.5 and 1 are different seeds.
  const init = splitmix32((Math.trunc(seed) ^ Math.trunc((seed % 1) * 0x100000000)) >>> 0);
  let a = init();
  let b = init();
  let c = init();
  let d = init();

  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first outputs: sfc32 needs a few rounds to mix its state.
  for (let i = 0; i < 12; i++) uint32();

  const next = (): number => uint32() / 0x100000000;

  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}) needs integers with min <= max`);
    }
    return min + Math.floor(next() * (max - min + 1));
  };

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(next() * items.length)];
  };

  const weighted = <T>(pairs: readonly (readonly [T, number])[]): T => {
    let total = 0;
    for (const [, w] of pairs) {
      if (!(w >= 0)) throw new RangeError(`weighted() got a negative or NaN weight: ${w}`);
      total += w;
    }
    if (total <= 0) throw new RangeError('weighted() needs at least one positive weight');
    let r = next() * total;
    for (const [value, w] of pairs) {
      if (r < w) return value;
      r -= w;
    }
    // Floating-point rounding can leave r a hair above the last bucket.
    for (let i = pairs.length - 1; i >= 0; i--) if (pairs[i][1] > 0) return pairs[i][0];
    throw new Error('unreachable');
  };

  const chance = (p: number): boolean => next() < p;

  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  };

  return { next, uint32, int, pick, weighted, chance, shuffle };
}

/**
 * An independent stream per part of the data set, so that adding a draw to the
 * tenant generator does not reshuffle every identity and sighting after it.
 */
export function forkRng(seed: number, label: string): Rng {
  let h = 0x811c9dc5; // FNV-1a over the label
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return createRng((createRng(seed).uint32() ^ h) >>> 0);
}

/** n lowercase hex characters drawn from the stream. */
export function randomHex(rng: Rng, n: number): string {
  let out = '';
  while (out.length < n) out += rng.uint32().toString(16).padStart(8, '0');
  return out.slice(0, n);
}
