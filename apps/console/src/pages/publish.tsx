import { useState, type DragEvent } from 'react';
import { ApiError, gql } from '../api/client';
import type { IndicatorInput, IndicatorKind, PublishIssue, PublishPreview, PublishResult, SharingInput } from '../api/schema';
import { IssueList, PreviewView } from '../components/preview';
import { cleanSharing, SharingFields } from '../components/sharing';
import { ErrorBox, Field, PageTitle } from '../components/ui';
import { href } from '../router';
import { INDICATOR_KINDS } from '../vocab';

const PREVIEW_FIELDS =
  'valid issues { objectId path code message } outcomes { index id type status reason correctedFrom } objects { id type document tlp distribution narrowedBy }';
const RESULT_FIELDS = 'created newVersions unchanged skipped corrected objects { index id type status reason }';
const PREVIEW_BUNDLE = `mutation($b: JSON!, $s: SharingInput) { previewBundle(bundle: $b, sharing: $s) { ${PREVIEW_FIELDS} } }`;
const PUBLISH_BUNDLE = `mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { ${RESULT_FIELDS} } }`;
const PREVIEW_INDICATORS = `mutation($i: [IndicatorInput!]!, $s: SharingInput) { previewIndicators(indicators: $i, sharing: $s) { ${PREVIEW_FIELDS} } }`;
const PUBLISH_INDICATORS = `mutation($i: [IndicatorInput!]!, $s: SharingInput) { publishIndicators(indicators: $i, sharing: $s) { ${RESULT_FIELDS} } }`;

interface Row {
  type: IndicatorKind;
  value: string;
}

export function PublishPage() {
  const [mode, setMode] = useState<'indicators' | 'bundle'>('indicators');
  const [sharing, setSharing] = useState<SharingInput>({});
  const [rows, setRows] = useState<Row[]>([{ type: 'EMAIL', value: '' }]);
  const [extra, setExtra] = useState({ confidence: '', labels: '', threatActor: '', validUntil: '' });
  const [bundleText, setBundleText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ key: string; result: PublishPreview; submitted?: Record<string, unknown>[] } | null>(null);
  const [result, setResult] = useState<PublishResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);

  const indicators = (): IndicatorInput[] =>
    rows
      .filter((r) => r.value.trim())
      .map((r) => ({
        type: r.type,
        value: r.value.trim(),
        ...(extra.confidence ? { confidence: Number(extra.confidence) } : {}),
        ...(extra.labels.trim()
          ? {
              labels: extra.labels
                .split(',')
                .map((l) => l.trim())
                .filter(Boolean),
            }
          : {}),
        ...(extra.threatActor.trim() ? { threatActor: extra.threatActor.trim() } : {}),
        ...(extra.validUntil ? { validUntil: new Date(extra.validUntil).toISOString() } : {}),
      }));
  // The preview is only good for the exact input and sharing it was made for.
  const inputKey = () => JSON.stringify([mode, cleanSharing(sharing), mode === 'bundle' ? bundleText : indicators()]);
  const parseBundle = (): unknown | undefined => {
    try {
      setParseError(null);
      return JSON.parse(bundleText);
    } catch (e) {
      setParseError(`Not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  async function run(kind: 'preview' | 'publish') {
    setError(null);
    setResult(null);
    const s = cleanSharing(sharing);
    let vars: Record<string, unknown>;
    if (mode === 'bundle') {
      const b = parseBundle();
      if (b === undefined) return;
      vars = { b, s };
    } else {
      const list = indicators();
      if (list.length === 0) return setError(new Error('Enter at least one value.'));
      vars = { i: list, s };
    }
    setBusy(true);
    try {
      if (kind === 'preview') {
        const key = inputKey();
        const d = await gql<Record<string, PublishPreview>>(mode === 'bundle' ? PREVIEW_BUNDLE : PREVIEW_INDICATORS, vars);
        const submitted = mode === 'bundle' ? ((vars.b as { objects?: Record<string, unknown>[] }).objects ?? []) : undefined;
        setPreview({ key, result: d.previewBundle ?? d.previewIndicators, submitted: Array.isArray(submitted) ? submitted : undefined });
      } else {
        const d = await gql<Record<string, PublishResult>>(mode === 'bundle' ? PUBLISH_BUNDLE : PUBLISH_INDICATORS, vars);
        setResult(d.publishBundle ?? d.publishIndicators);
        setPreview(null);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) await readFile(file);
  }
  async function readFile(file: File) {
    setBundleText(await file.text());
    setPreview(null);
  }

  const previewCurrent = preview && preview.key === inputKey();
  const canPublish = !!previewCurrent && preview.result.valid && !busy;

  return (
    <section>
      <PageTitle title="Publish">Publish</PageTitle>
      <p className="muted">
        Preview first: you will see every problem at once and exactly what other members will see after anonymisation and protection.
        Nothing is stored until you publish.
      </p>
      <div role="group" aria-label="What to publish" className="segmented">
        <button
          type="button"
          aria-pressed={mode === 'indicators'}
          onClick={() => {
            setMode('indicators');
            setPreview(null);
          }}
        >
          Indicators
        </button>
        <button
          type="button"
          aria-pressed={mode === 'bundle'}
          onClick={() => {
            setMode('bundle');
            setPreview(null);
          }}
        >
          STIX bundle
        </button>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run('preview');
        }}
        aria-label={mode === 'bundle' ? 'Publish a STIX bundle' : 'Publish indicators'}
      >
        {mode === 'indicators' ? (
          <fieldset>
            <legend>Indicators</legend>
            {rows.map((r, i) => (
              <div className="row" key={i}>
                <Field label={`Value type ${i + 1}`}>
                  {(id) => (
                    <select
                      id={id}
                      value={r.type}
                      onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, type: e.target.value as IndicatorKind } : x)))}
                    >
                      {Object.entries(INDICATOR_KINDS).map(([k, v]) => (
                        <option key={k} value={k}>
                          {v.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field
                  label={`Value ${i + 1}`}
                  hint={INDICATOR_KINDS[r.type].personal ? 'Personal data: shared only as a keyed hash, never the value' : undefined}
                >
                  {(id, d) => (
                    <input
                      id={id}
                      aria-describedby={d}
                      placeholder={INDICATOR_KINDS[r.type].placeholder}
                      value={r.value}
                      onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                    />
                  )}
                </Field>
                {rows.length > 1 && (
                  <button type="button" onClick={() => setRows(rows.filter((_x, j) => j !== i))} aria-label={`Remove value ${i + 1}`}>
                    Remove
                  </button>
                )}
              </div>
            ))}
            <button type="button" onClick={() => setRows([...rows, { type: rows[rows.length - 1].type, value: '' }])}>
              Add another value
            </button>
            <div className="row">
              <Field label="Confidence (0–100)">
                {(id) => (
                  <input
                    id={id}
                    type="number"
                    min={0}
                    max={100}
                    value={extra.confidence}
                    onChange={(e) => setExtra({ ...extra, confidence: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Labels" hint="Comma-separated">
                {(id, d) => (
                  <input
                    id={id}
                    aria-describedby={d}
                    value={extra.labels}
                    onChange={(e) => setExtra({ ...extra, labels: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Threat actor" hint="Name, alias or id: adds an “indicates” relationship">
                {(id, d) => (
                  <input
                    id={id}
                    aria-describedby={d}
                    value={extra.threatActor}
                    onChange={(e) => setExtra({ ...extra, threatActor: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Valid until">
                {(id) => (
                  <input
                    id={id}
                    type="date"
                    value={extra.validUntil}
                    onChange={(e) => setExtra({ ...extra, validUntil: e.target.value })}
                  />
                )}
              </Field>
            </div>
          </fieldset>
        ) : (
          <fieldset>
            <legend>STIX 2.1 bundle</legend>
            <div
              className={`drop ${dragging ? 'dragging' : ''}`}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => void onDrop(e)}
              data-testid="drop-zone"
            >
              <p>Drop a JSON bundle here, or</p>
              <Field label="Choose a file">
                {(id) => (
                  <input
                    id={id}
                    type="file"
                    accept=".json,application/json,application/stix+json"
                    onChange={(e) => e.target.files?.[0] && void readFile(e.target.files[0])}
                  />
                )}
              </Field>
            </div>
            <Field label="Bundle JSON" error={parseError ?? undefined}>
              {(id, d) => (
                <textarea
                  id={id}
                  aria-describedby={d}
                  rows={10}
                  spellCheck={false}
                  value={bundleText}
                  onChange={(e) => setBundleText(e.target.value)}
                />
              )}
            </Field>
          </fieldset>
        )}
        <SharingFields value={sharing} onChange={setSharing} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Preview
          </button>
          <button type="button" disabled={!canPublish} onClick={() => void run('publish')} aria-describedby="publish-why">
            Publish
          </button>
          <small id="publish-why" className="hint">
            {canPublish ? 'Stores what the preview shows.' : 'Publishing needs a preview without problems of this exact input.'}
          </small>
        </div>
      </form>
      <ErrorBox error={error} />
      {error instanceof ApiError && Array.isArray(error.extensions.issues) && (
        <IssueList issues={error.extensions.issues as PublishIssue[]} />
      )}
      {preview && <PreviewView preview={preview.result} submitted={preview.submitted} />}
      {result && (
        <div className="ok card" role="status" data-testid="published">
          <h2>Published</h2>
          <p>
            {result.created} created, {result.newVersions} new versions, {result.unchanged} unchanged, {result.skipped} skipped.
          </p>
          <ul>
            {result.objects
              .filter((o) => o.status !== 'SKIPPED')
              .map((o) => (
                <li key={o.index}>
                  <a href={href('object', o.id)}>
                    {o.type} {o.id}
                  </a>{' '}
                  — {o.status.toLowerCase().replace('_', ' ')}
                </li>
              ))}
          </ul>
        </div>
      )}
    </section>
  );
}
