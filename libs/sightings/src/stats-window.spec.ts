import { protectPerWeek, sumShown, weekOfDay, weekStart, wholeWeeks, type WeekFigure } from './stats-window';

describe('stats windows (libs/sightings)', () => {
  const at = (s: string) => new Date(s);

  it('widens a window to whole ISO weeks, UTC, Monday to Monday', () => {
    expect(weekStart(at('2025-05-01T00:00:00Z')).toISOString()).toBe('2025-04-28T00:00:00.000Z'); // a Thursday
    expect(weekStart(at('2025-05-04T23:59:59.999Z')).toISOString()).toBe('2025-04-28T00:00:00.000Z'); // the Sunday after
    expect(weekStart(at('2025-05-05T00:00:00Z')).toISOString()).toBe('2025-05-05T00:00:00.000Z');
    expect(weekStart(at('1969-12-31T12:00:00Z')).toISOString()).toBe('1969-12-29T00:00:00.000Z');
    const w = wholeWeeks(at('2025-05-01T00:00:00Z'), at('2025-05-12T00:00:00Z'));
    expect([w.from.toISOString(), w.to.toISOString()]).toEqual(['2025-04-28T00:00:00.000Z', '2025-05-12T00:00:00.000Z']);
    const v = wholeWeeks(at('2025-05-01T00:00:00Z'), at('2025-05-12T00:00:00.001Z'));
    expect(v.to.toISOString()).toBe('2025-05-19T00:00:00.000Z');
    expect(weekOfDay('2025-05-18')).toBe('2025-05-12');
  });

  const fig = (week: string, key: string, value: number, ...contributors: string[]): WeekFigure => ({ week, key, value, contributors });

  it('decides each week by its own figures: the same week is shown or hidden in every window', () => {
    const crowd = fig('2025-05-05', 'x', 3, 'a', 'b', 'c');
    const lone = fig('2025-05-12', 'x', 2, 'v', 'v');
    const narrow = protectPerWeek('me', [crowd], 3);
    const wide = protectPerWeek('me', [crowd, lone], 3);
    expect(narrow.map((f) => f.shown)).toEqual([true]);
    expect(wide.map((f) => f.shown)).toEqual([true, false]);
    // Σ shown: the wider window adds nothing the narrow one did not show.
    expect(sumShown(narrow).get('x')).toBe(3);
    expect(sumShown(wide).get('x')).toBe(3);
    expect(sumShown(protectPerWeek('me', [lone], 3)).get('x')).toBeNull();
  });

  it('hides a second figure of a week where the week minus the shown ones would give the first back', () => {
    const week = [fig('w', 'US', 3, 'a', 'b', 'c'), fig('w', 'CA', 1, 'v'), fig('w2', 'US', 4, 'a', 'b', 'c', 'd')];
    expect(protectPerWeek('me', week, 3).map((f) => f.shown)).toEqual([false, false, true]);
    expect([...sumShown(protectPerWeek('me', week, 3))]).toEqual([
      ['US', 4],
      ['CA', null],
    ]);
  });

  it("shows the viewer's own figures (nobody else stands behind them)", () => {
    expect(protectPerWeek('me', [fig('w', 'x', 2, 'me')], 3)[0].shown).toBe(true);
  });
});
