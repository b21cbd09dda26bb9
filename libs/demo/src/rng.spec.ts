import { createRng } from './rng';

describe('createRng', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const seqA = Array.from({ length: 50 }, () => a.uint32());
    const seqB = Array.from({ length: 50 }, () => b.uint32());
    expect(seqA).toEqual(seqB);
  });

  it('gives unrelated sequences for neighbouring seeds', () => {
    const a = createRng(1);
    const b = createRng(2);
    const same = Array.from({ length: 100 }, () => a.uint32() === b.uint32()).filter(Boolean).length;
    expect(same).toBe(0);
  });

  it('treats fractional seeds as distinct from their integer part', () => {
    expect(createRng(1.5).uint32()).not.toBe(createRng(1).uint32());
  });

  it('draws next() uniformly from [0, 1)', () => {
    const rng = createRng(7);
    const draws = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('int() is inclusive at both ends and stays in range', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const x = rng.int(-2, 2);
      expect(Number.isInteger(x)).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
    expect(rng.int(5, 5)).toBe(5);
  });

  it('rejects bad arguments instead of returning garbage', () => {
    const rng = createRng(3);
    expect(() => rng.int(3, 1)).toThrow(RangeError);
    expect(() => rng.int(0.5, 2)).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(() => rng.weighted([['a', 0]])).toThrow(RangeError);
    expect(() =>
      rng.weighted([
        ['a', -1],
        ['b', 2],
      ]),
    ).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });

  it('weighted() follows the weights and never picks a zero weight', () => {
    const rng = createRng(11);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++)
      counts[
        rng.weighted([
          ['a', 1],
          ['b', 3],
          ['c', 0],
        ] as const)
      ]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
  });

  it('chance() honours its probability', () => {
    const rng = createRng(5);
    expect(Array.from({ length: 100 }, () => rng.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => rng.chance(1)).every(Boolean)).toBe(true);
    const hits = Array.from({ length: 10_000 }, () => rng.chance(0.25)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(2_300);
    expect(hits).toBeLessThan(2_700);
  });

  it('pick() reaches every element', () => {
    const rng = createRng(9);
    const seen = new Set(Array.from({ length: 500 }, () => rng.pick(['x', 'y', 'z'])));
    expect(seen).toEqual(new Set(['x', 'y', 'z']));
  });

  it('shuffle() returns a permutation and leaves its input alone', () => {
    const rng = createRng(13);
    const input = Array.from({ length: 20 }, (_, i) => i);
    const frozen = input.slice();
    const out = rng.shuffle(input);
    expect(input).toEqual(frozen);
    expect(out.slice().sort((a, b) => a - b)).toEqual(frozen);
    expect(out).not.toEqual(frozen);
  });
});
