import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlParams, visibleTo, type AccessScope } from '@cairn/access';
import { CAIRN_CONFIG, type CairnConfig, type Viewer } from '@cairn/common';
import { audienceSectorsMatch } from '@cairn/intel';
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
      const sightings = protectBreakdown(me, series.map((b) => ({ key: b.bucket, value: b.sightings, contributors: b.sighters })), k);
      const indicators = protectBreakdown(me, series.map((b) => ({ key: b.bucket, value: b.indicators, contributors: b.publishers })), k);
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

  private async series(m: EntityManager, scope: AccessScope, q: StatsQuery) {
    const p = new SqlParams();
    const unit = p.add(q.interval);
    const sightingWhere = this.facts(scope, q, p);
    const indicatorVisible = visibleTo('o', scope, p);
    const from = p.add(q.from.toISOString());
    const to = p.add(q.to.toISOString());
    const rows: Array<{ bucket: string; sightings: string; indicators: string; sighters: string[]; publishers: string[] }> = await m.query(
      `WITH s AS (
         SELECT date_trunc(${unit}, f.first_seen AT TIME ZONE 'UTC') AS bucket, count(*) AS n, array_agg(DISTINCT f.publisher_tenant_id::text) AS who
           FROM sighting_fact f WHERE ${sightingWhere} GROUP BY 1
       ), i AS (
         SELECT date_trunc(${unit}, o.date_added AT TIME ZONE 'UTC') AS bucket, count(*) AS n, array_agg(DISTINCT o.publisher_tenant_id::text) AS who
           FROM stix_object o
          WHERE o.type = 'indicator' AND ${indicatorVisible}
            AND (o.distribution <> 'SECTOR' OR ${audienceSectorsMatch('o', scope, [q.sector], p)})
            AND o.date_added >= ${from}::timestamptz AND o.date_added < ${to}::timestamptz
          GROUP BY 1
       )
       SELECT to_char(coalesce(s.bucket, i.bucket), 'YYYY-MM-DD') AS bucket, coalesce(s.n, 0) AS sightings, coalesce(i.n, 0) AS indicators,
              coalesce(s.who, '{}') AS sighters, coalesce(i.who, '{}') AS publishers
         FROM s FULL JOIN i ON s.bucket = i.bucket
        ORDER BY 1`,
      p.values,
    );
    return rows.map((r) => ({ bucket: r.bucket, sightings: Number(r.sightings), indicators: Number(r.indicators), sighters: r.sighters, publishers: r.publishers }));
  }

  /** The ten subjects most members reported, among those enough members other than the viewer stand behind (mayShow). */
  private async topIdentities(m: EntityManager, scope: AccessScope, q: StatsQuery) {
    const p = new SqlParams();
    const where = this.facts(scope, q, p);
    const subjectVisible = visibleTo('o', scope, p);
    const others = `count(DISTINCT f.publisher_tenant_id) FILTER (WHERE f.publisher_tenant_id <> ${p.add(scope.tenantId)}::uuid)`;
    const rows: Array<{ subjectId: string; name: string | null; members: string; sightings: string }> = await m.query(
      `SELECT f.subject_id AS "subjectId", count(DISTINCT f.publisher_tenant_id) AS members, count(*) AS sightings,
              (SELECT o.doc->>'name' FROM stix_object o WHERE o.id = f.subject_id AND ${subjectVisible} ORDER BY o.modified DESC LIMIT 1) AS name
         FROM sighting_fact f WHERE ${where}
        GROUP BY f.subject_id
       HAVING ${mayShowSql(others, `${p.add(this.config.kAnonymity)}::int`)}
        ORDER BY members DESC, sightings DESC, f.subject_id
        LIMIT 10`,
      p.values,
    );
    return rows.map((r) => ({ subjectId: r.subjectId, name: r.name, reportingMembers: Number(r.members), sightings: Number(r.sightings) }));
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
