import type { EntityManager } from 'typeorm';
import { categoryOf } from '@cairn/stix';
import { ownVersions } from '../object-store';
import { keyedObjectId } from '../protect/keyed-id';
import type { Prepared } from './prepare';
import { rewriteRefs } from './references';

/**
 * References from outside the bundle by the id an object was submitted with, where the publisher
 * stored it under an id keyed for it (it held personal data: keyed-id.ts), are rewritten to the
 * keyed id: a later bundle (an OpenCTI connector's sighting of its own indicator) resolves as it
 * did when it was published. Only the publisher's own keyed objects are found this way; an id it
 * owns under the submitted id as well (stored before ids were keyed) gives way to the keyed one.
 */
export async function resolveKeyedReferences(
  m: EntityManager,
  publisherTenantId: string,
  secret: string,
  prepared: Prepared,
): Promise<void> {
  const keyed = new Map<string, string>();
  for (const ref of prepared.externalRefs.keys())
    if (categoryOf(ref.slice(0, ref.indexOf('--'))) !== 'sco') keyed.set(ref, keyedObjectId(ref, publisherTenantId, secret));
  if (keyed.size === 0) return;
  const own = await ownVersions(m, publisherTenantId, [...keyed.values()]);
  const found = new Map([...keyed].filter(([, to]) => own.has(to)));
  if (found.size === 0) return;
  for (const p of prepared.objects) rewriteRefs(p.doc, found);
  for (const [from, to] of found) {
    const at = prepared.externalRefs.get(from)!;
    prepared.externalRefs.delete(from);
    if (!prepared.externalRefs.has(to)) prepared.externalRefs.set(to, at);
  }
}
