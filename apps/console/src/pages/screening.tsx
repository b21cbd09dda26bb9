import { useState, type DragEvent } from 'react';
import { gql } from '../api/client';
import type { IdentifierCheck, InterviewStage, RoleCategory, StixObjectConnection } from '../api/schema';
import { ErrorBox, Field, formatDate, PageTitle } from '../components/ui';
import { ROLE_CATEGORIES, STAGES } from '../vocab';

// Built on checkIdentifiers. screenApplicants and watchlists (issue 19) replace this page's
// lookups when they land; the journeys (paste or CSV, résumé hashes, report a sighting) stay.
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value type normalised known reporters cells { label } firstSeen lastSeen linkedActors latestTlp maxConfidence error } }';

interface Applicant { label: string; values: string[] }
type Check = Pick<IdentifierCheck, 'value' | 'type' | 'normalised' | 'known' | 'reporters' | 'cells' | 'firstSeen' | 'lastSeen' | 'linkedActors' | 'latestTlp' | 'maxConfidence' | 'error'>;

const split = (line: string) => line.split(/[,;\t]+|\s{2,}/).map((v) => v.trim().replace(/^"|"$/g, '')).filter(Boolean);

/** One applicant per line, identifiers separated by commas. A CSV's header row (no identifier in it) names columns. */
export function parseApplicants(text: string): Applicant[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const looksLikeHeader = lines.length > 1 && /^(name|applicant|candidate)/i.test(lines[0]);
  const body = looksLikeHeader ? lines.slice(1) : lines;
  const named = looksLikeHeader && /^(name|applicant|candidate)/i.test(split(lines[0])[0] ?? '');
  return body.map((l, i) => {
    const cells = split(l);
    return named ? { label: cells[0] || `Applicant ${i + 1}`, values: cells.slice(1) } : { label: `Applicant ${i + 1}`, values: cells };
  }).filter((a) => a.values.length > 0);
}

/** SHA-256 of a file, in the browser: the résumé itself is never uploaded. */
async function sha256(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function ScreeningPage() {
  const [text, setText] = useState('');
  const [resumes, setResumes] = useState<Array<{ name: string; hash: string }>>([]);
  const [results, setResults] = useState<Array<{ applicant: Applicant; checks: Check[] }> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function addFiles(files: FileList | File[]) {
    const list = [...files];
    const csvs = list.filter((f) => /\.(csv|txt)$/i.test(f.name));
    const others = list.filter((f) => !csvs.includes(f));
    if (csvs.length) setText(await Promise.all(csvs.map((f) => f.text())).then((parts) => parts.join('\n')));
    if (others.length) setResumes([...resumes, ...(await Promise.all(others.map(async (f) => ({ name: f.name, hash: await sha256(f) }))))]);
  }

  async function screen() {
    setError(null);
    const applicants = parseApplicants(text);
    for (const r of resumes) applicants.push({ label: `Résumé ${r.name}`, values: [r.hash] });
    if (applicants.length === 0) return setError(new Error('Paste identifiers, drop a CSV of applicants or add a résumé file.'));
    setBusy(true);
    try {
      const values = [...new Set(applicants.flatMap((a) => a.values))];
      const d = await gql<{ checkIdentifiers: Check[] }>(CHECK, { v: values });
      const byValue = new Map(values.map((v, i) => [v, d.checkIdentifiers[i]]));
      setResults(applicants.map((a) => ({ applicant: a, checks: a.values.map((v) => byValue.get(v)!) })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const onDrop = (e: DragEvent) => { e.preventDefault(); void addFiles(e.dataTransfer.files); };
  return (
    <section>
      <PageTitle title="Screening">Screening applicants</PageTitle>
      <p className="muted">Has any member seen this applicant’s e-mail, phone, GitHub, résumé or wallet? Answers never name who reported them; figures standing for fewer than k members are hidden.</p>
      <form onSubmit={(e) => { e.preventDefault(); void screen(); }} aria-label="Screen applicants">
        <Field label="Applicants" hint="One applicant per line, identifiers separated by commas — or a CSV with a header row: name, email, phone, github…">{(id, d) => (
          <textarea id={id} aria-describedby={d} rows={6} value={text} onChange={(e) => setText(e.target.value)} placeholder={'name,email,phone\nAlex Kim,alex.kim@mail.example,+1 415 555 0100'} />
        )}</Field>
        <div className="drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
          <p>Drop a CSV of applicants or résumé files here (résumés are hashed in your browser, never uploaded), or</p>
          <Field label="Choose files">{(id) => <input id={id} type="file" multiple onChange={(e) => e.target.files && void addFiles(e.target.files)} />}</Field>
          {resumes.length > 0 && <ul aria-label="Résumé hashes">{resumes.map((r) => <li key={r.hash}>{r.name}: <code>{r.hash}</code></li>)}</ul>}
        </div>
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Screening…' : 'Screen'}</button>
      </form>
      <ErrorBox error={error} />
      {results && (
        <div data-testid="screening-results">
          <h2>{results.filter((r) => r.checks.some((c) => c.known)).length} of {results.length} applicants match what members shared</h2>
          {results.map((r, i) => <ApplicantResult key={i} {...r} />)}
        </div>
      )}
    </section>
  );
}

function ApplicantResult({ applicant, checks }: { applicant: Applicant; checks: Check[] }) {
  const matched = checks.some((c) => c.known);
  const actors = [...new Set(checks.flatMap((c) => c.linkedActors))];
  return (
    <article className={`card applicant ${matched ? 'match' : ''}`}>
      <h3>{applicant.label}: {matched ? 'seen by members' : 'no match'}</h3>
      <table>
        <thead><tr><th scope="col">Identifier</th><th scope="col">Recognised as</th><th scope="col">Seen</th><th scope="col">Signals</th></tr></thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.value} className={c.known ? 'match' : undefined}>
              <td><code>{c.value}</code></td>
              <td>{c.type === 'UNKNOWN' ? <span className="error-text">{c.error ?? 'not recognised'}</span> : c.type.toLowerCase()}</td>
              <td>{c.known ? `${formatDate(c.firstSeen)} – ${formatDate(c.lastSeen)}` : 'no'}</td>
              <td>
                {c.known && <>{c.reporters === null ? 'fewer than k members (count hidden)' : `${c.reporters} members`}{c.cells.length > 0 && ` · ${c.cells.map((x) => x.label).join(', ')}`}{c.linkedActors.length > 0 && ` · linked to ${c.linkedActors.join(', ')}`}{c.maxConfidence != null && ` · confidence ${c.maxConfidence}`}</>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {actors.map((a) => <ReportSighting key={a} actor={a} />)}
    </article>
  );
}

/** One click to tell members: this actor's identity applied here, at this stage, for this kind of role. */
function ReportSighting({ actor }: { actor: string }) {
  const [stage, setStage] = useState<InterviewStage>('INTERVIEW');
  const [role, setRole] = useState<RoleCategory>('SOFTWARE');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function report() {
    setError(null);
    try {
      const found = await gql<{ objects: StixObjectConnection }>('query($s: String!) { objects(filter: { search: $s, types: ["threat-actor", "intrusion-set"], revoked: false }, first: 1) { edges { node { id } } } }', { s: `"${actor}"` });
      const id = found.objects.edges[0]?.node.id;
      if (!id) throw new Error(`${actor} is not an object you may see`);
      const r = await gql<{ reportSighting: { reportedAs: { sector: string; area: string } } }>('mutation($i: ReportSightingInput!) { reportSighting(input: $i) { reportedAs { sector area } } }',
        { i: { sightingOf: id, firstSeen: new Date().toISOString(), interviewStage: stage, roleCategory: role } });
      setDone(`Reported as ${r.reportSighting.reportedAs.sector} members in ${r.reportSighting.reportedAs.area}, never your name.`);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form className="inline report" aria-label={`Report a sighting of ${actor}`} onSubmit={(e) => { e.preventDefault(); void report(); }}>
      <span>Report a sighting of <strong>{actor}</strong>:</span>
      <label className="sr-only" htmlFor={`st-${actor}`}>Interview stage</label>
      <select id={`st-${actor}`} value={stage} onChange={(e) => setStage(e.target.value as InterviewStage)}>{Object.entries(STAGES).map(([k, v]) => <option key={k} value={k}>{v}</option>)}</select>
      <label className="sr-only" htmlFor={`rc-${actor}`}>Role category</label>
      <select id={`rc-${actor}`} value={role} onChange={(e) => setRole(e.target.value as RoleCategory)}>{Object.entries(ROLE_CATEGORIES).map(([k, v]) => <option key={k} value={k}>{v}</option>)}</select>
      <button type="submit" disabled={!!done}>Report sighting</button>
      {done && <span role="status">{done}</span>}
      <ErrorBox error={error} />
    </form>
  );
}
