/**
 * Entry point of the generator: sizes each part from the scale and runs the
 * part generators, each on its own seeded stream.
 */
import { demoCampaign } from './campaign';
import { DAY_MS, isoDate, isoInstant, WINDOW_END_MS } from './dates';
import type { DemoData, DemoOptions } from './demo.types';
import { generateIdentities } from './identity.generator';
import { forkRng } from './rng';
import { generateSightings } from './sighting.generator';
import { generateSharingGroups, generateTenants } from './tenant.generator';

/** Sizes at scale 1, taken from the mission brief. */
export const MISSION_SIZES = {
  tenants: 60,
  identities: 130,
  laptopFarms: 18,
  sightings: 6500,
  /** Hiring episodes; the brief's ~5,000 targeted companies, folded onto the member tenants. */
  episodes: 5000,
} as const;

function scaled(base: number, scale: number): number {
  return Math.max(1, Math.round(base * scale));
}

/** The same options always give a deep-equal (and JSON-identical) data set. */
export function generateDemo(opts: DemoOptions): DemoData {
  const { seed, scale } = opts;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const shiftDays = opts.anchor === undefined ? 0 : daysToAnchor(opts.anchor);

  const tenants = generateTenants(forkRng(seed, 'tenants'), scaled(MISSION_SIZES.tenants, scale));
  const sharingGroups = generateSharingGroups(forkRng(seed, 'sharing-groups'), tenants);
  const generated = generateIdentities(
    forkRng(seed, 'identities'),
    scaled(MISSION_SIZES.identities, scale),
    scaled(MISSION_SIZES.laptopFarms, scale),
  );
  const sightings = generateSightings(forkRng(seed, 'sightings'), tenants, generated, {
    sightings: scaled(MISSION_SIZES.sightings, scale),
    episodes: scaled(MISSION_SIZES.episodes, scale),
  });

  return shifted(
    {
      seed,
      scale,
      tenants,
      sharingGroups,
      campaign: demoCampaign(),
      identities: generated.map((g) => g.identity),
      sightings,
    },
    shiftDays,
  );
}

/** Whole days from the reference window's end to the anchor day (the day after the last activity). */
function daysToAnchor(anchor: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(anchor) ? Date.parse(`${anchor}T00:00:00.000Z`) : NaN;
  if (Number.isNaN(ms) || isoDate(ms) !== anchor) throw new RangeError(`anchor must be a date YYYY-MM-DD, got ${anchor}`);
  return Math.round((ms - (WINDOW_END_MS + 1)) / DAY_MS);
}

/**
 * The data generated on the reference window, moved by whole days: the streams and every interval
 * stay as they are, so anchoring changes the dates only (and the growth curve keeps its shape).
 */
function shifted(data: DemoData, days: number): DemoData {
  if (days === 0) return data;
  const by = days * DAY_MS;
  const date = (d: string) => isoDate(Date.parse(`${d}T00:00:00.000Z`) + by);
  const instant = (t: string) => isoInstant(Date.parse(t) + by);
  return {
    ...data,
    identities: data.identities.map((i) => ({ ...i, firstActive: date(i.firstActive), lastActive: date(i.lastActive) })),
    sightings: data.sightings.map((s) => ({ ...s, firstSeen: instant(s.firstSeen), lastSeen: instant(s.lastSeen) })),
  };
}
