import { useState } from 'react';
import { gql } from '../api/client';
import type { StixObject, StixObjectConnection } from '../api/schema';
import { ErrorBox, Field, formatDate, Loading, PageTitle, TlpBadge, useLoad } from '../components/ui';
import { href } from '../router';

const SEARCH = `query($f: ObjectFilterInput, $after: String) { objects(filter: $f, first: 50, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { id type modified tlp mine revoked object } } } }`;
const TYPES = [
  'indicator',
  'threat-actor',
  'intrusion-set',
  'identity',
  'sighting',
  'relationship',
  'email-addr',
  'ipv4-addr',
  'domain-name',
  'url',
  'file',
  'user-account',
  'location',
  'malware',
  'report',
  'note',
];

export const nameOf = (o: Pick<StixObject, 'id' | 'object'>) => {
  const doc = o.object as Record<string, unknown>;
  return String(doc.name ?? doc.value ?? doc.pattern ?? doc.user_id ?? doc.account_login ?? o.id);
};

export function ExplorePage({ initial }: { initial?: string }) {
  const [draft, setDraft] = useState({ search: initial ?? '', type: '', mine: '' });
  const [query, setQuery] = useState(draft);
  const [after, setAfter] = useState<string | null>(null);
  const filter = {
    ...(query.search.trim() ? { search: query.search.trim() } : {}),
    ...(query.type ? { types: [query.type] } : {}),
    ...(query.mine ? { mine: query.mine === 'mine' } : {}),
    revoked: false,
  };
  const { data, error, loading } = useLoad(
    () => gql<{ objects: StixObjectConnection }>(SEARCH, { f: filter, after }),
    [JSON.stringify(query), after],
  );

  return (
    <section>
      <PageTitle title="Explore">Explore</PageTitle>
      <form
        className="filters"
        role="search"
        aria-label="Search objects"
        onSubmit={(e) => {
          e.preventDefault();
          setAfter(null);
          setQuery(draft);
        }}
      >
        <Field label="Words in name or description" hint={'"exact phrase", -excluded, or'}>
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="search"
              value={draft.search}
              onChange={(e) => setDraft({ ...draft, search: e.target.value })}
            />
          )}
        </Field>
        <Field label="Type">
          {(id) => (
            <select id={id} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
              <option value="">Any type</option>
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Publisher">
          {(id) => (
            <select id={id} value={draft.mine} onChange={(e) => setDraft({ ...draft, mine: e.target.value })}>
              <option value="">Anyone</option>
              <option value="mine">My organisation</option>
              <option value="others">Other members</option>
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary">
            Search
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {loading && !data && <Loading what="objects" />}
      {data && (
        <>
          <p className="summary" role="status">
            {data.objects.totalCount ?? 'Some'} version{data.objects.totalCount === 1 ? '' : 's'} you may see
          </p>
          <table className="results" data-testid="results">
            <thead>
              <tr>
                <th scope="col">Object</th>
                <th scope="col">Type</th>
                <th scope="col">Marking</th>
                <th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {data.objects.edges.map(({ node }) => (
                <tr key={`${node.id}|${node.modified}`}>
                  <td>
                    <a href={href('object', node.id)}>{nameOf(node)}</a>
                    {node.mine && <span className="badge mine">Yours</span>}
                  </td>
                  <td>{node.type}</td>
                  <td>
                    <TlpBadge tlp={node.tlp} />
                  </td>
                  <td>{formatDate(node.modified)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.objects.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(data.objects.pageInfo.endCursor ?? null)}>
              Next page
            </button>
          )}
        </>
      )}
    </section>
  );
}
