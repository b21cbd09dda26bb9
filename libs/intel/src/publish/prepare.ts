import {
  CAIRN_EXTENSION_DEFINITIONS,
  CAIRN_IDENTITY_ID,
  canonicalJson,
  categoryOf,
  compareTlp,
  expectedScoId,
  isTlpMarkingRef,
  tlpFromMarkingDefinition,
  parseStixId,
  tlpFromMarkingRefs,
  tlpMarkingRef,
  tlpOfMarkingRef,
  validate,
  validateBundle,
  type StixIssue,
  type Tlp,
  versionKey,
} from '@cairn/stix';
import { isCellIdentityId } from '@cairn/tenancy';
import { describesPublisher, outgoingIdentityId, publisherTerms, type PublisherFacts } from '../anonymise/identities';
import { collectPhones, payloadNamesSomeone, scrubObject } from '../anonymise/scrub';
import { PhoneMatcher, TermMatcher, camelCaseTerms } from '../anonymise/term-matcher';
import { isKeyedObjectId, keyedObjectId } from '../protect/keyed-id';
import { PROTECTED_PLACEHOLDER } from '../protect/protected-key';
import { protectionKeysOf } from '../protect/protection-extension';
import { protectObjects, type PersonalData, type ProtectOutcome } from '../protect/protect';
import { protectedPropertiesOf } from '../protect/protected-properties';
import { forEachRef, rewriteRefs } from './references';
import type { PublishIssueCode } from '../intel.errors';
import type { ObjectOutcome, PublishIssue } from './publish.types';

type Json = Record<string, unknown>;

export interface PrepareInput {
  /** Taken over: its objects are rewritten in place. */
  bundle: unknown;
  publisher: PublisherFacts;
  /** The publishing tenant: objects that held personal data are stored under ids keyed for it (keyed-id.ts). */
  publisherTenantId: string;
  /** The sharing TLP every stored object is marked with. */
  tlp: Tlp;
  /** The publisher shares personal data raw (closed audience, TLP:AMBER or stricter). */
  keepRaw: boolean;
  secret: string;
  maxObjects: number;
  /**
   * The personal data of the whole bundle as submitted, when this is one try at part of it (repair
   * mode), or one batch of a larger one (CLI import): an object left out still names a person that
   * the objects in this one may repeat.
   */
  submittedPersonalData?: readonly PersonalData[];
}

/** One object ready to store, with the outcome it will report. */
export interface PreparedObject {
  outcome: ObjectOutcome;
  doc: Json;
  /** The version (modified, or created, or the epoch for observables) as its versionKey. */
  version: string;
  observable: boolean;
}

export interface Prepared {
  outcomes: ObjectOutcome[];
  objects: PreparedObject[];
  issues: PublishIssue[];
  /** References to objects outside the bundle, which must exist and be visible to the publisher. */
  externalRefs: Map<string, { objectId: string | null; path: string }>;
  /**
   * The keyed hash of each distinct personal value the bundle's objects submitted
   * (ProtectOutcome.keys): each is rendered or stored, so each is charged to the lookup quota as a lookup.
   */
  protectedKeys: ReadonlySet<string>;
}

const EPOCH = '1970-01-01T00:00:00.000Z';
const EPOCH_KEY = versionKey(EPOCH);
const WELL_KNOWN = new Set([CAIRN_IDENTITY_ID, ...CAIRN_EXTENSION_DEFINITIONS.keys()]);

/** True for cyber-observables, including custom ones (which, unlike custom SDOs, carry no `created`). */
export function isObservable(obj: Json): boolean {
  const category = categoryOf(String(obj.type));
  return category === 'sco' || (category === undefined && obj.created === undefined);
}

/** The version of an object as stored: `modified`, else `created`, else the epoch (observables are not versioned). */
export function versionOf(doc: Json): string {
  const v = (doc.modified ?? doc.created) as string | undefined;
  return v ? versionKey(v) : EPOCH_KEY;
}

/** The version as the object itself writes it, which is what clients are shown. */
function versionText(doc: Json): string {
  return ((doc.modified ?? doc.created) as string | undefined) ?? EPOCH;
}

/**
 * The pure part of publishing: validates a bundle in full, then anonymises it for storage —
 * drops the well-known TLP definitions and identities of the publisher, checks and sets the TLP
 * marking, protects personal data, scrubs free text, keys the ids of objects that held personal
 * data for the publisher, recomputes deterministic observable ids and rewrites every reference to match, and attributes each object to the exchange (or the named
 * publisher). Anything wrong is reported in `issues` and nothing must then be stored.
 *
 * Every problem of a bundle is reported at once: an object that fails validation goes no further
 * through the steps (its content cannot be trusted to anonymise), but the others do, and its
 * references are still checked against the database.
 */
export function preparePublication(input: PrepareInput): Prepared {
  const checked = checkBundle(input);
  if ('rejected' in checked) return checked.rejected;
  const run = startRun(input, checked.objects, checked.issues);
  const candidates = setAsideServedObjects(run); // 1
  refuseStricterMarkings(run, candidates); // 2
  const kept = protectPersonalData(run, candidates); // 3
  const redacted = redact(run, kept); // 4
  keyProtectedObjectIds(run, kept); // 5
  deriveObservableIds(run, kept); // 6
  attributeAndMark(run, kept); // 7
  refuseInvalidAfterRedaction(run, kept, redacted); // 8
  return collect(run, kept); // 9
}

/** One bundle on its way through the steps: its objects (rewritten in place) and what is reported of them. */
interface Run {
  input: PrepareInput;
  objects: Json[];
  issues: PublishIssue[];
  /** Objects that failed validation, or are not objects at all. */
  invalid: Set<number>;
  /** Each object's id as submitted (null where it has none). */
  submittedIds: Array<string | null>;
  outcomes: ObjectOutcome[];
  /** The identity objects are attributed to: the exchange's, or the named publisher's. */
  outgoing: string;
  /** Submitted ids and what references to them become. */
  idMap: Map<string, string>;
  terms: TermMatcher;
  problem(index: number, path: string, code: PublishIssueCode, message: string): void;
}

/** What is left to store after step 3, with what personal data was found in it. */
interface Kept {
  /** Indices into the bundle's objects. */
  indices: number[];
  objects: Json[];
  /** Objects with a problem so far: no further step rewrites them, only their references are checked (step 8). */
  rejected: number[];
  /** Kept objects whose personal data was protected. */
  protectedIndices: Set<number>;
  /** Kept objects that held personal data keyed here, in a property or a pattern (kept raw or not). */
  keyedIndices: Set<number>;
  protection: ProtectOutcome;
  /** What redaction removes: the personal data of every object of the bundle, kept or not (and of the whole submitted bundle). */
  personal: PersonalData;
}

/** The bundle's size, its validation, and whether it has anything to publish; `rejected` when nothing can go further. */
function checkBundle(input: PrepareInput): { objects: Json[]; issues: PublishIssue[] } | { rejected: Prepared } {
  const issues: PublishIssue[] = [];
  const rejected: Prepared = { outcomes: [], objects: [], issues, externalRefs: new Map(), protectedKeys: new Set() };
  const bundle = input.bundle as Json;
  const list = bundle && typeof bundle === 'object' && Array.isArray(bundle.objects) ? (bundle.objects as unknown[]) : undefined;
  if (list && list.length > input.maxObjects) {
    issues.push({
      objectId: null,
      path: '$.objects',
      code: 'LIMIT_EXCEEDED',
      message: `a bundle may hold at most ${input.maxObjects} objects (got ${list.length})`,
    });
    return { rejected };
  }
  issues.push(
    ...validateBundle(bundle)
      .filter((i) => !isAlreadyProtected(list, i))
      .map(toIssue),
  );
  if (!list || list.length === 0) {
    if (issues.length === 0)
      issues.push({ objectId: null, path: '$.objects', code: 'EMPTY_VALUE', message: 'the bundle has no objects to publish' });
    return { rejected };
  }
  return { objects: list as Json[], issues };
}

function startRun(input: PrepareInput, objects: Json[], issues: PublishIssue[]): Run {
  const invalid = invalidIndices(objects, issues);
  const submittedIds = objects.map((o) => (isRecord(o) && typeof o.id === 'string' ? o.id : null));
  const outcomes: ObjectOutcome[] = objects.map((o, index) => ({
    index,
    id: String(submittedIds[index] ?? ''),
    type: String(isRecord(o) ? o.type : ''),
    status: invalid.has(index) ? 'REJECTED' : 'CREATED',
  }));
  return {
    input,
    objects,
    issues,
    invalid,
    submittedIds,
    outcomes,
    outgoing: outgoingIdentityId(input.publisher),
    idMap: new Map(),
    terms: new TermMatcher(publisherTerms(input.publisher)),
    problem: (index, path, code, message) => issues.push({ objectId: submittedIds[index], path, code, message }),
  };
}

/**
 * The personal data in `entries` — each of them, valid or not, stored or not — that redaction
 * removes from the rest of a bundle: what protectObjects finds, and phone numbers in free text.
 * The entries are left unchanged. A value is personal wherever the bundle holds it, so the text of
 * the objects that are stored must lose it even when the object it came from is refused or set aside.
 */
export function personalDataOf(entries: readonly unknown[], secret: string): PersonalData {
  const out: PersonalData = { rawValues: new Set(), phones: new Set() };
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const copy = structuredClone(entry);
    let found: ProtectOutcome;
    try {
      found = protectObjects([structuredClone(copy)], secret, false);
    } catch {
      // An invalid object's pattern may not parse: its protected properties still count.
      const { pattern: _pattern, ...rest } = copy;
      found = protectObjects([rest], secret, false);
    }
    found.rawValues.forEach((v) => out.rawValues.add(v));
    found.phones.forEach((v) => out.phones.add(v));
    collectPhones(copy, out.phones);
  }
  return out;
}

/**
 * 1. What the exchange serves itself (TLP definitions, its extension definitions, its own and the
 * crowd cells' identities), and what would name the publisher, is skipped; returns the rest.
 */
function setAsideServedObjects(run: Run): number[] {
  const { input, outcomes, outgoing } = run;
  const kept: number[] = [];
  run.objects.forEach((obj, i) => {
    if (run.invalid.has(i)) return;
    const skip = (reason: string) => Object.assign(outcomes[i], { status: 'SKIPPED', reason });
    if (obj.type === 'marking-definition' && (isTlpMarkingRef(obj.id) || tlpFromMarkingDefinition(obj) !== undefined)) {
      skip('TLP marking definitions are well-known; the exchange serves them');
    } else if (CAIRN_EXTENSION_DEFINITIONS.has(obj.id as string)) {
      skip('the definitions of Cairn extensions are served by the exchange');
    } else if (isCellIdentityId(obj.id as string)) {
      // Sightings point at these to stand for every member of a crowd cell: a member's own document
      // under one would pin the anonymous reporters on whoever it names.
      skip('the identities of crowd cells (where_sighted_refs) are the exchange’s own; the exchange serves them');
    } else if (describesPublisher(obj, input.publisher, run.terms)) {
      skip(
        'identity of the publisher: objects are attributed to ' +
          (outgoing === CAIRN_IDENTITY_ID ? 'the exchange' : 'the named publisher identity'),
      );
      run.idMap.set(obj.id as string, outgoing);
    } else kept.push(i);
  });
  return kept;
}

/** 2. TLP: markings stricter than the sharing TLP would be widened by storing them; refuse. */
function refuseStricterMarkings(run: Run, kept: readonly number[]): void {
  const { tlp } = run.input;
  for (const i of kept) {
    const obj = run.objects[i];
    const level = tlpFromMarkingRefs(obj.object_marking_refs);
    if (level && compareTlp(level, tlp) > 0) {
      run.problem(
        i,
        `$.objects[${i}].object_marking_refs`,
        'TLP_ABOVE_SHARING',
        `marked TLP:${level}, stricter than the sharing TLP:${tlp}; share it with TLP:${level} or remove the marking`,
      );
    }
    const granular = Array.isArray(obj.granular_markings) ? (obj.granular_markings as Json[]) : [];
    granular.forEach((g, k) => {
      const gl = tlpOfMarkingRef(g.marking_ref);
      if (gl && compareTlp(gl, tlp) > 0) {
        run.problem(
          i,
          `$.objects[${i}].granular_markings[${k}].marking_ref`,
          'TLP_ABOVE_SHARING',
          `part of the object is marked TLP:${gl}, stricter than the sharing TLP:${tlp}`,
        );
      }
    });
  }
}

/** 3. Personal data: keyed hashes instead of values, in documents and patterns. Objects with a problem so far are rejected here. */
function protectPersonalData(run: Run, candidates: readonly number[]): Kept {
  const { objects, outcomes } = run;
  const withIssue = invalidIndices(objects, run.issues);
  const marked = candidates.filter((i) => !withIssue.has(i));
  const protection = protectObjects(
    marked.map((i) => objects[i]),
    run.input.secret,
    run.input.keepRaw,
  );
  const unprotectable = new Set<number>();
  for (const p of protection.problems) {
    const i = marked[p.index];
    unprotectable.add(i);
    run.problem(i, p.path.replace(/^\$\.objects\[\d+\]/, `$.objects[${i}]`), p.code, p.message);
  }
  // Objects with a problem so far are left out of redaction and ids, so that nothing half-rewritten
  // is taken for the submitted object; only their references are still checked (step 8).
  const rejected = objects.map((_o, i) => i).filter((i) => withIssue.has(i) || unprotectable.has(i));
  for (const i of rejected) outcomes[i].status = 'REJECTED';
  const protectedIndices = new Set([...protection.protectedIndices].map((k) => marked[k]).filter((i) => !unprotectable.has(i)));
  const keyedIndices = new Set([...protection.keyedIndices].map((k) => marked[k]).filter((i) => !unprotectable.has(i)));
  const indices = marked.filter((i) => !unprotectable.has(i));
  // Objects refused or set aside are not stored, but what they say is personal stays personal where kept objects repeat it.
  const markedSet = new Set(marked);
  const personal = mergePersonalData([
    protection,
    personalDataOf(
      objects.filter((_o, i) => !markedSet.has(i)),
      run.input.secret,
    ),
    ...(run.input.submittedPersonalData ?? []),
  ]);
  return { indices, objects: indices.map((i) => objects[i]), rejected, protectedIndices, keyedIndices, protection, personal };
}

/**
 * 4. Redaction: one walk over every string and key of every kept object. Personal data found in
 * any object of the bundle, kept or not (and any phone written anywhere in it), goes in every
 * format it is written in; e-mail addresses, phone numbers and IBANs go wherever they are;
 * the publisher's terms go too.
 */
function redact(run: Run, kept: Kept): Set<number> {
  const rewritten = new Set<number>();
  const { keepRaw } = run.input;
  const phones = new PhoneMatcher(keepRaw ? [] : kept.personal.phones);
  if (!keepRaw) for (const obj of kept.objects) collectPhones(obj, phones);
  const rules = {
    personal: new TermMatcher(keepRaw ? [] : kept.personal.rawValues, { standalone: true }),
    phones,
    publisher: run.terms,
    publisherInCamelCase: new TermMatcher(camelCaseTerms(publisherTerms(run.input.publisher))),
  };
  kept.objects.forEach((obj, k) => {
    // Shared raw (closed audience): the protected values and patterns stay as the publisher wrote them.
    const raw = keepRaw ? rawProperties(obj) : [];
    const id = obj.id as string;
    const payload = obj.type === 'artifact' && typeof obj.payload_bin === 'string' ? obj.payload_bin : undefined;
    if (payload !== undefined && payloadNamesSomeone(payload, rules)) {
      run.problem(
        kept.indices[k],
        `$.objects[${kept.indices[k]}].payload_bin`,
        'INVALID_VALUE',
        "the payload holds the publisher's name, a domain or term, or personal data in binary content or encoded content (a base64 or quoted-printable MIME part, an encoded header word), where it cannot be removed: leave the payload out (hashes only) or decode those parts",
      );
      run.outcomes[kept.indices[k]].status = 'REJECTED';
    }
    if (scrubObject(obj, rules)) rewritten.add(kept.indices[k]);
    // A payload scrubbed of names no longer has the hashes given for it (nor should it: they are of the text with the names).
    if (payload !== undefined && obj.payload_bin !== payload) delete obj.hashes;
    for (const [prop, value] of raw) obj[prop] = value;
    // A custom type named after the publisher is renamed, in its id too (references in the bundle follow, scrubbed alike).
    if (obj.id !== id) {
      const o = run.outcomes[kept.indices[k]];
      o.correctedFrom ??= id;
      o.reason = 'the type named the publisher: it is redacted, in the id too';
      o.id = obj.id as string;
      o.type = obj.type as string;
      run.idMap.set(id, obj.id as string);
    }
  });
  return rewritten;
}

/**
 * 8. What redaction rewrote must still be STIX 2.1 as served: a URL on the publisher's own domain
 * ("https://sso.[redacted]/login"), a hash or language tag that is one of its redaction terms, would
 * otherwise reach every member's SIEM as an object strict consumers refuse (and that the exchange
 * itself refuses on input). Such an object is refused, naming the property, like any invalid one.
 */
function refuseInvalidAfterRedaction(run: Run, kept: Kept, rewritten: ReadonlySet<number>): void {
  kept.objects.forEach((obj, k) => {
    const i = kept.indices[k];
    if (!rewritten.has(i)) return;
    // Legacy "[protected]" values of a re-imported export are the exchange's own (isAlreadyProtected).
    const issues = validate(obj).filter((issue) => !isLegacyProtected(obj, issue.path));
    if (issues.length === 0) return;
    for (const issue of issues) {
      run.problem(
        i,
        issue.path.replace(/^\$/, `$.objects[${i}]`),
        issue.code,
        `${issue.message}, once the publisher's name, domains and redaction terms were removed from it: leave them out of this property`,
      );
    }
    run.outcomes[i].status = 'REJECTED';
  });
}

function isLegacyProtected(obj: Json, path: string): boolean {
  const m = /^\$\.([a-z_]+)$/.exec(path);
  return !!m && obj[m[1]] === PROTECTED_PLACEHOLDER && protectionKeysOf(obj)[m[1]] !== undefined;
}

/**
 * 5. Objects (not observables) that held personal data get an id keyed for the publisher
 * (keyed-id.ts): a submitted id may be derived from the raw value (OpenCTI's indicator ids are
 * uuidv5 of the pattern) and would give it back to anyone who sees the object. Every object of the
 * bundle with that id (its other versions) moves with it, and references follow (step 7). An id the
 * exchange already keyed for this publisher (a new version of what it got back) is kept.
 */
function keyProtectedObjectIds(run: Run, kept: Kept): void {
  const { secret, publisherTenantId } = run.input;
  const keyed = new Map<string, string>();
  kept.objects.forEach((obj, k) => {
    const id = obj.id as string;
    if (isObservable(obj) || !kept.keyedIndices.has(kept.indices[k]) || keyed.has(id)) return;
    if (!isKeyedObjectId(id, publisherTenantId, secret)) keyed.set(id, keyedObjectId(id, publisherTenantId, secret));
  });
  if (keyed.size === 0) return;
  kept.objects.forEach((obj, k) => {
    const to = isObservable(obj) ? undefined : keyed.get(obj.id as string);
    if (to === undefined) return;
    const o = run.outcomes[kept.indices[k]];
    o.correctedFrom ??= obj.id as string;
    o.reason =
      'personal data: the id is keyed for this publisher, so that it tells nothing of the id submitted (which may be derived from the raw value)';
    obj.id = to;
    o.id = to;
  });
  for (const [from, to] of keyed) run.idMap.set(from, to);
}

/**
 * 6. Deterministic observable ids, from what is now stored (protected renderings in place of
 * protected values). An id may contribute to another's (email-message's from_ref): references
 * follow each round, and ids are recomputed until none changes, so every id is true to what is served.
 */
function deriveObservableIds(run: Run, kept: Kept): void {
  const changed = new Map<string, string>();
  for (let round = 0; round <= kept.objects.length; round++) {
    const now = new Map<string, string>();
    kept.objects.forEach((obj, k) => {
      if (!isObservable(obj)) return;
      const expected = expectedScoId(obj as Json & { type: string });
      if (expected === undefined || expected === obj.id) return;
      const o = run.outcomes[kept.indices[k]];
      o.correctedFrom ??= obj.id as string;
      o.reason =
        kept.protectedIndices.has(kept.indices[k]) && !run.input.keepRaw
          ? 'personal data: the id is derived from the protected value (its keyed hash), not the raw value'
          : 'the deterministic id of this observable differs from the one submitted';
      now.set(obj.id as string, expected);
      obj.id = expected;
      o.id = expected;
    });
    if (now.size === 0) break;
    for (const obj of kept.objects) rewriteRefs(obj, now);
    for (const [from, to] of changed) if (now.has(to)) changed.set(from, now.get(to)!);
    for (const [from, to] of now) changed.set(from, to);
  }
  for (const [from, to] of changed) run.idMap.set(from, to);
}

/** 7. References, attribution and the TLP marking. */
function attributeAndMark(run: Run, kept: Kept): void {
  const tlpRef = tlpMarkingRef(run.input.tlp);
  for (const obj of kept.objects) {
    rewriteRefs(obj, run.idMap);
    const observable = isObservable(obj);
    if (!observable) obj.created_by_ref = run.outgoing;
    if (obj.type !== 'marking-definition') {
      const others = Array.isArray(obj.object_marking_refs) ? (obj.object_marking_refs as string[]).filter((r) => !isTlpMarkingRef(r)) : [];
      obj.object_marking_refs = [tlpRef, ...new Set(others)];
    }
  }
}

/** 8. Outcomes, repeated versions, and what the bundle points at outside itself. */
function collect(run: Run, kept: Kept): Prepared {
  const { objects, outcomes, submittedIds, outgoing } = run;
  const inBundle = new Set([...kept.objects.map((o) => o.id as string), ...submittedIds.filter((id): id is string => id !== null)]);
  const externalRefs: Prepared['externalRefs'] = new Map();
  const external = (i: number) => (ref: string, path: string) => {
    if (inBundle.has(ref) || isTlpMarkingRef(ref) || WELL_KNOWN.has(ref) || ref === outgoing || externalRefs.has(ref) || !parseStixId(ref))
      return;
    externalRefs.set(ref, { objectId: submittedIds[i], path });
  };
  for (const i of kept.rejected) if (isRecord(objects[i])) forEachRef(objects[i], external(i), `$.objects[${i}]`);
  const seen = new Map<string, Json>();
  const prepared: PreparedObject[] = [];
  kept.objects.forEach((doc, k) => {
    const i = kept.indices[k];
    const version = versionOf(doc);
    const key = `${doc.id as string}|${version}`;
    outcomes[i].modified = versionText(doc);
    const earlier = seen.get(key);
    if (earlier) {
      if (canonicalJson(earlier) !== canonicalJson(doc)) {
        // Two different objects claiming one version: storing either would silently drop the other.
        const issue: PublishIssue = {
          objectId: submittedIds[i],
          path: `$.objects[${i}]`,
          code: 'DUPLICATE_VERSION',
          message: 'another object in the bundle has the same id and modified but different content',
        };
        run.issues.push(issue);
        Object.assign(outcomes[i], { status: 'REJECTED', errors: [...(outcomes[i].errors ?? []), issue] });
        return;
      }
      Object.assign(outcomes[i], { status: 'UNCHANGED', reason: outcomes[i].reason ?? 'the same version appears earlier in the bundle' });
      return;
    }
    seen.set(key, doc);
    forEachRef(doc, external(i), `$.objects[${i}]`);
    prepared.push({ outcome: outcomes[i], doc, version, observable: isObservable(doc) });
  });
  return { outcomes, objects: prepared, issues: run.issues, externalRefs, protectedKeys: kept.protection.keys };
}

/** Objects with a validation issue of their own (a path below `$.objects[i]`), and entries that are not objects at all. */
function invalidIndices(objects: unknown[], issues: readonly PublishIssue[]): Set<number> {
  const out = new Set<number>();
  objects.forEach((o, i) => !isRecord(o) && out.add(i));
  for (const issue of issues) {
    const m = /^\$\.objects\[(\d+)\]/.exec(issue.path);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

function mergePersonalData(parts: readonly PersonalData[]): PersonalData {
  const out: PersonalData = { rawValues: new Set(), phones: new Set() };
  for (const p of parts) {
    p.rawValues.forEach((v) => out.rawValues.add(v));
    p.phones.forEach((v) => out.phones.add(v));
  }
  return out;
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The values a raw share keeps as written: its protected properties and a STIX pattern. */
function rawProperties(obj: Json): Array<[string, unknown]> {
  const props = protectedPropertiesOf(obj).map((p) => p.prop);
  if (obj.type === 'indicator' && obj.pattern_type === 'stix') props.push('pattern');
  return props.map((p) => [p, obj[p]]);
}

function toIssue(i: StixIssue): PublishIssue {
  return { objectId: i.objectId, path: i.path, code: i.code, message: i.message };
}

// A bundle exported from Cairn before protected values were schema-valid carries "[protected]" where an e-mail address (say) was; such a
// value fails STIX's own format check but is what the exchange itself produced, so it passes.
const PROP_PATH = /^\$\.objects\[(\d+)\]\.([a-z_]+)$/;
function isAlreadyProtected(list: unknown[] | undefined, issue: StixIssue): boolean {
  const m = PROP_PATH.exec(issue.path);
  if (!m || !list) return false;
  const obj = list[Number(m[1])] as Json | undefined;
  return obj?.[m[2]] === PROTECTED_PLACEHOLDER && !!obj && protectionKeysOf(obj)[m[2]] !== undefined;
}
