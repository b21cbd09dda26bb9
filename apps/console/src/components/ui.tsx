import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';

/** A labelled control: the label is tied to the control, the hint and error are announced with it. */
export function Field(props: {
  label: string;
  hint?: string;
  error?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errId = props.error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <small id={errId} className="error-text">
          {props.error}
        </small>
      )}
    </div>
  );
}

/**
 * The <option>s of a vocabulary: a record of code → the mission's words for it, or a list of codes
 * with the function that words each one. The one way the console's choice lists are written.
 */
export function Options<T extends string>(
  props: { of: Readonly<Record<string, string>> } | { of: readonly T[]; label: (code: T) => string },
) {
  const entries: Array<[string, string]> = 'label' in props ? props.of.map((code) => [code, props.label(code)]) : Object.entries(props.of);
  return (
    <>
      {entries.map(([code, words]) => (
        <option key={code} value={code}>
          {words}
        </option>
      ))}
    </>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const text = error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert">
      <strong>{e?.code === 'FORBIDDEN' ? 'Not allowed. ' : e?.code === 'RATE_LIMITED' ? 'Too many requests. ' : 'Problem: '}</strong>
      {text}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** Runs an async loader on mount and whenever `deps` change; keeps the last good value while reloading. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
    // The caller names what the load depends on (deps), as useEffect's own list would.
  }, [...deps, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setTick((t) => t + 1) };
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** Saves a file the browser made (CSV, PNG): nothing leaves the machine. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function csv(rows: Array<Array<string | number | null | undefined>>): Blob {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return new Blob([rows.map((r) => r.map(cell).join(',')).join('\n') + '\n'], { type: 'text/csv' });
}

/** A page heading that takes focus when the page opens, so screen readers announce the new page. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Cairn`;
    ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function TlpBadge({ tlp }: { tlp: string }) {
  return <span className={`tlp tlp-${tlp.toLowerCase().replace('+', '_')}`}>TLP:{tlp.replace('_', '+')}</span>;
}
