import { audienceReaches, type AccessScope, type Audience } from '@cairn/access';
import { highestTlp, type Tlp } from '@cairn/stix';

/**
 * "References never widen the audience" (DESIGN.md): the audience of an object that references
 * others is at most the intersection of the audience its publisher Q asked for and the audiences
 * of what it references; its TLP at least the strictest. The rules, chosen so that every result is
 * one storable Audience (publisher Q) that never reaches anyone the exact intersection does not:
 *
 *  - ⊤ = COMMUNITY: ⊤ ∩ X = X.
 *  - SECTOR[a] ∩ SECTOR[b] = SECTOR[a ∩ b] (a member in a sector of a and in another of b is
 *    left out: narrower than exact, never wider).
 *  - SHARING_GROUP g ∩ SHARING_GROUP g = g; g ∩ h (h ≠ g) and g ∩ SECTOR are not one audience: refused.
 *  - Named tenants: what is shared by name (RECIPIENTS R of publisher P, or ORGANISATION of P)
 *    reaches R ∪ {P}. Intersected with Q's request it stays RECIPIENTS: those of R ∪ {P} (Q left
 *    out, it is the publisher) whom Q's request reaches today. That filter is a snapshot of Q's own
 *    request only: the list can never outgrow what the referenced object reaches, which is fixed.
 *    The same snapshot against a *referenced* SECTOR or SHARING_GROUP could (members move), so a
 *    request by name, or two references one by name and one by membership, is refused.
 *  - countries: [] means anywhere; two lists intersect; disjoint lists reach nobody.
 *  - nobody left but Q: ORGANISATION.
 * A referenced object's own publisher always sees it, but is kept in the result only where the
 * result names tenants (RECIPIENTS); elsewhere it is dropped (narrower, never wider).
 *
 * What the publisher is told must not depend on what it may not know of another member's audience
 * (Bounds): it chooses the request, so an answer that did would be an oracle — "RECIPIENTS [t]
 * stays RECIPIENTS" names the anonymous publisher of what was sent to it by name, "SECTOR
 * [insurance] stays SECTOR" reads the sector list. So every decision it can observe (the
 * distribution, whether nobody is left, whether the sharing was narrowed) is taken on the part of
 * the referenced audiences it can know, and only the stored lists, which it cannot read back
 * (audienceSectorsMatch / audienceCountriesMatch answer for its own rows as for others'), are the
 * exact intersection.
 */

/** Whom an audience reaches besides the referencing publisher, independent of who published it. */
export type Reach =
  | { kind: 'ALL'; countries: readonly string[] }
  | { kind: 'SECTOR'; sectors: readonly string[]; countries: readonly string[] }
  | { kind: 'GROUP'; groupId: string; countries: readonly string[] }
  | { kind: 'TENANTS'; tenants: readonly string[]; countries: readonly string[] }
  | { kind: 'NONE' };

/** Why two audiences have no one-audience intersection. */
export class NotRepresentable {
  constructor(readonly message: string) {}
}

/** What an object's referenced copy is shared with (one version of one publisher). */
export interface ReferencedCopy {
  audience: Audience;
  tlp: Tlp;
  /** The publisher's own row, narrowed by another member's data: what it knows of the audience stored (stix_object.known_audience). */
  knowledge?: AudienceKnowledge;
}

/**
 * What a publisher knows (`known`) and was told (`shown`) of its own row's audience when that is
 * less than the audience stored, and whether another member's named tenants narrowed it.
 */
export interface AudienceKnowledge {
  known: Audience;
  shown: Audience;
  named: boolean;
}

/** The knowledge to keep with a row planned as `p`, or undefined when its publisher knows its audience whole. */
export function knowledgeOf(p: AudienceKnowledge & { audience: Audience }): AudienceKnowledge | undefined {
  if (!p.named && sameAudience(p.known, p.audience) && sameAudience(p.shown, p.audience)) return undefined;
  return { known: p.known, shown: p.shown, named: p.named };
}

const NONE: Reach = { kind: 'NONE' };

/**
 * What a referenced audience reaches (`exact`), and the part of that the referencing publisher can
 * know (`known`, a subset): of another member's audience it can tell the kind and the group (it sees
 * the row through them), which of its own sectors are listed, and that its own country is among the
 * countries (or that there are none: the two look alike to it) — never which other sectors,
 * countries or tenants. Its own audiences it knows whole. Decisions it can observe (refused,
 * nobody left) are taken on `known`.
 *
 * `display` is what it is told: `known`, but with another member's countries left out (treated as
 * "anywhere"): its own country being in them is all it knows, and telling it "narrowed to your
 * country" would be as untrue as telling it the list. `named`: named tenants of another member take
 * part, whom it cannot see.
 */
export interface Bounds {
  exact: Reach;
  known: Reach;
  display: Reach;
  named: boolean;
}

const ALL_ANYWHERE: Reach = { kind: 'ALL', countries: [] };
/** Bounds that reach everyone: the start of a meet. */
export const EVERYONE: Bounds = { exact: ALL_ANYWHERE, known: ALL_ANYWHERE, display: ALL_ANYWHERE, named: false };

/** Bounds its publisher knows whole (its own audiences, or an object planned in the same call from them). */
export function wholeBounds(r: Reach): Bounds {
  return { exact: r, known: r, display: r, named: false };
}

/**
 * The bounds of audience `a` as seen by `viewer` (the referencing publisher, who may see rows shared
 * with it). Its own row it knows whole, unless the row was narrowed by another member's data: then
 * what it knows is what was kept with the row (`knowledge`), or one publish and a reference to that
 * row would read the other member's audience back.
 */
export function boundsOf(
  a: Audience,
  viewer: Pick<AccessScope, 'tenantId' | 'sectors' | 'country'>,
  knowledge?: AudienceKnowledge,
): Bounds {
  const exact = reachOf(a);
  if (a.publisherTenantId === viewer.tenantId) {
    return knowledge
      ? { exact, known: reachOf(knowledge.known), display: reachOf(knowledge.shown), named: knowledge.named }
      : wholeBounds(exact);
  }
  if (exact.kind === 'NONE') return wholeBounds(exact);
  const countries = [viewer.country];
  let known: Reach;
  switch (exact.kind) {
    case 'ALL':
      known = { kind: 'ALL', countries };
      break;
    case 'SECTOR': {
      const sectors = exact.sectors.filter((s) => viewer.sectors.includes(s));
      known = sectors.length ? { kind: 'SECTOR', sectors, countries } : NONE;
      break;
    }
    case 'GROUP':
      known = { ...exact, countries };
      break;
    case 'TENANTS':
      known = { kind: 'TENANTS', tenants: [viewer.tenantId], countries };
      break;
  }
  return { exact, known, display: withCountries(known, []), named: exact.kind === 'TENANTS' };
}

/**
 * The meet of two bounds. Whether it is representable, and whether anyone is left, is decided on
 * the known parts; the exact meet contains the known one (and the displayed one contains it too),
 * so they are then of the same kind and not empty either.
 */
export function meetBounds(a: Bounds, b: Bounds): Bounds | NotRepresentable {
  const known = meetReach(a.known, b.known);
  if (known instanceof NotRepresentable) return known;
  const named = a.named || b.named;
  if (known.kind === 'NONE') return { exact: NONE, known: NONE, display: NONE, named };
  const exact = meetReach(a.exact, b.exact);
  const display = meetReach(a.display, b.display);
  // Cannot happen (exact and display ⊇ known); were it to, the known part is the narrower answer.
  const sound = (r: Reach | NotRepresentable): r is Reach => !(r instanceof NotRepresentable) && r.kind === known.kind;
  return { exact: sound(exact) ? exact : known, known, display: sound(display) ? display : known, named };
}

/** The reach of an audience: who besides its publisher sees rows shared with it (and the publisher, where named). */
export function reachOf(a: Audience): Reach {
  switch (a.distribution) {
    case 'COMMUNITY':
      return { kind: 'ALL', countries: a.countries };
    case 'SECTOR':
      return a.sectors.length ? { kind: 'SECTOR', sectors: a.sectors, countries: a.countries } : NONE;
    case 'SHARING_GROUP':
      return a.groupId ? { kind: 'GROUP', groupId: a.groupId, countries: a.countries } : NONE;
    case 'RECIPIENTS':
    case 'ORGANISATION':
      // The publisher always sees its own rows: it is among those a named audience reaches.
      return {
        kind: 'TENANTS',
        tenants: [...new Set([...(a.distribution === 'RECIPIENTS' ? a.recipients : []), a.publisherTenantId])],
        countries: a.countries,
      };
    default:
      return NONE;
  }
}

function meetCountries(a: readonly string[], b: readonly string[]): readonly string[] | null {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const both = a.filter((c) => b.includes(c));
  return both.length ? both : null;
}

function withCountries(r: Reach, countries: readonly string[]): Reach {
  return r.kind === 'NONE' ? r : { ...r, countries };
}

/** The exact intersection of two reaches, or NotRepresentable; named tenants meet membership only by refusal (no snapshot). */
export function meetReach(a: Reach, b: Reach): Reach | NotRepresentable {
  if (a.kind === 'NONE' || b.kind === 'NONE') return NONE;
  const countries = meetCountries(a.countries, b.countries);
  if (countries === null) return NONE;
  if (a.kind === 'ALL') return withCountries(b, countries);
  if (b.kind === 'ALL') return withCountries(a, countries);
  if (a.kind === 'SECTOR' && b.kind === 'SECTOR') {
    const sectors = a.sectors.filter((s) => b.sectors.includes(s));
    return sectors.length ? { kind: 'SECTOR', sectors, countries } : NONE;
  }
  if (a.kind === 'GROUP' && b.kind === 'GROUP') {
    return a.groupId === b.groupId
      ? { kind: 'GROUP', groupId: a.groupId, countries }
      : new NotRepresentable('shared with two different sharing groups');
  }
  if (a.kind === 'TENANTS' && b.kind === 'TENANTS') {
    const tenants = a.tenants.filter((t) => b.tenants.includes(t));
    return tenants.length ? { kind: 'TENANTS', tenants, countries } : NONE;
  }
  const kinds = [a.kind, b.kind].sort().join(' and ');
  return new NotRepresentable(
    kinds === 'GROUP and SECTOR'
      ? 'a sharing group and a sector have no common audience that can be stored'
      : 'named recipients and a sector or sharing group (whose members change) have no common audience that can be stored',
  );
}

/**
 * What to store (`audience`), the part of it the publisher can know (`known`, for what references
 * it in turn) and what it is told (`shown`); all three of one distribution.
 */
export interface Narrowed {
  audience: Audience;
  known: Audience;
  shown: Audience;
}

/**
 * Q's request narrowed by the meet of what it references (`refs`, from meetBounds). Named tenants
 * referenced are filtered by whether Q's request reaches them now (`scopes` holds their access
 * scopes; one missing is left out). Returns the Audience to store, with publisher Q, with what Q
 * knows and is shown of it; every choice Q can observe is taken on `refs.known`.
 */
export function narrowRequest(requested: Audience, refs: Bounds, scopes: ReadonlyMap<string, AccessScope>): Narrowed | NotRepresentable {
  const q = requested.publisherTenantId;
  const all = (a: Audience): Narrowed => ({ audience: a, known: a, shown: a });
  if (requested.distribution === 'ORGANISATION' || refs.known.kind === 'NONE') return all(organisation(q));
  if (refs.known.kind === 'TENANTS') {
    const countries = (r: Reach) => (r.kind === 'TENANTS' ? meetCountries(requested.countries, r.countries) : null);
    const knownCountries = countries(refs.known);
    if (knownCountries === null) return all(organisation(q));
    const reached = (r: Reach) =>
      r.kind === 'TENANTS' ? r.tenants.filter((t) => t !== q && scopes.has(t) && audienceReaches(requested, scopes.get(t)!)) : [];
    const recipients = (r: Reach): Audience => ({
      publisherTenantId: q,
      distribution: 'RECIPIENTS',
      sectors: [],
      countries: [...(countries(r) ?? knownCountries)],
      groupId: null,
      recipients: reached(r),
    });
    // Another member's named tenants: whether Q's request reaches any of them is theirs to keep, so
    // the result stays RECIPIENTS even when it reaches nobody (Q still sees its own row).
    if (refs.named) return { audience: recipients(refs.exact), known: recipients(refs.known), shown: recipients(refs.display) };
    const own = recipients(refs.exact);
    return all(own.recipients.length ? own : organisation(q));
  }
  const known = meetReach(reachOf(requested), refs.known);
  if (known instanceof NotRepresentable) return known;
  if (known.kind === 'NONE') return all(organisation(q));
  const audienceOf = (r: Bounds['exact']) => {
    const met = meetReach(reachOf(requested), r);
    return met instanceof NotRepresentable || met.kind !== known.kind ? toAudience(q, known) : toAudience(q, met);
  };
  return { audience: audienceOf(refs.exact), known: toAudience(q, known), shown: audienceOf(refs.display) };
}

/** The audience with publisher `q` that stands for `r`. */
export function toAudience(q: string, r: Reach): Audience {
  const base = {
    publisherTenantId: q,
    sectors: [] as string[],
    countries: r.kind === 'NONE' ? [] : [...r.countries],
    groupId: null as string | null,
    recipients: [] as string[],
  };
  switch (r.kind) {
    case 'ALL':
      return { ...base, distribution: 'COMMUNITY' };
    case 'SECTOR':
      return { ...base, distribution: 'SECTOR', sectors: [...r.sectors] };
    case 'GROUP':
      return { ...base, distribution: 'SHARING_GROUP', groupId: r.groupId };
    case 'TENANTS': {
      const tenants = r.tenants.filter((t) => t !== q);
      return tenants.length ? { ...base, distribution: 'RECIPIENTS', recipients: tenants } : organisation(q);
    }
    default:
      return organisation(q);
  }
}

function organisation(q: string): Audience {
  return { publisherTenantId: q, distribution: 'ORGANISATION', sectors: [], countries: [], groupId: null, recipients: [] };
}

/** The strictest of the TLPs. */
export function strictestTlp(first: Tlp, others: Iterable<Tlp>): Tlp {
  let t = first;
  for (const o of others) t = highestTlp(t, o);
  return t;
}

/** Same audience (order of lists ignored). */
export function sameAudience(a: Audience, b: Audience): boolean {
  const set = (x: readonly string[]) => [...x].sort().join(',');
  return (
    a.publisherTenantId === b.publisherTenantId &&
    a.distribution === b.distribution &&
    set(a.sectors) === set(b.sectors) &&
    set(a.countries) === set(b.countries) &&
    (a.groupId ?? null) === (b.groupId ?? null) &&
    set(a.recipients) === set(b.recipients)
  );
}

/** How widely an audience reaches, for choosing among the copies of one referenced id: larger is wider. */
export function breadth(a: Audience): number {
  const rank = { ORGANISATION: 0, RECIPIENTS: 1, SHARING_GROUP: 2, SECTOR: 3, COMMUNITY: 4 }[a.distribution] ?? 0;
  return rank * 10_000 + (a.countries.length === 0 ? 5_000 : a.countries.length * 10) + a.sectors.length + a.recipients.length;
}
