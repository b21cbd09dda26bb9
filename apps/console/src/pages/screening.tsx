import { useId, useState, type DragEvent } from 'react';
import { gql } from '../api/client';
import type { InterviewStage, RoleCategory, StixObjectConnection } from '../api/schema';
import { screen as screenApplicants, type Screened } from '../api/screening';
import { ErrorBox, Field, formatDate, Options, PageTitle } from '../components/ui';
import { ROLE_CATEGORIES, STAGES } from '../vocab';
import { watch, WatchlistPanel } from '../components/watchlist';

// screenApplicants where the server has it (issue 19), else checkIdentifiers value by value
// (api/screening.ts); watchlists through watchIdentifiers and the watchlistHits subscription.
interface Applicant {
  label: string;
  values: Array<{ value: string; column?: string }>;
}

// Empty cells are kept, so that a CSV's columns stay aligned with its header.
const split = (line: string) => line.split(/[,;\t]/).map((v) => v.trim().replace(/^"|"$/g, ''));

/**
 * One applicant per line, identifiers separated by commas. A CSV's header row (name, email,
 * phone, github …) names the columns: the first, when it is a name column, labels the applicant.
 */
export function parseApplicants(text: string): Applicant[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const header = lines.length > 1 && /^(name|applicant|candidate|e-?mail|phone)/i.test(lines[0]) ? split(lines[0]) : null;
  const body = header ? lines.slice(1) : lines;
  const named = !!header && /^(name|applicant|candidate)/i.test(header[0]);
  return body
    .map((l, i) => {
      const cells = split(l);
      const label = named ? cells[0] || `Applicant ${i + 1}` : `Applicant ${i + 1}`;
      const values = cells
        .map((value, c) => ({ value, column: header?.[c] }))
        .slice(named ? 1 : 0)
        .filter((v) => v.value);
      return { label, values };
    })
    .filter((a) => a.values.length > 0);
}

/** SHA-256 of a file, in the browser: the résumé itself is never uploaded. */
async function sha256(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function ScreeningPage() {
  const [text, setText] = useState('');
  const [resumes, setResumes] = useState<Array<{ name: string; hash: string }>>([]);
  const [results, setResults] = useState<Array<{ applicant: Applicant; screened: Screened }> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [watchVersion, setWatchVersion] = useState(0);

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
    for (const r of resumes) applicants.push({ label: `Résumé ${r.name}`, values: [{ value: r.hash, column: 'resume' }] });
    if (applicants.length === 0) return setError(new Error('Paste identifiers, drop a CSV of applicants or add a résumé file.'));
    setBusy(true);
    try {
      const screened = await screenApplicants(applicants.map((a, i) => ({ ref: `${i + 1}`, values: a.values })));
      setResults(applicants.map((a, i) => ({ applicant: a, screened: screened[i] })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    void addFiles(e.dataTransfer.files);
  };
  return (
    <section>
      <PageTitle title="Screening">Screening applicants</PageTitle>
      <p className="muted">
        Has any member seen this applicant’s e-mail, phone, GitHub, résumé or wallet? Answers never name who reported them; figures standing
        for fewer than k members are hidden.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void screen();
        }}
        aria-label="Screen applicants"
      >
        <Field
          label="Applicants"
          hint="One applicant per line, identifiers separated by commas — or a CSV with a header row: name, email, phone, github…"
        >
          {(id, d) => (
            <textarea
              id={id}
              aria-describedby={d}
              rows={6}
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder={'name,email,phone\nAlex Kim,alex.kim@mail.example,+1 415 555 0100'}
            />
          )}
        </Field>
        <div className="drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
          <p>Drop a CSV of applicants or résumé files here (résumés are hashed in your browser, never uploaded), or</p>
          <Field label="Choose files">
            {(id) => <input id={id} type="file" multiple onChange={(e) => e.target.files && void addFiles(e.target.files)} />}
          </Field>
          {resumes.length > 0 && (
            <ul aria-label="Résumé hashes">
              {resumes.map((r) => (
                <li key={r.hash}>
                  {r.name}: <code>{r.hash}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Screening…' : 'Screen'}
        </button>
      </form>
      <ErrorBox error={error} />
      {results && (
        <div data-testid="screening-results">
          <h2>
            {results.filter((r) => r.screened.matches.some((c) => c.known)).length} of {results.length} applicants match what members shared
          </h2>
          {results.map((r, i) => (
            <ApplicantResult key={i} {...r} onWatched={() => setWatchVersion((v) => v + 1)} />
          ))}
        </div>
      )}
      <WatchlistPanel version={watchVersion} />
    </section>
  );
}

function ApplicantResult({ applicant, screened, onWatched }: { applicant: Applicant; screened: Screened; onWatched: () => void }) {
  const [watched, setWatched] = useState<string | null>(null);
  const [watchError, setWatchError] = useState<unknown>(null);
  const matches = screened.matches.filter((m) => m.known);
  const actors = [...new Set(matches.flatMap((c) => c.linkedActors))];
  const personas = [...new Set(matches.flatMap((c) => c.linkedPersonas))];
  const notSeen = applicant.values.length - matches.length - screened.rejected.length;
  const words = (xs: string[], vocab: Record<string, string>) => xs.map((x) => vocab[x] ?? x).join(', ');
  return (
    <article className={`card applicant ${matches.length ? 'match' : ''}`}>
      <h3>
        {applicant.label}: {matches.length ? 'seen by members' : 'no match'}
      </h3>
      {matches.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Identifier</th>
              <th scope="col">Recognised as</th>
              <th scope="col">Seen</th>
              <th scope="col">Signals</th>
            </tr>
          </thead>
          <tbody>
            {matches.map((c) => (
              <tr key={c.value} className="match">
                <td>
                  <code>{c.value}</code>
                </td>
                <td>{c.field.toLowerCase().replace('_', ' ')}</td>
                <td>
                  {formatDate(c.firstSeen)} – {formatDate(c.lastSeen)}
                </td>
                <td>
                  {c.reporters === null ? 'fewer than k members (count hidden)' : `${c.reporters} members`}
                  {c.cells.length > 0 && ` · ${c.cells.map((x) => x.label).join(', ')}`}
                  {c.interviewStages.length > 0 && ` · stages: ${words(c.interviewStages, STAGES)}`}
                  {c.roleCategories.length > 0 && ` · roles: ${words(c.roleCategories, ROLE_CATEGORIES)}`}
                  {c.linkedActors.length > 0 && ` · linked to ${c.linkedActors.join(', ')}`}
                  {c.maxConfidence != null && ` · confidence ${c.maxConfidence}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {notSeen > 0 && (
        <p className="muted">
          {notSeen} identifier{notSeen === 1 ? '' : 's'} not seen by any member you may see.
        </p>
      )}
      {screened.rejected.length > 0 && (
        <ul aria-label="Identifiers that could not be read">
          {screened.rejected.map((r) => (
            <li key={r.value}>
              <code>{r.value}</code>: <span className="error-text">{r.reason}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={!!watched}
          onClick={() =>
            void watch(
              applicant.label,
              applicant.values.map((v) => v.value),
            ).then((n) => {
              setWatched(`Watching ${n} identifier${n === 1 ? '' : 's'} of ${applicant.label}.`);
              onWatched();
            }, setWatchError)
          }
        >
          Add {applicant.label} to the watchlist
        </button>
        {watched && <span role="status">{watched}</span>}
      </div>
      <ErrorBox error={watchError} />
      {personas.map((p) => (
        <ReportSighting key={p} actor={`the linked persona (${p.slice(0, 18)}…)`} subjectId={p} />
      ))}
      {actors.map((a) => (
        <ReportSighting key={a} actor={a} />
      ))}
    </article>
  );
}

/** One click to tell members: this actor's identity applied here, at this stage, for this kind of role. */
function ReportSighting({ actor, subjectId }: { actor: string; subjectId?: string }) {
  const id = useId();
  const [stage, setStage] = useState<InterviewStage>('INTERVIEW');
  const [role, setRole] = useState<RoleCategory>('SOFTWARE');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function report() {
    setError(null);
    try {
      const found = subjectId
        ? { objects: { edges: [{ node: { id: subjectId } }] } }
        : await gql<{ objects: StixObjectConnection }>(
            'query($s: String!) { objects(filter: { search: $s, types: ["threat-actor", "intrusion-set"], revoked: false }, first: 1) { edges { node { id } } } }',
            { s: `"${actor}"` },
          );
      const id = found.objects.edges[0]?.node.id;
      if (!id) throw new Error(`${actor} is not an object you may see`);
      const r = await gql<{ reportSighting: { reportedAs: { sector: string; area: string } } }>(
        'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { reportedAs { sector area } } }',
        { i: { sightingOf: id, firstSeen: new Date().toISOString(), interviewStage: stage, roleCategory: role } },
      );
      setDone(`Reported as ${r.reportSighting.reportedAs.sector} members in ${r.reportSighting.reportedAs.area}, never your name.`);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form
      className="inline report"
      aria-label={`Report a sighting of ${actor}`}
      onSubmit={(e) => {
        e.preventDefault();
        void report();
      }}
    >
      <span>
        Report a sighting of <strong>{actor}</strong>:
      </span>
      <label className="sr-only" htmlFor={`${id}-stage`}>
        Interview stage
      </label>
      <select id={`${id}-stage`} value={stage} onChange={(e) => setStage(e.target.value as InterviewStage)}>
        <Options of={STAGES} />
      </select>
      <label className="sr-only" htmlFor={`${id}-role`}>
        Role category
      </label>
      <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as RoleCategory)}>
        <Options of={ROLE_CATEGORIES} />
      </select>
      <button type="submit" disabled={!!done}>
        Report sighting
      </button>
      {done && <span role="status">{done}</span>}
      <ErrorBox error={error} />
    </form>
  );
}
