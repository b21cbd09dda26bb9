import {
  forEachComparison,
  formatPattern,
  isKnownType,
  isSchemaProperty,
  isStructuralValue,
  isValidTypeName,
  parseStixId,
  structuralKindOf,
  tryParsePattern,
  type Literal,
} from '@cairn/stix';
import { PROTECTED_PLACEHOLDER, keyOfRendering } from '../protect/protected-key';
import { fold, type Folded } from './fold';
import { payloadNamesSomeone as payloadHoldsNames, scrubPayload } from './payload';
import { findPersonal, findPhones } from './personal-text';
import { PhoneMatcher, TermMatcher, type Span } from './term-matcher';

type Json = Record<string, unknown>;

export const REDACTED = '[redacted]';
// In keys the markers are plain words, so that a key that was a valid property name or
// dictionary key (a-z, 0-9, _, -) stays one.
const REDACTED_KEY = 'redacted';
const PROTECTED_KEY = 'protected';
const MAX_KEY = 250;

export interface ScrubRules {
  /** Personal values known from the bundle (names, addresses, accounts, e-mails): standalone tokens. */
  personal: TermMatcher;
  /** Phone numbers known from the bundle, found in any format. */
  phones: PhoneMatcher;
  /** The publisher's name, domains and redaction terms. */
  publisher: TermMatcher;
  /** Those of them also found inside camelCase words ("UmbrellaPharmaSOC"): camelCaseTerms. */
  publisherInCamelCase?: TermMatcher;
}

interface Marked extends Span {
  personal: boolean;
}

/**
 * One string with personal data replaced by "[protected]" (or `protected` in keys) and the
 * publisher's terms by "[redacted]" (`redacted`): every match is found in the folded text first,
 * overlapping matches are merged (personal data wins), then the original is rewritten once.
 */
export function scrubText(text: string, rules: ScrubRules, inKey = false): string {
  if (text.length === 0) return text;
  const folded = fold(text);
  const marks: Marked[] = [];
  /** The bundle's known values and the publisher's terms, found in one reading of the text. */
  const markKnown = (reading: Folded) => {
    for (const s of rules.phones.spans(reading)) marks.push({ ...s, personal: true });
    for (const s of rules.personal.spans(reading)) marks.push({ ...s, personal: true });
    for (const s of rules.publisher.spans(reading)) marks.push({ ...s, personal: false });
  };
  for (const s of findPersonal(folded).spans) marks.push({ ...s, personal: true });
  markKnown(folded);
  if (text.includes('\\')) {
    // A second reading with backslash escapes decoded (a pattern's regular expression, a pasted log);
    // the first keeps Windows paths' names whole.
    const unescaped = fold(text, { readEscapes: true });
    if (unescaped.text !== folded.text) markKnown(unescaped);
  }
  if (rules.publisherInCamelCase?.mayMatchSplit(folded)) {
    const camel = fold(text, { splitCamel: true });
    if (camel.text !== folded.text) for (const s of rules.publisherInCamelCase.spans(camel)) marks.push({ ...s, personal: false });
  }
  if (marks.length === 0) return text;
  marks.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let i = 0; i < marks.length;) {
    const { start } = marks[i];
    let { end, personal } = marks[i];
    for (i++; i < marks.length && marks[i].start < end; i++) {
      end = Math.max(end, marks[i].end);
      personal ||= marks[i].personal;
    }
    const marker = inKey ? (personal ? PROTECTED_KEY : REDACTED_KEY) : personal ? PROTECTED_PLACEHOLDER : REDACTED;
    out += text.slice(at, start) + marker;
    at = end;
  }
  return out + text.slice(at);
}

/** Collects the international phone numbers written anywhere in an object (first pass, before scrubbing). */
export function collectPhones(obj: Json, into: { add(e164: string): void }): void {
  const type = String(obj.type);
  walk(
    obj,
    type,
    (s) => {
      for (const p of findPhones(fold(s)).phones) into.add(p);
      return s;
    },
    (k) => k,
  );
}

/**
 * The one redaction walk over a STIX object, in place: every string value and every key, at any
 * depth (nested objects, lists, extensions, custom properties), is scrubbed — except whole values
 * that are protected renderings (see protectedRendering), and values the
 * STIX schema types as timestamps or identifiers that really are one (id, *_ref(s), created,
 * valid_from …; see structuralKindOf in @cairn/stix). STIX patterns are scrubbed literal by
 * literal and property by property, so that they still parse. True when anything was rewritten.
 */
export function scrubObject(obj: Json, rules: ScrubRules): boolean {
  let changed = false;
  const noted = (before: string, after: string) => {
    if (after !== before) changed = true;
    return after;
  };
  // A protected rendering (<key>@protected.invalid) looks like an address but names nobody, and is
  // what keeps protected values equal and their observables' ids true: it stays.
  const text = (s: string) => (keyOfRendering(s) !== undefined ? s : noted(s, scrubText(s, rules)));
  const key = (k: string) => noted(k, scrubKey(k, rules));
  const type = String(obj.type);
  // A property name the STIX schema defines at its place is the schema's word, not text: renamed,
  // the object would lose a required property ("target_ref" of a member named Target) or gain one
  // strict consumers refuse, and the new name would spell out what was removed.
  const schemaOr = (t: string, at: readonly string[], k: string) => {
    const next = scrubKey(k, rules);
    return next === k || isSchemaProperty(t, [...at, k]) ? k : noted(k, next);
  };
  const typeName = (t: string) => scrubTypeName(t, key);
  walk(
    obj,
    type,
    (s, path) => {
      if (path.length === 1 && path[0] === 'pattern' && obj.pattern_type === 'stix') return scrubStixPattern(s, text, schemaOr, typeName);
      // A granular marking's selectors name properties, which are renamed as keys are.
      if (path.length === 2 && path[0] === 'granular_markings' && path[1] === 'selectors') return scrubSelector(s, type, key);
      if (type === 'artifact' && path.length === 1 && path[0] === 'payload_bin') return scrubPayload(s, text);
      return text(s);
    },
    (k, at) => schemaOr(type, at, k),
    typeName,
  );
  return changed;
}

/**
 * True when an artifact payload holds what redaction removes where it cannot be cut out (binary
 * content, quoted-printable parts, encoded words): see payload.ts. Such an object is refused.
 */
export function payloadNamesSomeone(b64: string, rules: ScrubRules): boolean {
  return payloadHoldsNames(b64, {
    scrub: (t) => scrubText(t, rules),
    knownIn: (f) => [rules.publisher, rules.personal, rules.phones].some((m) => m.spans(f).length > 0),
  });
}

/**
 * A custom object type's name is the member's own text ("x-acme-corp-report"): scrubbed as a key
 * is, so that it stays a valid type name, wherever it is written (`type`, the id's prefix, every
 * reference, pattern object types) — the same way everywhere, so that references still resolve and
 * a new version gets the same id. The types the STIX schema (and Cairn) define stay.
 */
function scrubTypeName(type: string, key: (k: string) => string): string {
  if (isKnownType(type)) return type;
  const next = key(type);
  return next === type ? type : isValidTypeName(next) ? next : 'x-redacted';
}

// The same few keys (type, spec_version, description …) recur in every object: scrub each once per rule set.
const keyCache = new WeakMap<ScrubRules, Map<string, string>>();

function scrubKey(k: string, rules: ScrubRules): string {
  let cache = keyCache.get(rules);
  if (!cache) keyCache.set(rules, (cache = new Map()));
  const hit = cache.get(k);
  if (hit !== undefined) return hit;
  let next = scrubText(k, rules, true);
  if (next.length > MAX_KEY) next = next.slice(0, MAX_KEY);
  if (cache.size < 100_000) cache.set(k, next);
  return next;
}

type TextFn = (s: string, path: readonly string[]) => string;
/** Rewrites a key found at `path` (its parent's path). */
type KeyFn = (k: string, path: readonly string[]) => string;

function walk(obj: Json, type: string, text: TextFn, key: KeyFn, typeName: (t: string) => string = (t) => t): void {
  const path: string[] = [];
  const structural = (value: string): string => {
    const kind = structuralKindOf(type, path);
    if (kind === 'type-name') return typeName(value);
    if (kind !== 'identifier') return value;
    const id = parseStixId(value);
    if (!id) return value;
    const t = typeName(id.type);
    return t === id.type ? value : `${t}--${id.uuid}`;
  };
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return isStructuralValue(type, path, value) ? structural(value) : text(value, path);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i]);
      return value;
    }
    if (typeof value === 'object' && value !== null) rewriteObject(value as Json, path, visit, key);
    return value;
  };
  rewriteObject(obj, path, visit, key);
}

// The keys of an object's `extensions` that are extension-definition ids are identifiers and left
// as they are; an id-shaped key anywhere else is a key like any other ("<name>--<uuid>" names someone).
const EXTENSION_ID_KEY = /^extension-definition--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Visits the values of `o` and rewrites its keys. A rewritten key that collides with another key
 * (two terms redacted to the same word, or an existing `redacted_x`) gets the first free `_2`, `_3`
 * … suffix, in the object's key order, so the result is deterministic and every key stays valid.
 */
function rewriteObject(o: Json, path: string[], visit: (v: unknown) => unknown, key: KeyFn): void {
  const keys = Object.keys(o);
  const inExtensions = path.length === 1 && path[0] === 'extensions';
  const renamed = keys.map((k) => (inExtensions && EXTENSION_ID_KEY.test(k) ? k : key(k, path)));
  if (renamed.every((k, i) => k === keys[i])) {
    for (const k of keys) {
      path.push(k);
      o[k] = visit(o[k]);
      path.pop();
    }
    return;
  }
  const entries: Array<[string, unknown]> = [];
  const taken = new Set(keys.filter((k, i) => renamed[i] === k));
  keys.forEach((k, i) => {
    path.push(k);
    const value = visit(o[k]);
    path.pop();
    let name = renamed[i];
    if (name !== k) name = freeName(name, taken);
    taken.add(name);
    entries.push([name, value]);
  });
  for (const k of keys) delete o[k];
  for (const [k, v] of entries) o[k] = v;
}

function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const name = base.slice(0, MAX_KEY - suffix.length) + suffix;
    if (!taken.has(name)) return name;
  }
}

/** A selector's property names are renamed as the keys they select are (schema properties stay); list positions stay. */
function scrubSelector(selector: string, type: string, key: (k: string) => string): string {
  const names: string[] = [];
  return selector
    .split('.')
    .map((part) => {
      if (/^\[\d+\]$/.test(part)) return part;
      const next = isSchemaProperty(type, [...names, part]) ? part : key(part);
      names.push(part);
      return next;
    })
    .join('.');
}

/** Rewrites a property name of an object of `type` at `path` (its parent's names). */
type PathKeyFn = (type: string, path: readonly string[], k: string) => string;

/** Scrubs a STIX pattern's string literals and property names (not those the object type's schema defines), keeping it a valid pattern. */
function scrubStixPattern(pattern: string, text: (s: string) => string, key: PathKeyFn, typeName: (t: string) => string): string {
  const parsed = tryParsePattern(pattern);
  if (!parsed.ok) return text(pattern);
  let changed = false;
  const literal = (l: Literal) => {
    if (l.kind !== 'string' && l.kind !== 'binary') return;
    // A binary literal (b'…') is base64, like an artifact's payload: scrubbed when it is UTF-8 text.
    const next = l.kind === 'binary' ? scrubPayload(l.value, text) : text(l.value);
    if (next !== l.value) {
      l.value = next;
      changed = true;
    }
  };
  forEachComparison(parsed.ast, (c) => {
    const objectType = typeName(c.path.objectType);
    if (objectType !== c.path.objectType) {
      c.path.objectType = objectType;
      changed = true;
    }
    const names: string[] = [];
    for (const step of c.path.steps) {
      if (step.kind !== 'property') continue;
      const name = step.name;
      const next = name === 'x_cairn_protected' ? name : key(c.path.objectType, names, name);
      names.push(name);
      if (next !== name) {
        step.name = next;
        changed = true;
      }
    }
    if (c.kind === 'comparison') (Array.isArray(c.value) ? c.value : [c.value]).forEach(literal);
  });
  return changed ? formatPattern(parsed.ast) : pattern;
}

const NO_TERMS: ScrubRules = { personal: new TermMatcher([]), phones: new PhoneMatcher([]), publisher: new TermMatcher([]) };

/**
 * Text that echoes a member's input outside a STIX document (a refusal kept as a TAXII status, say)
 * with e-mail addresses, phone numbers and IBANs in it replaced by "[protected]".
 */
export function scrubPersonalText(text: string): string {
  return scrubText(text, NO_TERMS);
}
