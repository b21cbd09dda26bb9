import type { PublishIssue, PublishSummary } from '@cairn/intel';

/** A publish issue, or the envelope-wide refusal of a domain error (its `reason`, e.g. INVALID_SHARING, as the code). */
export type RejectionIssue = Omit<PublishIssue, 'code'> & { code: PublishIssue['code'] | string };

/** TAXII 2.1 status-details. */
export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

/** TAXII 2.1 status resource. Cairn stores an envelope before answering, so it is always complete. */
export interface StatusResource {
  id: string;
  status: 'complete' | 'pending';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: number;
  pendings: StatusDetail[];
}

/** Each submitted object's id and version, read before publishing rewrites the objects. */
export function submittedRefs(objects: unknown[]): StatusDetail[] {
  return objects.map((o) => {
    const obj = (o && typeof o === 'object' ? o : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { id: str(obj.id) ?? '', version: str(obj.modified) ?? str(obj.created) ?? '' };
  });
}

function resource(id: string, requestTimestamp: string, successes: StatusDetail[], failures: StatusDetail[]): StatusResource {
  return {
    id,
    status: 'complete',
    request_timestamp: requestTimestamp,
    total_count: successes.length + failures.length,
    success_count: successes.length,
    successes,
    failure_count: failures.length,
    failures,
    pending_count: 0,
    pendings: [],
  };
}

const OUTCOME_MESSAGE = {
  CREATED: 'created',
  NEW_VERSION: 'stored as a new version',
  UNCHANGED: 'unchanged',
  SKIPPED: 'not stored',
  REJECTED: 'rejected',
} as const;

/**
 * A stored envelope. Every object succeeded (skipped ones too: the exchange serves those itself),
 * except, in repair mode, those left out for their problems: failures, each with its issues.
 * Repaired objects say what was repaired.
 */
export function statusFromSummary(
  id: string,
  requestTimestamp: string,
  submitted: StatusDetail[],
  summary: PublishSummary,
): StatusResource {
  const successes: StatusDetail[] = [];
  const failures: StatusDetail[] = [];
  for (const o of summary.objects) {
    const sent = submitted[o.index] ?? { id: o.id, version: '' };
    const detail = (message: string) => ({ id: sent.id || o.id, version: sent.version || o.modified || '', message });
    if (o.status === 'SKIPPED' && o.errors?.length) {
      failures.push(detail(`not stored: ${o.errors.map((e) => `${e.code} at ${e.path}: ${e.message}`).join('; ')}`));
      continue;
    }
    const parts: string[] = [OUTCOME_MESSAGE[o.status]];
    if (o.reason) parts.push(o.reason);
    if (o.correctedFrom) parts.push(`stored as ${o.id}`);
    if (o.repairs?.length) parts.push(`repaired: ${o.repairs.map((r) => `${r.code} at ${r.path}`).join('; ')}`);
    successes.push(detail(parts.join(': ')));
  }
  return resource(id, requestTimestamp, successes, failures);
}

const AT_OBJECT = /^\$\.objects\[(\d+)\]/;

/**
 * A refused envelope: nothing was stored, so every object failed. Objects with problems say what
 * they were (code, property path, message); the others that they fell with the envelope. A problem
 * of the envelope as a whole (too many objects, sharing not allowed) is every object's problem.
 */
export function statusFromRejection(
  id: string,
  requestTimestamp: string,
  submitted: StatusDetail[],
  issues: readonly RejectionIssue[],
): StatusResource {
  const perObject = new Map<number, string[]>();
  const everyone: string[] = [];
  for (const issue of issues) {
    const text = `${issue.code} at ${issue.path}: ${issue.message}`;
    const m = AT_OBJECT.exec(issue.path);
    if (m && Number(m[1]) < submitted.length) perObject.set(Number(m[1]), [...(perObject.get(Number(m[1])) ?? []), text]);
    else everyone.push(text);
  }
  const failures = submitted.map((s, i) => {
    const own = [...everyone, ...(perObject.get(i) ?? [])];
    return { ...s, message: own.length ? `rejected: ${own.join('; ')}` : 'not stored: another object in the envelope was rejected' };
  });
  return resource(id, requestTimestamp, [], failures);
}
