import { mayShow, protectBreakdown } from './small-counts';

describe('small-count protection', () => {
  it('shows a figure only when at least k members other than the viewer stand behind it', () => {
    expect(mayShow('v', ['a', 'b', 'c'], 3)).toBe(true);
    expect(mayShow('v', ['a', 'b', 'v'], 3)).toBe(false);
    expect(mayShow('v', ['a', 'a', 'a', 'b', 'c'], 3)).toBe(true);
    expect(mayShow('v', ['a', 'a', 'b'], 3)).toBe(false);
    expect(mayShow('v', ['v'], 3)).toBe(true); // its own
    expect(mayShow('v', [], 3)).toBe(true); // a zero
  });

  it('suppresses one more figure when the hidden ones together stand for fewer than k', () => {
    const out = protectBreakdown(
      'v',
      [
        { key: 'DE', value: 10, contributors: ['a', 'b', 'c'] },
        { key: 'FR', value: 7, contributors: ['d', 'e', 'f'] },
        { key: 'GB', value: 1, contributors: ['g'] },
      ],
      3,
    );
    // GB alone would be total − DE − FR: FR (the smaller) is hidden with it, so the remainder stands for 4.
    expect(out).toEqual([
      { key: 'DE', value: 10 },
      { key: 'FR', value: null },
      { key: 'GB', value: null },
    ]);
  });

  it('leaves a breakdown alone when the hidden figures already stand for k', () => {
    const out = protectBreakdown(
      'v',
      [
        { key: 'DE', value: 10, contributors: ['a', 'b', 'c'] },
        { key: 'FR', value: 2, contributors: ['d', 'e'] },
        { key: 'GB', value: 1, contributors: ['f', 'v'] },
      ],
      3,
    );
    expect(out).toEqual([
      { key: 'DE', value: 10 },
      { key: 'FR', value: null },
      { key: 'GB', value: null },
    ]);
  });

  it('random breakdowns: every shown figure, and all hidden ones together, stand for 0 or ≥ k others', () => {
    let seed = 99;
    const rnd = (max: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % max;
    for (let round = 0; round < 500; round++) {
      const k = 1 + rnd(4);
      const figures = Array.from({ length: rnd(8) }, (_, i) => ({
        key: i,
        value: 1 + rnd(20),
        contributors: Array.from({ length: 1 + rnd(5) }, () => ['v', 'a', 'b', 'c', 'd', 'e', 'f'][rnd(7)]),
      }));
      const out = protectBreakdown('v', figures, k);
      const others = (cs: string[]) => new Set(cs.filter((c) => c !== 'v')).size;
      const hidden: string[] = [];
      out.forEach((o, i) => {
        if (o.value === null) hidden.push(...figures[i].contributors);
        else
          expect([0, k, k + 1, k + 2, k + 3, k + 4, k + 5, k + 6].filter((n) => n === 0 || n >= k)).toContain(
            others([...figures[i].contributors]),
          );
      });
      const h = others(hidden);
      expect(h === 0 || h >= k || out.every((o, i) => o.value === null || others([...figures[i].contributors]) === 0)).toBe(true);
    }
  });
});
