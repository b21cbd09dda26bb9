import { useEffect, useMemo, useRef, useState } from 'react';
import { gql } from '../api/client';
import { FEED_ITEM_FIELDS, LiveFeed, seenKey, type LiveItem, type LiveStatus } from '../api/live';
import type { FeedConnection, FeedFilterInput, FeedItemType, InterviewStage, RoleCategory } from '../api/schema';
import type { Session } from '../api/session';
import { ErrorBox, Field, formatDate, Options, PageTitle, TlpBadge } from '../components/ui';
import { href } from '../router';
import { areaLabel, COUNTRIES, ROLE_CATEGORIES, SECTORS, sectorLabel, STAGES } from '../vocab';

const FEED = `query($filter: FeedFilterInput) { feed(first: 50, filter: $filter) { edges { node { ${FEED_ITEM_FIELDS} } } } }`;

interface Filters {
  sector: string;
  country: string;
  type: '' | FeedItemType;
  actor: string;
  minConfidence: string;
  stage: '' | InterviewStage;
  role: '' | RoleCategory;
}
const NO_FILTERS: Filters = { sector: '', country: '', type: '', actor: '', minConfidence: '', stage: '', role: '' };

function toApiFilter(f: Filters): FeedFilterInput {
  return {
    ...(f.sector ? { sectors: [f.sector] } : {}),
    ...(f.country ? { countries: [f.country] } : {}),
    ...(f.type ? { types: [f.type] } : {}),
    ...(f.actor.trim() ? { actor: f.actor.trim() } : {}),
    ...(f.minConfidence ? { minConfidence: Number(f.minConfidence) } : {}),
  };
}

// Interview stage and role category are facts of a sighting the feed does not filter on: the page does.
function matchesContext(item: LiveItem, f: Filters): boolean {
  if (!f.stage && !f.role) return true;
  if (!item.sighting) return false;
  return (!f.stage || item.sighting.interviewStage === f.stage) && (!f.role || item.sighting.roleCategory === f.role);
}

const lastVisitKey = (s: Session) => `cairn:feed-last-visit:${s.user.id}`;

function title(item: LiveItem): string {
  const o = item.object as Record<string, unknown>;
  if (item.type === 'SIGHTING') return `Sighting of ${String(o.sighting_of_ref ?? '').split('--')[0] || 'an object'}`;
  return String(o.name ?? o.pattern ?? item.id);
}

export function FeedPage({ session }: { session: Session }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<LiveItem[]>([]);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [error, setError] = useState<unknown>(null);
  const [arrived, setArrived] = useState(0);
  // What "new since your last visit" compares with: read once, when the page opens.
  const lastVisit = useRef<string | null>(localStorage.getItem(lastVisitKey(session)));

  useEffect(() => {
    let feed: LiveFeed | null = null;
    let cancelled = false;
    const apiFilter = toApiFilter(filters);
    setItems([]);
    setError(null);
    gql<{ feed: FeedConnection }>(FEED, { filter: apiFilter }).then(
      (data) => {
        if (cancelled) return;
        const first = data.feed.edges.map((e) => e.node as LiveItem);
        setItems(first);
        feed = new LiveFeed(
          apiFilter,
          first[0]?.cursor ?? null,
          (item) => {
            setItems((list) => [item, ...list]);
            setArrived((n) => n + 1);
          },
          setStatus,
          first.map(seenKey),
        );
        feed.start();
      },
      (err) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
      feed?.stop();
    };
  }, [filters]);

  // Remember the newest item seen, for the next visit.
  useEffect(() => {
    const newest = items.reduce<string | null>((m, i) => (m === null || i.dateAdded > m ? i.dateAdded : m), null);
    if (newest && (!lastVisit.current || newest > (localStorage.getItem(lastVisitKey(session)) ?? '')))
      localStorage.setItem(lastVisitKey(session), newest);
  }, [items, session]);

  const shown = useMemo(() => items.filter((i) => matchesContext(i, filters)), [items, filters]);
  const isNew = (i: LiveItem) => lastVisit.current !== null && i.dateAdded > lastVisit.current;
  const newCount = shown.filter(isNew).length;
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });

  return (
    <section aria-labelledby="feed-title">
      <PageTitle title="Live feed">
        <span id="feed-title">Live feed</span>
      </PageTitle>
      <p className="status-line">
        <span className={`dot dot-${status}`} aria-hidden="true" />
        <span role="status" data-testid="live-status">
          {status === 'live'
            ? 'Live: new sightings and indicators appear as they are shared'
            : status === 'reconnecting'
              ? 'Reconnecting… nothing will be missed'
              : status === 'stopped'
                ? 'Stopped'
                : 'Connecting…'}
        </span>
      </p>
      <form
        className="filters"
        aria-label="Feed filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <Field label="Sector">
          {(id) => (
            <select id={id} value={draft.sector} onChange={set('sector')}>
              <option value="">My sectors</option>
              <Options of={SECTORS} label={sectorLabel} />
            </select>
          )}
        </Field>
        <Field label="Country">
          {(id) => (
            <select id={id} value={draft.country} onChange={set('country')}>
              <option value="">Any</option>
              <Options of={COUNTRIES} label={areaLabel} />
            </select>
          )}
        </Field>
        <Field label="Type">
          {(id) => (
            <select id={id} value={draft.type} onChange={set('type')}>
              <option value="">Sightings and indicators</option>
              <option value="SIGHTING">Sightings</option>
              <option value="INDICATOR">Indicators</option>
            </select>
          )}
        </Field>
        <Field label="Interview stage">
          {(id) => (
            <select id={id} value={draft.stage} onChange={set('stage')}>
              <option value="">Any stage</option>
              <Options of={STAGES} />
            </select>
          )}
        </Field>
        <Field label="Role category">
          {(id) => (
            <select id={id} value={draft.role} onChange={set('role')}>
              <option value="">Any role</option>
              <Options of={ROLE_CATEGORIES} />
            </select>
          )}
        </Field>
        <Field label="Threat actor" hint="Name, alias or STIX id">
          {(id, d) => <input id={id} aria-describedby={d} value={draft.actor} onChange={set('actor')} />}
        </Field>
        <Field label="Minimum confidence">
          {(id) => <input id={id} type="number" min={0} max={100} value={draft.minConfidence} onChange={set('minConfidence')} />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      <p aria-live="polite" className="summary" data-testid="new-since">
        {lastVisit.current
          ? `${newCount} new since your last visit (${formatDate(lastVisit.current)})`
          : 'First visit: everything below is new to you'}
        {arrived > 0 ? ` · ${arrived} arrived while you watched` : ''}
      </p>
      <ol className="feed" aria-label="Feed items, newest first" data-testid="feed-list">
        {shown.map((item) => (
          <li key={seenKey(item)} className={isNew(item) ? 'new' : undefined} data-id={item.id}>
            <div className="feed-head">
              <span className={`kind kind-${item.type.toLowerCase()}`}>{item.type === 'SIGHTING' ? 'Sighting' : 'Indicator'}</span>
              {isNew(item) && <span className="badge">New</span>}
              {item.mine && <span className="badge mine">Yours</span>}
              <TlpBadge tlp={item.tlp} />
              <time dateTime={item.dateAdded}>{formatDate(item.dateAdded)}</time>
            </div>
            <a href={href('object', item.id)}>{title(item)}</a>
            {item.sighting && (
              <p className="context">
                {sectorLabel(item.sighting.sector)} members in {areaLabel(item.sighting.area)}
                {item.sighting.interviewStage && ` · ${STAGES[item.sighting.interviewStage]}`}
                {item.sighting.roleCategory && ` · ${ROLE_CATEGORIES[item.sighting.roleCategory]}`}
              </p>
            )}
          </li>
        ))}
      </ol>
      {shown.length === 0 && !error && <p className="muted">Nothing yet for these filters. New items appear here as members share them.</p>}
    </section>
  );
}
