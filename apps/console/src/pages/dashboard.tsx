import { useEffect, useMemo, useState } from 'react';
import { gql } from '../api/client';
import type { CountByKey, SectorStatsModel, StatsInterval, TenantAccount } from '../api/schema';
import { ChartCard, type Series } from '../components/chart-card';
import { csv, download, ErrorBox, Field, Loading, Options, PageTitle } from '../components/ui';
import { href } from '../router';
import { areaLabel, COUNTRIES, ROLE_CATEGORIES, SECTORS, sectorLabel, STAGES } from '../vocab';

const WINDOWS: Record<string, { label: string; days: number }> = {
  '30d': { label: 'Last 30 days', days: 30 },
  '90d': { label: 'Last 90 days', days: 90 },
  '1y': { label: 'Last 12 months', days: 365 },
};
const DETAIL =
  'totalSightings byArea { key sightings } byStage { key sightings } byRoleCategory { key sightings } topIdentities { subjectId name reportingMembers sightings }';

/** One request for every chosen sector (aliases s0, s1, …); details (spreads, top identities) for the first. */
export function statsQuery(count: number): string {
  const vars = Array.from({ length: count }, (_v, i) => `$s${i}: String!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_v, i) =>
      `s${i}: sectorStats(sector: $s${i}, countries: $countries, from: $from, to: $to, interval: $interval) { series { bucket sightings newIndicators } ${i === 0 ? DETAIL : ''} }`,
  ).join('\n');
  return `query(${vars}, $countries: [String!], $from: DateTime, $to: DateTime, $interval: StatsInterval!) {\n${fields}\n}`;
}

type Stats = Pick<SectorStatsModel, 'series'> & Partial<SectorStatsModel>;

function spread(rows: CountByKey[] | undefined, label: (k: string) => string): { labels: string[]; series: Series[] } {
  const list = rows ?? [];
  return { labels: list.map((r) => label(r.key)), series: [{ label: 'Sightings', values: list.map((r) => r.sightings ?? null) }] };
}

export function DashboardPage() {
  const [sectors, setSectors] = useState<string[]>([]);
  const [country, setCountry] = useState('');
  const [windowKey, setWindowKey] = useState('90d');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [interval, setInterval] = useState<StatsInterval>('WEEK');
  // The figures with the sectors they are for: the picker may already show others while they load.
  const [result, setResult] = useState<{ sectors: string[]; stats: Stats[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  // Start with the viewer's own sectors (the directory has every member's, its own among them).
  useEffect(() => {
    gql<{ myTenant: Pick<TenantAccount, 'sectors'> }>('query { myTenant { sectors } }').then(
      (d) => setSectors(d.myTenant.sectors.length ? d.myTenant.sectors : ['technology']),
      () => setSectors(['technology']),
    );
  }, []);

  const range = useMemo(() => {
    if (windowKey === 'custom')
      return { from: from ? new Date(from).toISOString() : null, to: to ? new Date(to + 'T23:59:59Z').toISOString() : null };
    return { from: new Date(Date.now() - WINDOWS[windowKey].days * 86400_000).toISOString(), to: new Date().toISOString() };
  }, [windowKey, from, to]);

  useEffect(() => {
    if (sectors.length === 0) return;
    let live = true;
    setLoading(true);
    setError(null);
    performance.mark('cairn:dashboard-requested');
    const vars: Record<string, unknown> = { countries: country ? [country] : null, from: range.from, to: range.to, interval };
    sectors.forEach((s, i) => (vars[`s${i}`] = s));
    gql<Record<string, Stats>>(statsQuery(sectors.length), vars)
      .then(
        (d) => {
          if (live) {
            performance.mark('cairn:dashboard-data');
            setResult({ sectors, stats: sectors.map((_s, i) => d[`s${i}`]) });
          }
        },
        (err) => live && setError(err),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [sectors, country, range, interval]);

  const stats = result?.stats ?? null;
  const shownSectors = result?.sectors ?? [];
  // Every bucket any sector has (a sector without figures may answer fewer), in time order.
  const buckets = useMemo(() => [...new Set((stats ?? []).flatMap((s) => s.series.map((b) => b.bucket)))].sort(), [stats]);
  const over = useMemo(() => {
    if (!stats) return null;
    const valueAt = (s: Stats, key: 'sightings' | 'newIndicators') => {
      const byBucket = new Map(s.series.map((b) => [b.bucket, b[key] ?? null]));
      return buckets.map((b) => byBucket.get(b) ?? null);
    };
    return {
      sightings: stats.map((s, i) => ({ label: sectorLabel(shownSectors[i]), values: valueAt(s, 'sightings') })),
      indicators: stats.map((s, i) => ({ label: sectorLabel(shownSectors[i]), values: valueAt(s, 'newIndicators') })),
    };
  }, [stats, buckets, shownSectors]);
  const focus = stats?.[0];
  const area = useMemo(() => spread(focus?.byArea, areaLabel), [focus]);
  const stage = useMemo(() => spread(focus?.byStage, (k) => STAGES[k as keyof typeof STAGES] ?? k), [focus]);
  const role = useMemo(() => spread(focus?.byRoleCategory, (k) => ROLE_CATEGORIES[k as keyof typeof ROLE_CATEGORIES] ?? k), [focus]);
  // Children's effects (each chart drawn) run before this one: the next frame shows every chart (bench/console.bench.ts reads the marks).
  useEffect(() => {
    if (stats) requestAnimationFrame(() => performance.mark('cairn:dashboard-rendered'));
  }, [stats]);

  const exportAll = () => {
    if (!stats) return;
    const rows: Array<Array<string | number | null>> = [['sector', 'bucket', 'sightings', 'new indicators']];
    stats.forEach((s, i) => s.series.forEach((b) => rows.push([shownSectors[i], b.bucket, b.sightings ?? null, b.newIndicators ?? null])));
    download('cairn-sector-stats.csv', csv(rows));
  };

  return (
    <section>
      <PageTitle title="Sector dashboard">Sector dashboard</PageTitle>
      <form className="filters" aria-label="Dashboard settings" onSubmit={(e) => e.preventDefault()}>
        <Field label="Sectors" hint="Hold Ctrl (Cmd on a Mac) to compare several">
          {(id, d) => (
            <select
              id={id}
              aria-describedby={d}
              multiple
              size={5}
              value={sectors}
              onChange={(e) => setSectors([...e.target.selectedOptions].map((o) => o.value))}
            >
              <Options of={SECTORS} label={sectorLabel} />
            </select>
          )}
        </Field>
        <Field label="Country">
          {(id) => (
            <select id={id} value={country} onChange={(e) => setCountry(e.target.value)}>
              <option value="">All countries</option>
              <Options of={COUNTRIES} label={areaLabel} />
            </select>
          )}
        </Field>
        <Field label="Time window">
          {(id) => (
            <select id={id} value={windowKey} onChange={(e) => setWindowKey(e.target.value)}>
              {Object.entries(WINDOWS).map(([k, w]) => (
                <option key={k} value={k}>
                  {w.label}
                </option>
              ))}
              <option value="custom">Custom dates</option>
            </select>
          )}
        </Field>
        {windowKey === 'custom' && (
          <>
            <Field label="From">{(id) => <input id={id} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
            <Field label="To">{(id) => <input id={id} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
          </>
        )}
        <Field label="Per">
          {(id) => (
            <select id={id} value={interval} onChange={(e) => setInterval(e.target.value as StatsInterval)}>
              <option value="WEEK">Week</option>
              <option value="DAY">Day</option>
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="button" onClick={exportAll} disabled={!stats}>
            Download all figures (CSV)
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {loading && !stats && <Loading what="sector figures" />}
      {stats && over && (
        <>
          <p className="summary" data-testid="total-sightings">
            {sectorLabel(shownSectors[0])}: {focus?.totalSightings ?? 'too few members to show a total'}
            {focus?.totalSightings != null
              ? ` sightings in this window${focus.series.some((b) => b.sightings === null) ? ' (weeks too few members stand behind are left out)' : ''}`
              : ''}
          </p>
          <div className="grid">
            <ChartCard
              id="sightings-by-sector"
              title="Sightings over time by sector"
              kind="line"
              labels={buckets}
              series={over.sightings}
              description={`Sightings per ${interval.toLowerCase()} for ${shownSectors.map(sectorLabel).join(', ')}`}
            />
            <ChartCard
              id="new-indicators"
              title="New indicators"
              kind="line"
              labels={buckets}
              series={over.indicators}
              description="New indicators per period by sector"
            />
            <ChartCard
              id="by-country"
              title={`Spread by country · ${sectorLabel(shownSectors[0])}`}
              kind="bar"
              {...area}
              description="Sightings by reported area"
            />
            <ChartCard id="by-stage" title="By interview stage" kind="bar" {...stage} description="Sightings by interview stage" />
            <ChartCard id="by-role" title="By role category" kind="bar" {...role} description="Sightings by role category applied for" />
            <div className="card">
              <h2>Top personas and identities</h2>
              <table>
                <caption className="sr-only">Identities reported by the most members</caption>
                <thead>
                  <tr>
                    <th scope="col">Identity</th>
                    <th scope="col">Members reporting</th>
                    <th scope="col">Sightings</th>
                  </tr>
                </thead>
                <tbody>
                  {(focus?.topIdentities ?? []).map((t) => (
                    <tr key={t.subjectId}>
                      <td>
                        <a href={href('object', t.subjectId)}>{t.name ?? t.subjectId}</a>
                      </td>
                      <td>{t.reportingMembers}</td>
                      <td>{t.sightings}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {(focus?.topIdentities ?? []).length === 0 && <p className="muted">None that enough members reported to be shown.</p>}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
