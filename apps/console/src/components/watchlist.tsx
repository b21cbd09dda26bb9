import { useEffect, useState } from 'react';
import { createClient } from 'graphql-ws';
import { accessToken, gql } from '../api/client';
import type { WatchEntryModel, WatchHitModel, WatchHitPage } from '../api/schema';
import { areaLabel, sectorLabel } from '../vocab';
import { ErrorBox, formatDate } from './ui';

const HIT = 'cursor event hitAt kind reference cell { sector area }';
const LOAD = `query { watchlist(first: 100) { id kind reference expiresAt } watchlistHits(first: 50) { headCursor hits { ${HIT} } } }`;

/** Watch an applicant's identifiers: stored as keyed hashes under your reference, never the values. */
export async function watch(reference: string, values: string[]): Promise<number> {
  const d = await gql<{ watchIdentifiers: Array<{ entryId: string | null }> }>(
    'mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }',
    { e: values.map((value) => ({ value, reference })) },
  );
  return d.watchIdentifiers.filter((r) => r.entryId).length;
}

/** The tenant's watched entries and their hits, new hits arriving live (graphql-ws, resumed from the newest cursor). */
export function WatchlistPanel({ version }: { version: number }) {
  const [entries, setEntries] = useState<WatchEntryModel[]>([]);
  const [hits, setHits] = useState<WatchHitModel[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    let dispose: (() => void) | null = null;
    const client = createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      retryAttempts: Number.POSITIVE_INFINITY,
      connectionParams: async () => ({ authorization: `Bearer ${await accessToken()}` }),
    });
    gql<{ watchlist: WatchEntryModel[]; watchlistHits: WatchHitPage }>(LOAD).then(
      (d) => {
        if (!live) return;
        setEntries(d.watchlist);
        setHits(d.watchlistHits.hits);
        // The page's head cursor (its newest hit, or the start) is where the live stream resumes: a hit
        // recorded between this read and the subscription still arrives, once.
        dispose = client.subscribe<{ watchlistHits: WatchHitModel }>(
          {
            query: `subscription($after: String) { watchlistHits(after: $after) { ${HIT} } }`,
            variables: { after: d.watchlistHits.headCursor },
          },
          {
            next: (m) => {
              const hit = m.data?.watchlistHits;
              if (hit) setHits((list) => (list.some((h) => h.cursor === hit.cursor) ? list : [hit, ...list]));
            },
            error: (e) => live && setError(e instanceof Error ? e : new Error('The live watchlist stopped.')),
            complete: () => undefined,
          },
        );
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
      dispose?.();
      void client.dispose();
    };
  }, [version]);

  return (
    <section className="card" aria-labelledby="watch-h" data-testid="watchlist">
      <h2 id="watch-h">Watchlist</h2>
      <p className="muted">You are told when another member later publishes or sights a watched identifier — never who.</p>
      <h3>Hits</h3>
      <ul aria-live="polite" data-testid="watch-hits">
        {hits.map((h) => (
          <li key={h.cursor}>
            <strong>{h.reference}</strong>: {h.kind.toLowerCase()} {h.event === 'SIGHTED' ? 'sighted' : 'published'} by{' '}
            {h.cell ? `${sectorLabel(h.cell.sector)} members in ${areaLabel(h.cell.area)}` : 'a member'} · {formatDate(h.hitAt)}
          </li>
        ))}
      </ul>
      {hits.length === 0 && <p className="muted">No hits yet.</p>}
      <h3>Watched ({entries.length})</h3>
      <ul>
        {entries.map((e) => (
          <li key={e.id}>
            {e.reference} · {e.kind.toLowerCase()} · until {formatDate(e.expiresAt)}
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
    </section>
  );
}
