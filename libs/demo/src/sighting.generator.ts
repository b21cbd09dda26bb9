/**
 * Interview sightings: member tenants reporting that a persona applied,
 * interviewed, got an offer, was hired or was caught after hiring.
 *
 * Sightings come in episodes, one per (tenant, persona, job opening): most
 * episodes yield one report, some several as the candidate moves through the
 * funnel. Volume grows over time and each report falls inside its persona's
 * active window.
 */
import { clamp, DAY_MS, growthWeights, instantInMonth, isoInstant, MONTH_COUNT } from './dates';
import type { DemoIdentifier, DemoIdentifierType, DemoIdentity, DemoSighting, DemoStage, DemoTenant } from './demo.types';
import type { GeneratedIdentity } from './identity.generator';
import type { Rng } from './rng';
import { CONFIDENCE_BY_STAGE, HIRING_PROFILES, IDENTIFIER_WEIGHTS_BY_STAGE, STAGE_ORDER, STAGE_WEIGHTS, TECH_SECTORS } from './vocabulary';

export interface SightingTargets {
  sightings: number;
  /** Distinct hiring episodes; at most `sightings`. */
  episodes: number;
}

/**
 * Reporting volume per tenant: random company size, then raked so that tech and
 * non-tech members each report half the sightings and the US share matches
 * the US share of members (a few big US tech firms must not swamp the rest).
 */
export function tenantWeights(rng: Rng, tenants: readonly DemoTenant[]): number[] {
  const weights = tenants.map(() => 0.5 + rng.next() * 2.5);
  const isTech = tenants.map((t) => TECH_SECTORS.has(t.sectors[0]));
  const isUs = tenants.map((t) => t.country === 'US');
  const usShare = isUs.filter(Boolean).length / tenants.length;
  const rake = (inGroup: boolean[], share: number): void => {
    const groupSum = weights.reduce((sum, w, i) => sum + (inGroup[i] ? w : 0), 0);
    const restSum = weights.reduce((sum, w, i) => sum + (inGroup[i] ? 0 : w), 0);
    if (groupSum === 0 || restSum === 0) return; // one side is empty: nothing to balance
    for (let i = 0; i < weights.length; i++) weights[i] *= inGroup[i] ? share / groupSum : (1 - share) / restSum;
  };
  for (let round = 0; round < 8; round++) {
    rake(isTech, 0.5);
    rake(isUs, usShare);
  }
  return weights;
}

function identifierValues(identity: DemoIdentity, type: DemoIdentifierType): readonly string[] {
  switch (type) {
    case 'EMAIL':
      return identity.emails;
    case 'PHONE':
      return identity.phones;
    case 'GITHUB':
      return identity.githubHandles;
    case 'LINKEDIN':
      return identity.linkedinHandles;
    case 'IP':
      return identity.ips;
    case 'RESUME_HASH':
      return identity.resumeSha256;
    case 'WALLET':
      return identity.wallets;
  }
}

function observe(rng: Rng, identity: DemoIdentity, stage: DemoStage): DemoIdentifier {
  const usable = IDENTIFIER_WEIGHTS_BY_STAGE[stage].filter(([type]) => identifierValues(identity, type).length > 0);
  // Every persona has at least one e-mail address, so EMAIL is the safe fallback.
  const type = usable.length > 0 ? rng.weighted(usable) : 'EMAIL';
  return { type, value: rng.pick(identifierValues(identity, type)) };
}

/** Weighted choice by binary search over cumulative weights: O(log n) per draw for many draws. */
function cumulativePicker<T>(rng: Rng, items: readonly T[], weights: readonly number[]): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return () => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  };
}

function monthOf(ms: number): number {
  const d = new Date(ms);
  return (d.getUTCFullYear() - 2021) * 12 + d.getUTCMonth();
}

/**
 * Personas grouped by the months their windows touch, each month with its
 * own weighted picker, so choosing a persona active at an instant costs
 * O(log n) and generation time stays linear in scale.
 */
interface MonthPersonas {
  personas: GeneratedIdentity[];
  pick: () => GeneratedIdentity;
}

function indexPersonas(rng: Rng, identities: readonly GeneratedIdentity[]): MonthPersonas[] {
  const byMonth: GeneratedIdentity[][] = Array.from({ length: MONTH_COUNT }, () => []);
  for (const g of identities) {
    const last = Math.min(monthOf(g.activeToMs), MONTH_COUNT - 1);
    for (let m = Math.max(0, monthOf(g.activeFromMs)); m <= last; m++) byMonth[m].push(g);
  }
  return byMonth.map((personas) => ({
    personas,
    pick: cumulativePicker(
      rng,
      personas,
      personas.map((g) => g.activity),
    ),
  }));
}

const isActive = (g: GeneratedIdentity, at: number): boolean => g.activeFromMs <= at && at <= g.activeToMs;

/**
 * A moment, a persona active at it, and a way to draw others (weighted by activity).
 * Draws are rejection-sampled from the month's personas (nearly all of them
 * are active on any given day), with an exact scan as the fallback. Moments
 * with no active persona (the edges of the period, very small scales) are
 * redrawn a few times; failing that, the nearest persona is used and the moment
 * moved into the first or last fortnight of its window rather than pinned to one instant.
 */
function momentAndPersona(
  rng: Rng,
  identities: readonly GeneratedIdentity[],
  index: readonly MonthPersonas[],
  months: readonly (readonly [number, number])[],
): { at: number; persona: GeneratedIdentity; another: () => GeneratedIdentity } {
  const drawActive = (month: MonthPersonas, at: number): GeneratedIdentity | undefined => {
    if (month.personas.length === 0) return undefined;
    for (let tries = 0; tries < 16; tries++) {
      const g = month.pick();
      if (isActive(g, at)) return g;
    }
    const active = month.personas.filter((g) => isActive(g, at));
    return active.length > 0 ? rng.weighted(active.map((g) => [g, g.activity] as const)) : undefined;
  };
  let at = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    at = instantInMonth(rng, rng.weighted(months));
    const month = index[monthOf(at)];
    const first = drawActive(month, at);
    if (!first) continue;
    const moment = at;
    return { at, persona: first, another: () => drawActive(month, moment) ?? first };
  }
  let best = identities[0];
  let bestGap = Infinity;
  for (const g of identities) {
    const gap = at < g.activeFromMs ? g.activeFromMs - at : at - g.activeToMs;
    if (gap < bestGap) [best, bestGap] = [g, gap];
  }
  const jitter = rng.int(0, 14 * DAY_MS);
  at = at < best.activeFromMs ? best.activeFromMs + jitter : best.activeToMs - jitter;
  return { at: clamp(at, best.activeFromMs, best.activeToMs), persona: best, another: () => best };
}

/** Reports per episode: one each, and the surplus spread at random. */
function reportsPerEpisode(rng: Rng, targets: SightingTargets): number[] {
  const episodes = Math.max(1, Math.min(targets.episodes, targets.sightings));
  const counts = new Array<number>(episodes).fill(1);
  for (let extra = targets.sightings - episodes; extra > 0; extra--) counts[rng.int(0, episodes - 1)]++;
  return counts;
}

const STAGE_RANK = new Map(STAGE_ORDER.map((stage, i) => [stage, i]));

export function generateSightings(
  rng: Rng,
  tenants: readonly DemoTenant[],
  identities: readonly GeneratedIdentity[],
  targets: SightingTargets,
): DemoSighting[] {
  const pickReporter = cumulativePicker(rng, tenants, tenantWeights(rng, tenants));
  const personaIndex = indexPersonas(rng, identities);
  const months = growthWeights(MONTH_COUNT - 1);
  const seenPairs = new Set<string>();
  const out: DemoSighting[] = [];

  for (const reports of reportsPerEpisode(rng, targets)) {
    const moment = momentAndPersona(rng, identities, personaIndex, months);
    let at = moment.at;
    // Prefer a (tenant, persona) pair not seen yet: the scheme spreads its
    // applications across many employers, so repeats at one member are the exception.
    let tenant = pickReporter();
    let persona = moment.persona;
    for (let retry = 0; retry < 12 && seenPairs.has(`${tenant.slug}|${persona.identity.key}`); retry++) {
      if (retry % 2 === 0) persona = moment.another();
      else tenant = pickReporter();
    }
    seenPairs.add(`${tenant.slug}|${persona.identity.key}`);
    at = clamp(at, persona.activeFromMs, persona.activeToMs);

    const profile = HIRING_PROFILES[tenant.sectors[0]];
    const roleCategory = rng.weighted(profile.roles);
    const hiringChannel = rng.weighted(profile.channels);
    const stages: DemoStage[] = [];
    for (let n = 0; n < reports; n++) stages.push(rng.weighted(STAGE_WEIGHTS));
    stages.sort((a, b) => (STAGE_RANK.get(a) ?? 0) - (STAGE_RANK.get(b) ?? 0));

    for (let n = 0; n < stages.length; n++) {
      const stage = stages[n];
      if (n > 0) at += rng.int(2, 21) * DAY_MS + rng.int(0, DAY_MS - 1);
      const first = clamp(at, persona.activeFromMs, persona.activeToMs);
      const count = rng.weighted([
        [1, 55],
        [2, 20],
        [3, 12],
        [4, 7],
        [5, 4],
        [8, 2],
      ]);
      // A hired worker keeps showing up in logs for weeks; an applicant for days.
      const spanDays = count === 1 ? 0 : stage === 'detected-after-hire' ? rng.int(7, 90) : rng.int(1, 14);
      const last = clamp(first + spanDays * DAY_MS + (count === 1 ? 0 : rng.int(0, DAY_MS - 1)), first, persona.activeToMs);
      const [minConfidence, maxConfidence] = CONFIDENCE_BY_STAGE[stage];
      out.push({
        reporterTenant: tenant.slug,
        identityKey: persona.identity.key,
        observedIdentifier: observe(rng, persona.identity, stage),
        firstSeen: isoInstant(first),
        lastSeen: isoInstant(last),
        count,
        stage,
        roleCategory,
        hiringChannel,
        confidence: rng.int(minConfidence, maxConfidence),
      });
    }
  }

  // Plain string comparison: ISO instants sort chronologically and nothing
  // depends on locale; remaining ties keep generation order (Array sort is stable).
  return out.sort((a, b) =>
    a.firstSeen < b.firstSeen
      ? -1
      : a.firstSeen > b.firstSeen
        ? 1
        : a.reporterTenant < b.reporterTenant
          ? -1
          : a.reporterTenant > b.reporterTenant
            ? 1
            : a.identityKey < b.identityKey
              ? -1
              : a.identityKey > b.identityKey
                ? 1
                : 0,
  );
}
