import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlParams, visibleTo, type AccessScope } from '@cairn/access';
import { CAIRN_CONFIG, type CairnConfig, type Viewer } from '@cairn/common';
import { StoredObjectsService } from '@cairn/intel';
import { TenancyService, othersThan } from '@cairn/tenancy';
import { areasMatching, sectorsMatching } from './sighting-facts';
import { protectPerWeek, sumShown, weekOfDay, wholeWeeks, type WeekFigure } from './stats-window';

export interface StatsQuery {
  sector: string;
  countries?: string[];
  from: Date;
  to: Date;
  interval: 'day' | 'week';
}

/**
 * Every figure is null where fewer than k members other than the viewer stand behind it (small-counts.ts),
 * and a figure over the window is the sum of the weekly figures shown (stats-window.ts).
 */
export interface SectorStats {
  /** The window the figures are for: the one asked for, widened to whole ISO weeks (UTC). */
  from: Date;
  to: Date;
  series: Array<{ bucket: string; sightings: number | null; newIndicators: number | null }>;
  topIdentities: Array<{ subjectId: string; name: string | null; reportingMembers: number; sightings: number }>;
  byArea: Array<{ key: string; sightings: number | null }>;
  byRoleCategory: Array<{ key: string; sightings: number | null }>;
  byStage: Array<{ key: string; sightings: number | null }>;
  totalSightings: number | null;
}

type Row = { week: string; key: string; n: string; who: string[] };
const weekFigures = (rows: Row[]): WeekFigure[] => rows.map((r) => ({ week: r.week, key: r.key, value: Number(r.n), contributors: r.who }));
/** Rows by value, hidden ones last, then by key: the order says nothing a figure does not. */
const byValue = <R extends { key: string; value: number | null }>(rows: R[]) =>
  rows.sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const WEEK_OF = (column: string) => `to_char(date_trunc('week', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;

/** What a CISO puts on a slide, computed only from what the viewer may see (predicate + RLS). */
@Injectable()
export class StatsService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly objects: StoredObjectsService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  async sectorStats(viewer: Viewer, asked: StatsQuery): Promise<SectorStats> {
    const k = this.config.kAnonymity;
    const me = viewer.tenantId;
    // Whole weeks, whatever the interval: see stats-window.ts for why every window figure then
    // differs from another window's by figures that are shown anyway.
    const q = { ...asked, ...wholeWeeks(asked.from, asked.to) };
    return this.tenancy.asViewerReading('sightings.stats', me, async (m, scope) => {
      // One after another: they share the transaction's one connection, which runs one query at a
      // time anyway (pg deprecates queueing them with Promise.all).
      const sighted = protectPerWeek(me, await this.perWeek(m, scope, q, q.interval === 'day' ? 'day' : 'week'), k);
      const weeks = q.interval === 'day' ? protectPerWeek(me, await this.perWeek(m, scope, q, 'week'), k) : sighted;
      const added = (await this.objects.indicatorsAddedPerBucket(m, scope, q)).map((r) => ({
        week: weekOfDay(r.bucket),
        key: r.bucket,
        value: r.n,
        contributors: r.who,
      }));
      const top = await this.topIdentities(m, scope, q, protectPerWeek(me, await this.perWeek(m, scope, q, 'subject_id'), k));
      const spread = async (column: 'cell_area' | 'role_category' | 'interview_stage') =>
        byValue([...sumShown(protectPerWeek(me, await this.perWeek(m, scope, q, column), k))].map(([key, value]) => ({ key, value }))).map(
          (r) => ({ key: r.key, sightings: r.value }),
        );
      const sightings = sumShown(sighted);
      const indicators = sumShown(protectPerWeek(me, added, k));
      // Days as YYYY-MM-DD: text order is time order.
      const buckets = [...new Set([...sightings.keys(), ...indicators.keys()])].sort();
      return {
        from: q.from,
        to: q.to,
        series: buckets.map((bucket) => ({
          bucket,
          sightings: sightings.has(bucket) ? (sightings.get(bucket) ?? null) : 0,
          newIndicators: indicators.has(bucket) ? (indicators.get(bucket) ?? null) : 0,
        })),
        topIdentities: top,
        byArea: await spread('cell_area'),
        byRoleCategory: await spread('role_category'),
        byStage: await spread('interview_stage'),
        totalSightings: weeks.length === 0 ? 0 : (sumShown(weeks.map((w) => ({ ...w, key: 'total' }))).get('total') ?? null),
      };
    });
  }

  /** The sightings a query covers, as a WHERE over sighting_fact f (index sighting_fact_cell). */
  private facts(scope: AccessScope, q: StatsQuery, p: SqlParams): string {
    const where = [
      visibleTo('f', scope, p),
      `f.cell_sector = ANY (${p.add(sectorsMatching([q.sector]))}::text[])`,
      `f.first_seen >= ${p.add(q.from.toISOString())}::timestamptz`,
      `f.first_seen < ${p.add(q.to.toISOString())}::timestamptz`,
    ];
    if (q.countries?.length) where.push(`f.cell_area = ANY (${p.add(areasMatching(q.countries))}::text[])`);
    return where.join(' AND ');
  }

  /**
   * The window's sightings per week and `by` (a day, the week itself, a subject, an area, a role or
   * a stage), with who reported them: the weekly figures everything else is summed from.
   */
  private async perWeek(
    m: EntityManager,
    scope: AccessScope,
    q: StatsQuery,
    by: 'day' | 'week' | 'subject_id' | 'cell_area' | 'role_category' | 'interview_stage',
  ): Promise<WeekFigure[]> {
    const p = new SqlParams();
    const where = this.facts(scope, q, p);
    const key =
      by === 'day'
        ? `to_char(f.first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
        : by === 'week'
          ? WEEK_OF('f.first_seen')
          : `coalesce(f.${by}, 'unknown')`;
    const rows: Row[] = await m.query(
      `SELECT ${WEEK_OF('f.first_seen')} AS week, ${key} AS key, count(*) AS n, array_agg(DISTINCT f.publisher_tenant_id::text) AS who
         FROM sighting_fact f WHERE ${where} GROUP BY 1, 2`,
      p.values,
    );
    return weekFigures(rows);
  }

  /**
   * The ten subjects with the most sightings in the weeks where they may be shown. Neither the
   * ranking nor a figure counts members exactly: the distinct members of two windows (or filters)
   * could be subtracted to tell one member apart, as sums of weekly figures cannot.
   */
  private async topIdentities(m: EntityManager, scope: AccessScope, q: StatsQuery, subjects: Array<WeekFigure & { shown: boolean }>) {
    const k = this.config.kAnonymity;
    const me = scope.tenantId;
    const rows = byValue([...sumShown(subjects)].flatMap(([key, value]) => (value === null ? [] : [{ key, value }]))).slice(0, 10);
    // Each subject's name: its newest version the viewer may see (intel's).
    const names = await this.objects.newestVisibleNames(
      m,
      scope,
      rows.map((r) => r.key),
    );
    return rows.map((r) => {
      const weeks = subjects.filter((f) => f.key === r.key);
      // A floor: k once a shown week has k others behind it (never more), plus the viewer if it reported it.
      const others = weeks.some((f) => f.shown && othersThan(me, f.contributors) >= k) ? k : 0;
      const mine = weeks.some((f) => f.contributors.includes(me)) ? 1 : 0;
      return { subjectId: r.key, name: names.get(r.key) ?? null, reportingMembers: others + mine, sightings: r.value };
    });
  }
}
