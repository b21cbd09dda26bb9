import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlParams, visibleTo, type AccessScope } from '@cairn/access';
import { CAIRN_CONFIG, type CairnConfig, type Viewer } from '@cairn/common';
import { StoredObjectsService } from '@cairn/intel';
import { TenancyService, mayShow, mayShowSql, protectBreakdown, type Figure } from '@cairn/tenancy';
import { areasMatching, sectorsMatching } from './sighting-facts';

export interface StatsQuery {
  sector: string;
  countries?: string[];
  from: Date;
  to: Date;
  interval: 'day' | 'week';
}

/** Every figure is null where fewer than k members other than the viewer stand behind it (small-counts.ts). */
export interface SectorStats {
  series: Array<{ bucket: string; sightings: number | null; newIndicators: number | null }>;
  topIdentities: Array<{ subjectId: string; name: string | null; reportingMembers: number; sightings: number }>;
  byArea: Array<{ key: string; sightings: number | null }>;
  byRoleCategory: Array<{ key: string; sightings: number | null }>;
  byStage: Array<{ key: string; sightings: number | null }>;
  totalSightings: number | null;
}

type Row = { key: string; n: string; who: string[] };
const figures = (rows: Row[]): Array<Figure<string>> => rows.map((r) => ({ key: r.key, value: Number(r.n), contributors: r.who }));

/** What a CISO puts on a slide, computed only from what the viewer may see (predicate + RLS). */
@Injectable()
export class StatsService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly objects: StoredObjectsService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  async sectorStats(viewer: Viewer, q: StatsQuery): Promise<SectorStats> {
    const k = this.config.kAnonymity;
    const me = viewer.tenantId;
    return this.tenancy.asViewerReading('sightings.stats', me, async (m, scope) => {
      // One after another: they share the transaction's one connection, which runs one query at a
      // time anyway (pg deprecates queueing them with Promise.all).
      const series = await this.series(m, scope, q);
      const top = await this.topIdentities(m, scope, q);
      const byArea = await this.breakdown(m, scope, q, 'cell_area');
      const byRole = await this.breakdown(m, scope, q, 'role_category');
      const byStage = await this.breakdown(m, scope, q, 'interview_stage');
      const sightings = protectBreakdown(
        me,
        series.map((b) => ({ key: b.bucket, value: b.sightings, contributors: b.sighters })),
        k,
      );
      const indicators = protectBreakdown(
        me,
        series.map((b) => ({ key: b.bucket, value: b.indicators, contributors: b.publishers })),
        k,
      );
      const everyone = series.flatMap((b) => b.sighters);
      const shown = (rows: Row[]) => protectBreakdown(me, figures(rows), k).map((f) => ({ key: f.key, sightings: f.value }));
      return {
        series: series.map((b, i) => ({ bucket: b.bucket, sightings: sightings[i].value, newIndicators: indicators[i].value })),
        // A subject is only listed when enough members stand behind it that neither figure singles one out.
        topIdentities: top,
        byArea: shown(byArea),
        byRoleCategory: shown(byRole),
        byStage: shown(byStage),
        totalSightings: mayShow(me, everyone, k) ? series.reduce((n, b) => n + b.sightings, 0) : null,
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

  /** Sightings (here) and new indicators (intel's) per bucket, every bucket that has either, in bucket order. */
  private async series(m: EntityManager, scope: AccessScope, q: StatsQuery) {
    const p = new SqlParams();
    const unit = p.add(q.interval);
    const sightingWhere = this.facts(scope, q, p);
    const sighted: Array<{ bucket: string; n: string; who: string[] }> = await m.query(
      `SELECT to_char(date_trunc(${unit}, f.first_seen AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS bucket, count(*) AS n, array_agg(DISTINCT f.publisher_tenant_id::text) AS who
         FROM sighting_fact f WHERE ${sightingWhere} GROUP BY 1`,
      p.values,
    );
    const added = await this.objects.indicatorsAddedPerBucket(m, scope, q);
    const buckets = new Map<string, { bucket: string; sightings: number; indicators: number; sighters: string[]; publishers: string[] }>();
    const bucket = (key: string) =>
      buckets.get(key) ?? buckets.set(key, { bucket: key, sightings: 0, indicators: 0, sighters: [], publishers: [] }).get(key)!;
    for (const r of sighted) Object.assign(bucket(r.bucket), { sightings: Number(r.n), sighters: r.who });
    for (const r of added) Object.assign(bucket(r.bucket), { indicators: r.n, publishers: r.who });
    // Days as YYYY-MM-DD: text order is time order.
    return [...buckets.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  }

  /** The ten subjects most members reported, among those enough members other than the viewer stand behind (mayShow). */
  private async topIdentities(m: EntityManager, scope: AccessScope, q: StatsQuery) {
    const p = new SqlParams();
    const where = this.facts(scope, q, p);
    const others = `count(DISTINCT f.publisher_tenant_id) FILTER (WHERE f.publisher_tenant_id <> ${p.add(scope.tenantId)}::uuid)`;
    const rows: Array<{ subjectId: string; members: string; sightings: string }> = await m.query(
      `SELECT f.subject_id AS "subjectId", count(DISTINCT f.publisher_tenant_id) AS members, count(*) AS sightings
         FROM sighting_fact f WHERE ${where}
        GROUP BY f.subject_id
       HAVING ${mayShowSql(others, `${p.add(this.config.kAnonymity)}::int`)}
        ORDER BY members DESC, sightings DESC, f.subject_id
        LIMIT 10`,
      p.values,
    );
    // Each subject's name: its newest version the viewer may see (intel's).
    const names = await this.objects.newestVisibleNames(
      m,
      scope,
      rows.map((r) => r.subjectId),
    );
    return rows.map((r) => ({
      subjectId: r.subjectId,
      name: names.get(r.subjectId) ?? null,
      reportingMembers: Number(r.members),
      sightings: Number(r.sightings),
    }));
  }

  private async breakdown(m: EntityManager, scope: AccessScope, q: StatsQuery, column: 'cell_area' | 'role_category' | 'interview_stage') {
    const p = new SqlParams();
    const where = this.facts(scope, q, p);
    return m.query(
      `SELECT coalesce(f.${column}, 'unknown') AS key, count(*) AS n, array_agg(DISTINCT f.publisher_tenant_id::text) AS who
         FROM sighting_fact f WHERE ${where} GROUP BY 1 ORDER BY 2 DESC, 1`,
      p.values,
    ) as Promise<Row[]>;
  }
}
