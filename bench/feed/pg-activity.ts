import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { fmt, median, ms1 } from '../bench';

/**
 * Samples pg_stat_activity of the bench database every `everyMs` (a poor man's profiler for
 * PostgreSQL): what its client backends are doing — running, waiting on a lock, idle in a
 * transaction (waiting for the app) — and in which statement.
 */
export class PgActivitySampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private backendSamples = 0;
  private blockerSamples = 0;
  private readonly blockers = new Map<string, { n: number; ms: number[] }>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  private client?: Client;

  constructor(private readonly databaseUrl: string) {}

  async start(everyMs = 50): Promise<void> {
    this.client = new Client({ connectionString: this.databaseUrl, application_name: 'bench-sampler' });
    await this.client.connect();
    const db = new URL(this.databaseUrl).pathname.slice(1);
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.client!.query(
        `SELECT state, coalesce(wait_event_type, '') AS wt, coalesce(wait_event, '') AS we, left(btrim(regexp_replace(query, '[[:space:]]+', ' ', 'g')), 70) AS q
           FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'
             AND application_name <> 'cairn-feed-listener'`,
        [db],
      )
        .then(async ({ rows }) => {
          // Every 10th sample: who blocks the others (pg_blocking_pids), and what it is doing.
          if (this.samples % 10 === 0) {
            const blockers = await this.client!.query(
              `WITH b AS (SELECT DISTINCT unnest(pg_blocking_pids(pid)) AS pid FROM pg_stat_activity WHERE datname = $1)
               SELECT a.state, coalesce(a.wait_event_type, '') AS wt, coalesce(a.wait_event, '') AS we,
                      left(btrim(regexp_replace(a.query, '[[:space:]]+', ' ', 'g')), 60) AS q,
                      extract(epoch FROM clock_timestamp() - a.state_change) * 1000 AS ms
                 FROM b JOIN pg_stat_activity a USING (pid)`,
              [db],
            );
            for (const r of blockers.rows as Array<{ state: string; wt: string; we: string; q: string; ms: number }>) {
              this.blockerSamples++;
              const what = r.state === 'active' ? (r.wt ? `waiting ${r.wt}:${r.we}` : 'running') : r.state;
              const key = `${what.padEnd(28)} ${r.q}`;
              const e = this.blockers.get(key) ?? { n: 0, ms: [] as number[] };
              e.n++;
              e.ms.push(Number(r.ms));
              this.blockers.set(key, e);
            }
          }
          this.samples++;
          for (const r of rows as Array<{ state: string; wt: string; we: string; q: string }>) {
            this.backendSamples++;
            const what = r.state === 'active' ? (r.wt ? `waiting ${r.wt}:${r.we}` : 'running') : r.state;
            const key = `${what.padEnd(28)} ${r.q}`;
            this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
          }
        })
        .catch(() => undefined)
        .finally(() => (this.busy = false));
    }, everyMs);
  }

  async stop(): Promise<string> {
    clearInterval(this.timer);
    await this.client?.end();
    const top = [...this.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    return (
      `    PostgreSQL, sampled from pg_stat_activity (${fmt(this.samples)} samples): ${(this.backendSamples / Math.max(1, this.samples)).toFixed(1)} non-idle client backends on average; top (state, statement):\n` +
      top.map(([k, n]) => `      ${((100 * n) / Math.max(1, this.backendSamples)).toFixed(1).padStart(5)} %  ${k}`).join('\n') +
      (this.blockers.size
        ? `\n    backends blocking others (lock holders), ${fmt(this.blockerSamples)} observations; state, its last statement, median time in that state:\n` +
          [...this.blockers.entries()]
            .sort((a, b) => b[1].n - a[1].n)
            .slice(0, 6)
            .map(([k, e]) => `      ${((100 * e.n) / this.blockerSamples).toFixed(1).padStart(5)} %  ${k}  (${ms1(median(e.ms))} ms)`)
            .join('\n')
        : '')
    );
  }
}

/**
 * PostgreSQL's own time per statement over a phase, from pg_stat_statements (the server must
 * preload it; `track=all` counts statements run inside functions too, so nested time is counted
 * twice: once in the function's caller). Top statements by total time, per sighting.
 */
export class StatementStats {
  private readonly file = join(tmpdir(), 'cairn-feed-statements.sql');
  private constructor(private readonly client: Client) {}

  static async start(databaseUrl: string): Promise<StatementStats> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'bench-statements' });
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
    return new StatementStats(client);
  }

  async stop(sightings: number, top = 20): Promise<string> {
    const { rows: all } = await this.client.query<{ calls: string; ms: number; plan: number; top: boolean; q: string }>(
      `SELECT s.calls::text AS calls, s.total_exec_time AS ms, s.total_plan_time AS plan, s.toplevel AS top, s.query AS q
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = current_database() ORDER BY s.total_exec_time + s.total_plan_time DESC`,
    );
    writeFileSync(
      this.file,
      all.map((r) => `-- ${r.calls} calls, ${r.ms.toFixed(1)} ms executing, ${r.plan.toFixed(1)} ms planning\n${r.q};\n`).join('\n'),
    );
    const ours = all.filter((r) => !r.q.includes('pg_stat_'));
    const total = ours.filter((r) => r.top).reduce((t, r) => ({ ms: t.ms + r.ms, plan: t.plan + r.plan }), { ms: 0, plan: 0 });
    const rows = ours.slice(0, top).map((r) => ({ ...r, q: r.q.replace(/\s+/g, ' ').trim().slice(0, 90) }));
    await this.client.end();
    const per = (ms: number) => (ms / Math.max(1, sightings)).toFixed(3);
    return (
      `  PostgreSQL statements during the measured phase (pg_stat_statements; top level: executing ${per(total.ms)} + planning ${per(total.plan)} ms per sighting; nested ones marked ›; all of them in ${this.file}):\n` +
      rows
        .map(
          (r) =>
            `    ${per(r.ms).padStart(7)} + ${per(r.plan).padStart(6)} plan ms/sighting ${fmt(Number(r.calls)).padStart(8)} calls ${r.top ? ' ' : '›'} ${r.q}`,
        )
        .join('\n')
    );
  }
}
