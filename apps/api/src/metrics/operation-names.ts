/** What a GraphQL operation name must look like to be a metric label (or a log field) as it is. */
export const OPERATION_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** How a client-chosen operation name appears in logs: itself when well-formed, else "anonymous" or "invalid". Never the raw text. */
export function loggedOperationName(name: string | null | undefined): string {
  if (name === undefined || name === null || name === '') return 'anonymous';
  return OPERATION_NAME_RE.test(name) ? name : 'invalid';
}

/**
 * Operation names are chosen by clients, so as metric labels they are bounded: a well-formed name
 * is kept while fewer than `max` distinct names have been seen (first come, for the life of the
 * process), anything else is "other"; no name is "anonymous". A client inventing names can fill
 * the table once, never grow the series beyond `max` + 2 per door, type and outcome.
 */
export class OperationNames {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(name: string | null | undefined): string {
    if (name === undefined || name === null || name === '') return 'anonymous';
    if (!OPERATION_NAME_RE.test(name)) return 'other';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(name);
    return name;
  }
}

const OUTCOME_RE = /^[A-Z][A-Z_]{0,39}$/;

/** `ok`, or an error code as a label (codes come from the server's own error mapping; anything odd is "other"). */
export function outcomeLabel(code: unknown): string {
  if (code === undefined) return 'ok';
  return typeof code === 'string' && OUTCOME_RE.test(code) ? code : 'other';
}
