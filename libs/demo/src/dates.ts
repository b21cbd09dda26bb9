/**
 * The demo's time frame and the growth curve of sightings within it. All
 * instants are UTC epoch milliseconds; nothing reads the clock.
 */
import type { Rng } from './rng';

export const DAY_MS = 86_400_000;
/** 2021-01-01T00:00:00.000Z */
export const WINDOW_START_MS = Date.UTC(2021, 0, 1);
/** 2025-06-30T23:59:59.999Z */
export const WINDOW_END_MS = Date.UTC(2025, 5, 30, 23, 59, 59, 999);
/** January 2021 … June 2025. */
export const MONTH_COUNT = 54;

// Roughly eightfold growth from the first month to the last: the scheme scaled
// up year on year, and reporting to the exchange grew with it.
const GROWTH_PER_MONTH = Math.log(8) / (MONTH_COUNT - 1);

export function monthStartMs(month: number): number {
  return Date.UTC(2021, month, 1);
}

/** Month weights for months [0, lastMonth], growing exponentially. */
export function growthWeights(lastMonth: number): [number, number][] {
  const out: [number, number][] = [];
  for (let m = 0; m <= lastMonth; m++) out.push([m, Math.exp(GROWTH_PER_MONTH * m)]);
  return out;
}

/** A uniform instant inside the given month. */
export function instantInMonth(rng: Rng, month: number): number {
  const start = monthStartMs(month);
  const end = Math.min(monthStartMs(month + 1), WINDOW_END_MS + 1);
  return start + Math.floor(rng.next() * (end - start));
}

export function clamp(ms: number, min: number, max: number): number {
  return ms < min ? min : ms > max ? max : ms;
}

/** YYYY-MM-DD of an instant. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Midnight UTC at the start of the instant's day. */
export function startOfDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

export function endOfDay(ms: number): number {
  return startOfDay(ms) + DAY_MS - 1;
}
