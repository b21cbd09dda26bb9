import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, type CairnConfig, type Viewer } from '@cairn/common';
import { TenancyService, mayShow } from '@cairn/tenancy';
import type { ApplicantField } from './identifier-keys';
import { LookupError, LookupErrorCode } from './lookup.errors';
import { LookupQuotaService } from './lookup-quota.service';
import { parseApplicants, type ApplicantInput } from './screening-input';
import { screenKeys, type ScreenMatch } from './screening.queries';

type Cell = { sector: string; area: string };

/** What the viewer may see about one identifier of an applicant that matched. Never who reported it. */
export interface IdentifierMatch {
  field: ApplicantField;
  value: string;
  normalised: string;
  /** Distinct members that published or sighted it; null when fewer than k of them are not the viewer. */
  reporters: number | null;
  /** Cells of the reporters, each one that at least k members report under (as stored). */
  cells: Cell[];
  firstSeen: string | null;
  lastSeen: string | null;
  /** Visible sightings of it; null under the same small-count rule as reporters. */
  sightings: number | null;
  interviewStages: string[];
  roleCategories: string[];
  linkedActors: string[];
  linkedPersonas: string[];
  maxConfidence: number | null;
  latestTlp: string | null;
}

export interface RejectedValue {
  field: ApplicantField;
  value: string;
  reason: string;
}

/**
 * What the matches add up to. Every figure is a function of the per-identifier answers alone (a
 * maximum, a union of values, a count of identifiers), never a count of reporters across
 * identifiers: such a union could be differenced against another answer to count one member.
 */
export interface ScreeningSignals {
  matchedIdentifiers: number;
  matchedFields: ApplicantField[];
  sightedIdentifiers: number;
  maxReporters: number | null;
  linkedActors: string[];
  linkedPersonas: string[];
  interviewStages: string[];
  roleCategories: string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface ApplicantScreening {
  /** The caller's reference, echoed; never stored or logged. */
  ref: string;
  matches: IdentifierMatch[];
  rejected: RejectedValue[];
  signals: ScreeningSignals;
}

/** screenApplicants: the lookup's probe and rules for a batch of applicants. */
@Injectable()
export class ScreeningService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly quota: LookupQuotaService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  /**
   * Per applicant, in input order: each identifier that matched what the viewer may see (one
   * statement for the whole batch, under the viewer's visibility predicate and row-level security),
   * the values that could not be parsed with their reason, and the signals. The batch's distinct
   * identifiers are charged to the tenant's lookup quota first, as checkIdentifiers charges its
   * values: screening is a lookup, with no way around the quota.
   */
  async screenApplicants(viewer: Viewer, applicants: readonly ApplicantInput[]): Promise<ApplicantScreening[]> {
    const max = this.config.maxScreenApplicants;
    if (applicants.length > max)
      throw new LookupError(
        LookupErrorCode.TOO_MANY_APPLICANTS,
        `At most ${max} applicants per call (got ${applicants.length})`,
        'applicants',
      );
    const { values, wanted, slots } = parseApplicants(applicants, this.config.identifierHmacSecret);
    let found: ScreenMatch[] = [];
    if (slots > 0) {
      // The charge goes first, committed on its own, in the round trip that opens the screening's transaction.
      found = await this.tenancy.asViewerAfter(this.quota.chargeAhead(viewer, slots), viewer.tenantId, (m, scope) =>
        screenKeys(m, scope, wanted),
      );
    }
    const bySlot = new Map(found.map((f) => [f.slot, this.present(viewer, f)]));
    return applicants.map((a, i) => {
      const matches: IdentifierMatch[] = [];
      const rejected: RejectedValue[] = [];
      const seen = new Set<number>();
      for (const v of values[i]) {
        if (v.reason !== undefined) rejected.push({ field: v.field, value: v.value, reason: v.reason });
        const hit = v.slot === undefined || seen.has(v.slot) ? undefined : bySlot.get(v.slot);
        if (v.slot !== undefined) seen.add(v.slot);
        if (hit) matches.push({ field: v.field, value: v.value, normalised: v.normalised!, ...hit });
      }
      return { ref: a.ref, matches, rejected, signals: signalsOf(matches) };
    });
  }

  private present(viewer: Viewer, f: ScreenMatch): Omit<IdentifierMatch, 'field' | 'value' | 'normalised'> {
    const k = this.config.kAnonymity;
    const reporters = [...new Set([...(f.publishers ?? []), ...(f.sighters ?? [])])];
    const firstSeen = earliest(f.firstSeen, f.sightedFirst);
    return {
      reporters: mayShow(viewer.tenantId, reporters, k) ? reporters.length : null,
      cells: distinctCells([...(f.publishedCells ?? []), ...(f.sightedCells ?? [])]),
      firstSeen: firstSeen?.toISOString() ?? null,
      lastSeen: latest(f.lastSeen, f.sightedLast, firstSeen)?.toISOString() ?? null,
      sightings: mayShow(viewer.tenantId, f.sighters ?? [], k) ? f.sightings : null,
      interviewStages: sorted(f.stages),
      roleCategories: sorted(f.roles),
      linkedActors: sorted(f.actors),
      linkedPersonas: sorted(f.personas),
      maxConfidence: f.maxConfidence ?? null,
      latestTlp: f.latestTlp ?? null,
    };
  }
}

function signalsOf(matches: IdentifierMatch[]): ScreeningSignals {
  const union = (pick: (m: IdentifierMatch) => string[]) => sorted(matches.flatMap(pick));
  const shown = matches.map((m) => m.reporters).filter((r): r is number => r !== null);
  const first = matches
    .map((m) => m.firstSeen)
    .filter((d): d is string => d !== null)
    .sort();
  const last = matches
    .map((m) => m.lastSeen)
    .filter((d): d is string => d !== null)
    .sort();
  return {
    matchedIdentifiers: matches.length,
    matchedFields: sorted(matches.map((m) => m.field)) as ApplicantField[],
    sightedIdentifiers: matches.filter((m) => m.interviewStages.length > 0 || m.roleCategories.length > 0 || (m.sightings ?? 0) > 0).length,
    maxReporters: shown.length ? Math.max(...shown) : null,
    linkedActors: union((m) => m.linkedActors),
    linkedPersonas: union((m) => m.linkedPersonas),
    interviewStages: union((m) => m.interviewStages),
    roleCategories: union((m) => m.roleCategories),
    firstSeen: first[0] ?? null,
    lastSeen: last[last.length - 1] ?? null,
  };
}

// Code-unit order, not locale order: the same answer on every machine.
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sorted(values: readonly string[] | null | undefined): string[] {
  return [...new Set(values ?? [])].sort(byCodeUnit);
}

function distinctCells(cells: Array<Cell | null | undefined>): Cell[] {
  const out = new Map<string, Cell>();
  for (const c of cells) if (c) out.set(`${c.sector}\u0000${c.area}`, { sector: c.sector, area: c.area });
  return [...out.entries()].sort(([a], [b]) => byCodeUnit(a, b)).map(([, c]) => c);
}

function earliest(...dates: Array<Date | null | undefined>): Date | null {
  const ds = dates.filter((d): d is Date => d instanceof Date);
  return ds.length ? new Date(Math.min(...ds.map((d) => d.getTime()))) : null;
}

function latest(...dates: Array<Date | null | undefined>): Date | null {
  const ds = dates.filter((d): d is Date => d instanceof Date);
  return ds.length ? new Date(Math.max(...ds.map((d) => d.getTime()))) : null;
}
