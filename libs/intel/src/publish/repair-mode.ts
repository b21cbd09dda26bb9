import { repairBundle, type IdCaseChange } from '@cairn/stix';
import { BundleRejectedError } from '../intel.errors';
import type { Prepared } from './prepare';
import { summarise, type ObjectOutcome, type PublishIssue, type PublishSummary } from './publish.types';

type Json = Record<string, unknown>;

/**
 * One try at publishing `bundle` (prepare and store, all or nothing). `origin[k]` is the position
 * in the submitted bundle of the try's object k. Throws BundleRejectedError with paths in the
 * try's own positions.
 */
export type PublishAttempt = (bundle: Json, origin: readonly number[], repair?: RepairNote) => Promise<PublishSummary>;

/** What repair mode did before this try, for the audit entry of the one that stores. */
export interface RepairNote {
  skipped: number;
  repaired: number;
}

const AT = /^\$\.objects\[(\d+)\]/;

/** The path with the try's position `k` replaced by the submitted one. */
function remap(path: string, origin: readonly number[]): string {
  return path.replace(AT, (_m, k: string) => `$.objects[${origin[Number(k)] ?? k}]`);
}

/**
 * Repair mode: repairs what @cairn/stix repairBundle can, then publishes; objects still refused
 * (invalid, a revoked id re-issued, a reference to something skipped or unknown …) are taken out
 * with their issues and the rest is tried again, each try in its own transaction. Every object
 * out is tried at most once more, so this ends. A problem of the bundle as a whole still refuses it.
 */
export async function publishRepaired(
  bundle: unknown,
  submittedIds: ReadonlyArray<string | null>,
  attempt: PublishAttempt,
): Promise<PublishSummary> {
  const { bundle: repaired, repairs } = repairBundle(bundle);
  const objects = (repaired as Json | undefined)?.objects;
  if (!Array.isArray(objects) || objects.length === 0) return attempt(repaired as Json, []);
  const toIssue = (r: (typeof repairs)[number]): PublishIssue => ({
    objectId: r.index >= 0 ? (submittedIds[r.index] ?? r.objectId) : r.objectId,
    path: r.path,
    code: r.code,
    message: r.message,
  });
  const bundleRepairs = repairs.filter((r) => r.index < 0).map(toIssue);
  const repairsOf = new Map<number, PublishIssue[]>();
  for (const r of repairs) if (r.index >= 0) repairsOf.set(r.index, [...(repairsOf.get(r.index) ?? []), toIssue(r)]);

  const skipped = new Map<number, PublishIssue[]>();
  let live = objects.map((_o, i) => i);
  let stored: PublishSummary | undefined;
  while (live.length > 0) {
    const origin = live;
    // Each try gets fresh copies: publishing rewrites the objects it is given.
    const attemptBundle: Json = { ...(repaired as Json), objects: origin.map((i) => structuredClone(objects[i])) };
    try {
      stored = await attempt(attemptBundle, origin, { skipped: skipped.size, repaired: origin.filter((i) => repairsOf.has(i)).length });
      break;
    } catch (err) {
      if (!(err instanceof BundleRejectedError)) throw err;
      const issues = err.issues.map((i) => ({ ...i, path: remap(i.path, origin) }));
      const whole = issues.filter((i) => !AT.test(i.path));
      if (whole.length > 0) throw new BundleRejectedError(issues);
      for (const issue of issues) {
        const at = Number(AT.exec(issue.path)![1]);
        skipped.set(at, [...(skipped.get(at) ?? []), issue]);
      }
      live = live.filter((i) => !skipped.has(i));
    }
  }

  const outcomes: ObjectOutcome[] = (stored?.objects ?? []).map((o) => ({ ...o, index: live[o.index] }));
  for (const [index, errors] of skipped) {
    const obj = objects[index] as Json | undefined;
    const codes = [...new Set(errors.map((e) => e.code))].join(', ');
    outcomes.push({
      index,
      id: String(submittedIds[index] ?? obj?.id ?? ''),
      type: String(obj?.type ?? ''),
      status: 'SKIPPED',
      reason: `repair mode: not stored (${codes}); the rest of the bundle was`,
      errors,
    });
  }
  outcomes.sort((a, b) => a.index - b.index);
  for (const o of outcomes) {
    const r = repairsOf.get(o.index);
    if (r) o.repairs = r;
  }
  return summarise(outcomes, bundleRepairs);
}

/**
 * Objects whose id was written with upper-case hex digits are stored with the lower-case one
 * (lowerCaseIds, before prepare): each outcome names the id as submitted, and so do the issues.
 */
export function noteIdCase(prepared: Prepared, origin: readonly number[], changes: readonly IdCaseChange[]): void {
  if (changes.length === 0) return;
  const submitted = new Map<number, string>();
  const byLower = new Map<string, string>();
  for (const c of changes) {
    if (c.path === `$.objects[${c.index}].id`) submitted.set(c.index, c.from);
    if (!byLower.has(c.to)) byLower.set(c.to, c.from);
  }
  for (const o of prepared.outcomes) {
    const from = submitted.get(origin[o.index] ?? o.index);
    if (from === undefined) continue;
    o.correctedFrom = from;
    o.reason ??= 'UUIDs are case-insensitive: stored with the UUID in lower case';
  }
  for (const issue of prepared.issues) if (issue.objectId && byLower.has(issue.objectId)) issue.objectId = byLower.get(issue.objectId)!;
}
