import { protectBreakdown } from '@cairn/tenancy';

/**
 * How sectorStats stays safe across answers, not only within one (README "Anonymity").
 *
 * The unit of protection is the ISO week (UTC, Monday to Monday). A window is always widened to
 * whole weeks, for DAY series as well: a day window could otherwise be subtracted from the week
 * around it. Within one week every figure is protected on its own week's contributors only
 * (protectBreakdown: a figure of fewer than k other members is hidden, and so is a second one
 * where "week minus what is shown" would give it back), so whether a week's figure is shown never
 * depends on the window around it. A window's figure — the total, a breakdown row, a top
 * identity's sightings — is then the sum of the weekly figures shown, never of a hidden one.
 *
 * So any two windows' figures differ by a sum of weekly figures that are shown anyway: widening a
 * window by a week whose figure is hidden changes nothing, and no set of answers adds up to a
 * hidden figure. A window's figure may therefore be less than what was sighted in it; it is never
 * an estimate, and null when it would leave out every week.
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, a Monday: weeks counted from it start on Mondays. */
const MONDAY_MS = 4 * DAY_MS;

/** Start of the ISO week (UTC) holding `t`. */
export function weekStart(t: Date): Date {
  return new Date(Math.floor((t.getTime() - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS);
}

/** [from, to) widened to whole ISO weeks (UTC): from down to its Monday, to up to the next Monday unless it is one. */
export function wholeWeeks(from: Date, to: Date): { from: Date; to: Date } {
  const end = weekStart(to);
  return { from: weekStart(from), to: end.getTime() === to.getTime() ? end : new Date(end.getTime() + WEEK_MS) };
}

/** The Monday (YYYY-MM-DD) of the ISO week of a YYYY-MM-DD day. */
export function weekOfDay(day: string): string {
  return weekStart(new Date(`${day}T00:00:00Z`))
    .toISOString()
    .slice(0, 10);
}

/** One week's figure for one key: how many, and the member tenants whose reports make it up. */
export interface WeekFigure {
  week: string;
  key: string;
  value: number;
  contributors: readonly string[];
}

/** Each figure with `shown`, decided per week among the figures of that week only (order kept). */
export function protectPerWeek<F extends WeekFigure>(
  viewerTenantId: string,
  figures: readonly F[],
  k: number,
): Array<F & { shown: boolean }> {
  const byWeek = new Map<string, number[]>();
  figures.forEach((f, i) => byWeek.set(f.week, [...(byWeek.get(f.week) ?? []), i]));
  const shown = new Array<boolean>(figures.length).fill(false);
  for (const indexes of byWeek.values()) {
    const week = protectBreakdown(
      viewerTenantId,
      indexes.map((i) => figures[i]),
      k,
    );
    indexes.forEach((i, j) => (shown[i] = week[j].value !== null));
  }
  return figures.map((f, i) => ({ ...f, shown: shown[i] }));
}

/** Per key, in first-seen order: the sum of its shown weekly figures, or null when none of them is shown. */
export function sumShown(figures: ReadonlyArray<WeekFigure & { shown: boolean }>): Map<string, number | null> {
  const sums = new Map<string, number | null>();
  for (const f of figures) {
    const sum = sums.get(f.key) ?? null;
    sums.set(f.key, f.shown ? (sum ?? 0) + f.value : sum);
  }
  return sums;
}
