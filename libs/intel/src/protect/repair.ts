import type { Distribution } from '@cairn/access';
import { canonicalJson, expectedScoId, type Tlp } from '@cairn/stix';
import { collectPhones, scrubObject } from '../anonymise/scrub';
import { PhoneMatcher, TermMatcher } from '../anonymise/term-matcher';
import { isObservable, personalDataOf } from '../publish/prepare';
import { rawSharingAllowed } from '../sharing';
import { hasRandomUuid, isKeyedObjectId } from './keyed-id';
import { protectObjects } from './protect';
import { PROTECTED_PLACEHOLDER } from './protected-key';

type Json = Record<string, unknown>;

/** A stored version, with the sharing it was stored under. */
export interface RepairableVersion {
  pk: string;
  doc: Json;
  tlp: string;
  distribution: string;
}

/** A version whose publisher may have kept personal data raw (sharing.ts); every other version must hold none, whatever rules stored it. */
export function mayHoldRaw(v: Pick<RepairableVersion, 'tlp' | 'distribution'>): boolean {
  return rawSharingAllowed(v.tlp as Tlp, v.distribution as Distribution);
}

/** What one publisher's versions need: the documents to write back, and what cannot be repaired in place. */
export interface Reprotection {
  changed: Array<{ pk: string; doc: Json }>;
  /** A value or pattern that cannot be protected (not normalisable, a pattern that cannot be rewritten): for the operator. */
  unrepairable: Array<{ pk: string; id: string; path: string; message: string }>;
}

/** The personal data redaction must remove from a publisher's versions: what its versions that may not hold raw data still hold. */
export function personalDataOfVersions(versions: readonly RepairableVersion[], secret: string) {
  return personalDataOf(
    versions.filter((v) => !mayHoldRaw(v)).map((v) => v.doc),
    secret,
  );
}

/**
 * Today's protection applied to versions stored under older rules (an individual written
 * `identity_class: "Individual"`, an individual's description, nested custom data: see protect.ts),
 * as publishing applies it to a bundle: personal data replaced by keyed renderings, then redacted
 * from the text of every version of the publisher that may not hold it (`personal`, from
 * personalDataOfVersions over all of them). A property value that does not normalise becomes
 * "[protected]"; a pattern that cannot be protected is listed in `unrepairable`.
 * Versions that may hold raw data are left as they are. Versions stored by today's rules come back
 * unchanged. Ids are not changed here (references to them would break): a version whose id may be
 * derived from the raw value it held (see idDerivedFromRaw) is listed in `unrepairable`.
 */
export function reprotectVersions(
  versions: readonly RepairableVersion[],
  secret: string,
  personal: ReturnType<typeof personalDataOf>,
  publisherTenantId: string,
): Reprotection {
  const out: Reprotection = { changed: [], unrepairable: [] };
  const candidates = versions.filter((v) => !mayHoldRaw(v));
  const docs = candidates.map((v) => structuredClone(v.doc));
  const protection = protectObjects(docs, secret, false);
  for (const p of protection.problems) {
    const prop = /^\$\.objects\[\d+\]\.([A-Za-z0-9_-]+)$/.exec(p.path)?.[1];
    const doc = docs[p.index];
    // A property's value is replaced; a pattern is not (it would no longer be one): the operator sees to it.
    if (p.code === 'INVALID_IDENTIFIER' && prop !== undefined && prop !== 'pattern' && typeof doc[prop] === 'string')
      doc[prop] = PROTECTED_PLACEHOLDER;
    else
      out.unrepairable.push({
        pk: candidates[p.index].pk,
        id: String(doc.id),
        path: p.path.replace(/^\$\.objects\[\d+\]/, '$'),
        message: p.message,
      });
  }
  for (const i of protection.keyedIndices) {
    if (!idDerivedFromRaw(docs[i], publisherTenantId, secret)) continue;
    out.unrepairable.push({
      pk: candidates[i].pk,
      id: String(docs[i].id),
      path: '$.id',
      message:
        'the id may be derived from the raw personal data the object held (a deterministic id), which anyone can test guesses against',
    });
  }
  const phones = new PhoneMatcher(personal.phones);
  for (const doc of docs) collectPhones(doc, phones);
  const rules = { personal: new TermMatcher(personal.rawValues, { standalone: true }), phones, publisher: new TermMatcher([]) };
  docs.forEach((doc, i) => {
    scrubObject(doc, rules);
    // Compared as stored: jsonb keeps no key order, and a property set to undefined is not written.
    const written = JSON.parse(JSON.stringify(doc)) as Json;
    if (canonicalJson(written) !== canonicalJson(candidates[i].doc)) out.changed.push({ pk: candidates[i].pk, doc: written });
  });
  return out;
}

/**
 * Whether the id of an object that held personal data may give it away, as publishing would not have
 * let it (prepare.ts steps 5 and 6): an observable whose id is not the deterministic id of what it
 * holds now (so, of its raw value), or another object under an id that is not random (hasRandomUuid:
 * publishing keys the same ids) and not one the exchange keyed for its publisher (OpenCTI derives
 * ids from names and patterns). A random (v4, v7) id tells nothing.
 */
function idDerivedFromRaw(protectedDoc: Json, publisherTenantId: string, secret: string): boolean {
  const id = String(protectedDoc.id);
  if (isObservable(protectedDoc)) {
    const expected = expectedScoId(protectedDoc as Json & { type: string });
    return expected !== undefined && expected !== id;
  }
  return !hasRandomUuid(id) && !isKeyedObjectId(id, publisherTenantId, secret);
}
