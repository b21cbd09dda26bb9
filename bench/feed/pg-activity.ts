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
