import type { EntityManager } from 'typeorm';
import { CAIRN_IDENTITY_ID, categoryOf } from '@cairn/stix';
import { ownVersions } from '../object-store';
import { hasRandomUuid, isKeyedObjectId, keyedObjectId } from '../protect/keyed-id';
import type { Prepared } from './prepare';
import { rewriteRefs } from './references';

/**
 * Ids keyed for the publisher (keyed-id.ts), in the writer's transaction, with one read of its own
 * versions for both of these:
 *
 * - References from outside the bundle by the id an object was submitted with, where the publisher
 *   stored it under an id keyed for it, are rewritten to the keyed id: a later bundle (an OpenCTI
 *   connector's sighting of its own indicator) resolves as it did when it was published. Only the
 *   publisher's own keyed objects are found this way; an id it owns under the submitted id as well
 *   (stored before ids were keyed) gives way to the keyed one.
 * - Objects (not observables, not meta-objects) whose submitted id is not random — a name-based
 *   uuidv5 such as OpenCTI's, which derives an indicator's id from its pattern — are stored under an
 *   id keyed for the publisher, reported as correctedFrom, with the bundle's references following.
 *   Such an id can be computed by anyone who guesses the content, and ownership is checked on ids:
 *   another member's private indicator under the id would answer NOT_OWNER to a preview of the
 *   guess, telling that some member holds it. Keyed, two publishers' ids never meet. An id the
 *   publisher already holds (stored before ids were keyed) stays, so its versions go on; the
 *   exchange's well-known identity keeps its id (it is public, and NOT_OWNER says nothing of it).
 */
export async function resolveKeyedIds(m: EntityManager, publisherTenantId: string, secret: string, prepared: Prepared): Promise<void> {
  const referenced = new Map<string, string>();
  for (const ref of prepared.externalRefs.keys())
    if (categoryOf(ref.slice(0, ref.indexOf('--'))) !== 'sco') referenced.set(ref, keyedObjectId(ref, publisherTenantId, secret));
  const guessable = guessableIds(publisherTenantId, secret, prepared);
  if (referenced.size === 0 && guessable.size === 0) return;
  const own = await ownVersions(m, publisherTenantId, [...referenced.values(), ...guessable]);
  followKeyedReferences(prepared, new Map([...referenced].filter(([, to]) => own.has(to))));
  keyObjects(
    prepared,
    new Map([...guessable].filter((id) => !own.has(id)).map((id) => [id, keyedObjectId(id, publisherTenantId, secret)])),
  );
}

function followKeyedReferences(prepared: Prepared, found: ReadonlyMap<string, string>): void {
  if (found.size === 0) return;
  for (const p of prepared.objects) rewriteRefs(p.doc, found);
  for (const [from, to] of found) {
    const at = prepared.externalRefs.get(from)!;
    prepared.externalRefs.delete(from);
    if (!prepared.externalRefs.has(to)) prepared.externalRefs.set(to, at);
  }
}

/** The bundle's name-based object ids not yet keyed. */
function guessableIds(publisherTenantId: string, secret: string, prepared: Prepared): Set<string> {
  const guessable = new Set<string>();
  for (const p of prepared.objects) {
    const id = p.doc.id as string;
    if (p.observable || categoryOf(String(p.doc.type)) === 'meta' || id === CAIRN_IDENTITY_ID) continue;
    if (hasRandomUuid(id)) continue;
    if (isKeyedObjectId(id, publisherTenantId, secret)) {
      // Keyed by an earlier run of this check whose outcomes were put back (PublishService's retry after its recheck refused).
      if (p.outcome.id !== id) keyedOutcome(p.outcome, id);
      continue;
    }
    guessable.add(id);
  }
  return guessable;
}

function keyObjects(prepared: Prepared, keyed: ReadonlyMap<string, string>): void {
  if (keyed.size === 0) return;
  for (const p of prepared.objects) {
    const to = keyed.get(p.doc.id as string);
    if (to !== undefined) {
      keyedOutcome(p.outcome, to);
      p.doc.id = to;
    }
    rewriteRefs(p.doc, keyed);
  }
}

function keyedOutcome(outcome: Prepared['outcomes'][number], id: string): void {
  outcome.correctedFrom ??= outcome.id;
  outcome.id = id;
  outcome.reason ??=
    'the id is not random (name-based): it is keyed for this publisher, so that it tells nothing of what it was derived from';
}
