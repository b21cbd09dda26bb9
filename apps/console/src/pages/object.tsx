import { useMemo, useState } from 'react';
import { gql } from '../api/client';
import type { StixObject, StixObjectConnection } from '../api/schema';
import { ChartCard } from '../components/chart-card';
import { RelationGraph, type Edge } from '../components/graph';
import { ErrorBox, formatDate, JsonView, Loading, PageTitle, TlpBadge, useLoad } from '../components/ui';
import { href } from '../router';
import { nameOf } from './explore';

const NODE = 'id type modified dateAdded tlp mine revoked object';
const ONE = `query($id: String!, $v: String) { object(id: $id, version: $v) { ${NODE} } }`;
const LIST = `query($f: ObjectFilterInput) { objects(filter: $f, first: 1000) { edges { node { ${NODE} } } } }`;
const REVOKE = `mutation($id: String!) { revoke(id: $id) { ${NODE} } }`;

type Doc = Record<string, unknown>;
const list = async (f: Record<string, unknown>) =>
  (await gql<{ objects: StixObjectConnection }>(LIST, { f })).objects.edges.map((e) => e.node);

/** Monday of the ISO week (UTC) a timestamp falls in, YYYY-MM-DD. */
function weekOf(iso: string): string {
  const d = new Date(iso);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

async function loadRelated(id: string) {
  // What refers to this object, among what the viewer may see (relationships and sightings are few per object).
  const [versions, relationships, sightings] = await Promise.all([
    list({ ids: [id] }),
    list({ types: ['relationship'], revoked: false }),
    list({ types: ['sighting'], revoked: false }),
  ]);
  const rels = relationships.map((r) => r.object as Doc).filter((d) => d.source_ref === id || d.target_ref === id);
  const others = [...new Set(rels.map((d) => String(d.source_ref === id ? d.target_ref : d.source_ref)))];
  const named = others.length ? await list({ ids: others }) : [];
  const nameById = new Map(named.map((n) => [n.id, nameOf(n)]));
  const edges: Edge[] = rels.map((d) => {
    const outgoing = d.source_ref === id;
    const other = String(outgoing ? d.target_ref : d.source_ref);
    return { id: String(d.id), type: String(d.relationship_type), other, otherName: nameById.get(other) ?? other.split('--')[0], outgoing };
  });
  const mySightings = sightings.map((s) => s.object as Doc).filter((d) => d.sighting_of_ref === id);
  return { versions, edges, sightings: mySightings };
}

export function ObjectPage({ id }: { id: string }) {
  const [version, setVersion] = useState<string | undefined>(undefined);
  const [revoked, setRevoked] = useState<StixObject | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const current = useLoad(() => gql<{ object: StixObject }>(ONE, { id, v: version ?? null }).then((d) => d.object), [id, version, revoked]);
  const related = useLoad(() => loadRelated(id), [id, revoked]);

  const weekly = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of related.data?.sightings ?? []) {
      const w = weekOf(String(s.first_seen ?? s.created));
      counts.set(w, (counts.get(w) ?? 0) + (typeof s.count === 'number' ? s.count : 1));
    }
    const labels = [...counts.keys()].sort();
    return { labels, series: [{ label: 'Sightings', values: labels.map((l) => counts.get(l) ?? 0) }] };
  }, [related.data]);

  async function revoke() {
    setActionError(null);
    try {
      const d = await gql<{ revoke: StixObject }>(REVOKE, { id });
      setRevoked(d.revoke);
      setVersion(undefined);
      setConfirming(false);
    } catch (err) {
      setActionError(err);
    }
  }

  const o = current.data;
  const doc = o?.object as Doc | undefined;
  const versionable = doc && doc.created !== undefined;
  return (
    <section>
      <PageTitle title={o ? nameOf(o) : 'Object'}>{o ? nameOf(o) : 'Object'}</PageTitle>
      <p>
        <a href={href('explore')}>Back to Explore</a>
      </p>
      <ErrorBox error={current.error} />
      {current.loading && !o && <Loading what="the object" />}
      {o && (
        <div className="grid">
          <div className="card">
            <h2>Summary</h2>
            <dl className="facts">
              <dt>Type</dt>
              <dd>{o.type}</dd>
              <dt>STIX id</dt>
              <dd>
                <code>{o.id}</code>
              </dd>
              <dt>Marking</dt>
              <dd>
                <TlpBadge tlp={o.tlp} />
              </dd>
              <dt>Version</dt>
              <dd>{formatDate(o.modified)}</dd>
              <dt>Added to the exchange</dt>
              <dd>{formatDate(o.dateAdded)}</dd>
              <dt>Status</dt>
              <dd data-testid="revoked-state">{o.revoked ? 'Revoked' : 'Current'}</dd>
              <dt>Publisher</dt>
              <dd>{o.mine ? 'Your organisation' : 'A member (never named)'}</dd>
            </dl>
            {o.mine &&
              versionable &&
              !o.revoked &&
              (confirming ? (
                <div role="group" aria-label="Confirm revoking">
                  <p>Revoking publishes a new version marked revoked; members and SIEMs stop using it.</p>
                  <button type="button" className="danger" onClick={() => void revoke()}>
                    Yes, revoke it
                  </button>
                  <button type="button" onClick={() => setConfirming(false)}>
                    Cancel
                  </button>
                </div>
              ) : (
                <button type="button" className="danger" onClick={() => setConfirming(true)}>
                  Revoke…
                </button>
              ))}
            <ErrorBox error={actionError} />
          </div>
          <div className="card">
            <h2>Versions</h2>
            <ol className="versions">
              {(related.data?.versions ?? []).map((v) => (
                <li key={v.modified}>
                  <button
                    type="button"
                    className="link"
                    aria-current={v.modified === o.modified ? 'true' : undefined}
                    onClick={() => setVersion(v.modified)}
                  >
                    {formatDate(v.modified)}
                    {v.revoked ? ' (revoked)' : ''}
                  </button>
                </li>
              ))}
            </ol>
          </div>
          <div className="card">
            <h2>Relationships</h2>
            {(related.data?.edges.length ?? 0) > 0 ? (
              <RelationGraph center={o.id} edges={related.data!.edges} />
            ) : (
              <p className="muted">No relationships you may see.</p>
            )}
            <ul>
              {related.data?.edges.map((e) => (
                <li key={e.id}>
                  {e.outgoing ? 'this' : <a href={href('object', e.other)}>{e.otherName}</a>} <em>{e.type}</em>{' '}
                  {e.outgoing ? <a href={href('object', e.other)}>{e.otherName}</a> : 'this'}
                </li>
              ))}
            </ul>
          </div>
          {weekly.labels.length > 0 ? (
            <ChartCard
              id="object-sightings"
              title="Sightings over time"
              kind="bar"
              labels={weekly.labels}
              series={weekly.series}
              description="Sightings of this object per week"
            />
          ) : (
            <div className="card">
              <h2>Sightings over time</h2>
              <p className="muted">No sightings you may see.</p>
            </div>
          )}
          <div className="card wide">
            <h2>STIX JSON</h2>
            <JsonView value={doc} label={`STIX JSON of ${o.id}`} />
          </div>
        </div>
      )}
    </section>
  );
}
