import type { PublishIssue, PublishPreview } from '../api/schema';
import { DISTRIBUTIONS } from '../vocab';
import { JsonView, TlpBadge } from './ui';

type Json = Record<string, unknown>;

/** Every problem, grouped by the object it is about, each naming the property (JSON path). */
export function IssueList({ issues }: { issues: PublishIssue[] }) {
  if (issues.length === 0) return null;
  const groups = new Map<string, PublishIssue[]>();
  for (const i of issues) {
    const m = /^\$\.objects\[(\d+)\]/.exec(i.path) ?? /^indicators\[(\d+)\]/.exec(i.path);
    const key = m ? `Object ${Number(m[1]) + 1}${i.objectId ? ` · ${i.objectId}` : ''}` : 'The bundle';
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return (
    <div className="issues" role="alert" data-testid="issues">
      <h3>
        {issues.length} problem{issues.length === 1 ? '' : 's'}: nothing will be stored until all are fixed
      </h3>
      {[...groups].map(([key, list]) => (
        <section key={key} className="issue-group">
          <h4>{key}</h4>
          <table>
            <thead>
              <tr>
                <th scope="col">Property</th>
                <th scope="col">Problem</th>
                <th scope="col">Code</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i, n) => (
                <tr key={n}>
                  <td>
                    <code>{i.path}</code>
                  </td>
                  <td>{i.message}</td>
                  <td>
                    <code>{i.code}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

/** Top-level properties whose value changed between what was submitted and what others will see. */
function changes(before: Json | undefined, after: Json): Array<{ prop: string; before: unknown; after: unknown }> {
  if (!before) return [];
  const props = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: Array<{ prop: string; before: unknown; after: unknown }> = [];
  for (const p of props)
    if (JSON.stringify(before[p]) !== JSON.stringify(after[p])) out.push({ prop: p, before: before[p], after: after[p] });
  return out;
}

const short = (v: unknown) => {
  const s = v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 160 ? s.slice(0, 157) + '…' : s;
};

/** What other members will be served, object by object, with what anonymisation and protection changed. */
export function PreviewView({ preview, submitted }: { preview: PublishPreview; submitted?: Json[] }) {
  const byId = new Map(preview.outcomes.map((o) => [o.id, o.index]));
  return (
    <div className="preview" data-testid="preview">
      <IssueList issues={preview.issues} />
      {preview.valid && (
        <p className="ok" role="status">
          No problems. This is exactly what other members will see once you publish:
        </p>
      )}
      {preview.outcomes
        .filter((o) => o.status === 'SKIPPED')
        .map((o) => (
          <p key={o.index} className="muted">
            Object {o.index + 1} ({o.type}) is not stored: {o.reason}
          </p>
        ))}
      {preview.objects.map((o) => {
        const index = byId.get(o.id);
        const diff = changes(index === undefined ? undefined : submitted?.[index], o.document as Json);
        return (
          <article key={o.id} className="card preview-object">
            <h3>
              {o.type} <TlpBadge tlp={o.tlp} /> <span className="muted">{DISTRIBUTIONS[o.distribution]}</span>
            </h3>
            {o.narrowedBy && <p className="hint">Shared more narrowly than you asked: it references {o.narrowedBy}.</p>}
            {diff.length > 0 && (
              <table className="changes">
                <caption>Changed before sharing</caption>
                <thead>
                  <tr>
                    <th scope="col">Property</th>
                    <th scope="col">You submitted</th>
                    <th scope="col">Members will see</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.map((d) => (
                    <tr key={d.prop}>
                      <td>
                        <code>{d.prop}</code>
                      </td>
                      <td>{short(d.before)}</td>
                      <td className="redacted">{short(d.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <details>
              <summary>STIX JSON as served</summary>
              <JsonView value={o.document} label={`STIX JSON of ${o.id}`} />
            </details>
          </article>
        );
      })}
    </div>
  );
}
