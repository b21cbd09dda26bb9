import { Client } from 'pg';
import { audienceKeys, setViewer, type AccessScope } from '@cairn/access';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { generateObjects } from '../factories/bulk-objects.factory';
import { newTenant } from '../factories/tenancy.factory';
import type { ServiceContext } from './service-context';

/**
 * The plan tests' table: `rows` generated objects by four publishers (healthcare; DE, FR, US, GB),
 * and a reader (FR, insurance) who may see most of them. As after a bulk load: the table analysed,
 * its audience index not yet (the planner guesses its ranges). `app` is the run-time login.
 */
export async function bulkPageTable(ctx: ServiceContext, rows: number) {
  const owner = await ctx.owner();
  const app = new Client({ connectionString: ctx.appDatabaseUrl });
  await app.connect();
  const publishers = await Promise.all(['DE', 'FR', 'US', 'GB'].map((country) => newTenant(ctx.app, { country, sectors: ['healthcare'] })));
  const reader: TenantEntity = await newTenant(ctx.app, { country: 'FR', sectors: ['insurance'] });
  await generateObjects(
    owner,
    0,
    rows,
    publishers.map((t) => t.id),
    reader.id,
  );
  await owner.query('ANALYZE stix_object');
  const readerScope: AccessScope = await ctx.app.get(TenancyService).accessScope(reader.id);
  return { owner, app, publishers, reader, readerScope };
}

/**
 * The plan-shape check of the hot paged reads (issue 18), shared by the libs whose pages walk the
 * audience index: on a table large enough that reading everything visible and sorting it is what
 * the planner used to choose, a page is an index range read per audience key — no sequential
 * scan, no bitmap scan, and at most keys × (limit + 1) × 2 index entries read. Asserted on EXPLAIN
 * (ANALYZE, FORMAT JSON) as the run-time login under row-level security, after `planSql` (what the
 * page's transaction runs first): row counts, not time. With `prepared`, the statement runs as a
 * prepared statement (its plan as `planSql` leaves the plan cache: generic, for a delivery pass).
 */
export function indexPagePlans(app: () => Client, defaultPlanSql: string) {
  interface PlanNode {
    'Node Type': string;
    'Relation Name'?: string;
    'Index Name'?: string;
    'Actual Rows': number;
    'Actual Loops': number;
    'Rows Removed by Filter'?: number;
    Plans?: PlanNode[];
  }
  const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
  /** A parameter value as an SQL literal of unknown type (EXECUTE's arguments take no placeholders). */
  const literal = (v: unknown): string =>
    v === null || v === undefined
      ? 'NULL'
      : `'${(Array.isArray(v) ? `{${v.map((e) => JSON.stringify(String(e))).join(',')}}` : String(v)).replace(/'/g, "''")}'`;

  /** The plan of `sql` as run for the viewer (nodes, and as text for the failure message), and the statement's rows. */
  async function explain(scope: AccessScope, sql: string, values: unknown[], planSql: string, prepared: boolean) {
    const db = app();
    await db.query('BEGIN');
    try {
      await setViewer(db, scope);
      await db.query(planSql);
      if (prepared) await db.query(`PREPARE page_read AS ${sql}`);
      const run = prepared ? `EXECUTE page_read(${values.map(literal).join(', ')})` : sql;
      const args = prepared ? [] : values;
      const { rows } = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${run}`, args);
      const plan = rows[0]['QUERY PLAN'][0].Plan as PlanNode;
      const text = (await db.query(`EXPLAIN ${run}`, args)).rows.map((r) => r['QUERY PLAN']).join('\n');
      return { all: nodes(plan), rows: plan['Actual Rows'], text };
    } finally {
      await db.query('ROLLBACK');
      if (prepared) await db.query('DEALLOCATE page_read'); // a prepared statement outlives its transaction
    }
  }

  /** The shape every page must have; returns the rows the page got. */
  async function expectIndexPage(
    scope: AccessScope,
    sql: string,
    values: unknown[],
    limit: number,
    opts: { planSql?: string; prepared?: boolean } = {},
  ): Promise<number> {
    const { all, rows, text } = await explain(scope, sql, values, opts.planSql ?? defaultPlanSql, opts.prepared ?? false);
    const onTables = all.filter((n) => n['Relation Name'] === 'stix_object' || n['Relation Name'] === 'stix_object_audience');
    const scans = onTables.filter((n) => !/Index/.test(n['Node Type'])).map((n) => `${n['Node Type']} on ${n['Relation Name']}`);
    expect({ scans, plan: scans.length ? text : '' }).toEqual({ scans: [], plan: '' });
    const walked = all.filter((n) => n['Relation Name'] === 'stix_object_audience');
    expect(walked.length).toBeGreaterThan(0);
    const entries = walked.reduce((sum, n) => sum + n['Actual Rows'] * n['Actual Loops'], 0);
    const bound = audienceKeys(scope).length * (limit + 1) * 2;
    expect(entries).toBeLessThanOrEqual(bound);
    // Each entry costs a few probes of one row or one id's rows: none reads a range of the table.
    const visits = (n: PlanNode) => (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops'];
    const heavy = onTables
      .filter((n) => visits(n) > bound)
      .map((n) => `${n['Node Type']} using ${n['Index Name']}: ${visits(n)} row visits`);
    expect({ heavy, plan: heavy.length ? text : '' }).toEqual({ heavy: [], plan: '' });
    return rows;
  }

  return { expectIndexPage };
}
