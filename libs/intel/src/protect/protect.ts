import { PROTECTED_PLACEHOLDER, asWritten, normaliseProtected, protectedKey, protectedRendering } from './protected-key';
import { protectionKeysOf, setProtectionKeys } from './protection-extension';
import { CAIRN_EXTENSION_DEFINITIONS } from '@cairn/stix';
import { INDIVIDUAL_FREE_TEXT, individualXKind, isIndividual, protectedPropertiesOf } from './protected-properties';
import { rewriteProtectedPattern } from './pattern-rewrite';

type Json = Record<string, unknown>;

export interface ProtectProblem {
  index: number;
  path: string;
  code: 'INVALID_IDENTIFIER' | 'UNPROTECTABLE_PATTERN';
  message: string;
}

export interface ProtectOutcome {
  /**
   * Raw protected values (as written and normalised), to scrub from every free-text field; also the
   * text of those that do not normalise (their object is refused or set aside, but the value is no
   * less personal where another object repeats it).
   */
  rawValues: Set<string>;
  /** Normalised (E.164) protected phone numbers, matched in free text in any format. */
  phones: Set<string>;
  problems: ProtectProblem[];
  /** Indices of objects whose personal data was protected here. */
  protectedIndices: Set<number>;
  /**
   * The keyed hash of every distinct personal value submitted (in properties and patterns; kept
   * raw or not; not those protected upstream): each one a guess the lookup quota is charged for,
   * keyed as checkIdentifiers keys it (kind and normalised value).
   */
  keys: Set<string>;
  /** Indices of objects that held personal data keyed here (a protected property or a pattern testing one): their ids are keyed too (keyed-id.ts). */
  keyedIndices: Set<number>;
}

/** The personal data of objects, as redaction needs it: the raw values and the phone numbers. */
export type PersonalData = Pick<ProtectOutcome, 'rawValues' | 'phones'>;

/**
 * Replaces personal data in the objects (in place) by its protected rendering (`<key>@protected.invalid`,
 * `protected:<key>`: see protectedRendering) and records the key in Cairn's protection property
 * extension (`{ extension_type, algorithm, <property>: <hex> }`); rewrites indicator patterns that
 * test it. With `keepRaw` (the publisher shares raw values with a closed audience) values and
 * patterns stay as they are and only the keys are added, so that lookups still match them.
 * Values already protected upstream (the rendering of the key beside it, or the legacy
 * "[protected]" beside a legacy `x_cairn_protected` key) are left alone, in the current form.
 */
export function protectObjects(objects: Json[], secret: string, keepRaw: boolean): ProtectOutcome {
  const out: ProtectOutcome = {
    rawValues: new Set(),
    phones: new Set(),
    problems: [],
    protectedIndices: new Set(),
    keys: new Set(),
    keyedIndices: new Set(),
  };
  objects.forEach((obj, index) => {
    const base = `$.objects[${index}]`;
    const claimed = protectionKeysOf(obj);
    const keys: Record<string, string> = {};
    let touched = false;
    for (const { prop, kind, value } of protectedPropertiesOf(obj)) {
      const raw = obj[prop] as string;
      // Protected upstream: kept only when the value is exactly the rendering of the key it claims.
      const key = claimed[prop];
      if (key !== undefined && (raw === protectedRendering(String(obj.type), kind, key) || raw === PROTECTED_PLACEHOLDER)) {
        keys[prop] = key;
        obj[prop] = protectedRendering(String(obj.type), kind, key);
        continue;
      }
      const n = normaliseProtected(kind, value ?? raw);
      // A login or URL that only looks like an address is scrubbed as text instead of refused.
      if (!n.ok && value !== undefined) continue;
      if (!n.ok) {
        const text = asWritten(raw);
        if (text) out.rawValues.add(text);
        out.problems.push({
          index,
          path: `${base}.${prop}`,
          code: 'INVALID_IDENTIFIER',
          message: `${prop} holds personal data that cannot be normalised: ${n.reason}`,
        });
        continue;
      }
      keys[prop] = protectedKey(kind, n.value, secret);
      out.keys.add(keys[prop]);
      out.rawValues.add(raw).add(n.value);
      if (value !== undefined) out.rawValues.add(value);
      if (kind === 'phone') out.phones.add(n.value);
      if (!keepRaw) obj[prop] = protectedRendering(String(obj.type), kind, keys[prop]);
      touched = true;
    }
    if (isIndividual(obj) && !keepRaw) {
      for (const prop of INDIVIDUAL_FREE_TEXT) if (typeof obj[prop] === 'string') obj[prop] = PROTECTED_PLACEHOLDER;
      wipeNestedCustomText(obj, out.rawValues);
    }
    // Keys claimed for properties the object does not protect are dropped with the legacy property.
    setProtectionKeys(obj, keys);
    if (touched) {
      out.protectedIndices.add(index);
      out.keyedIndices.add(index);
    }
    if (obj.type === 'indicator' && obj.pattern_type === 'stix' && typeof obj.pattern === 'string') {
      const rewrite = rewriteProtectedPattern(obj.pattern, secret);
      // Shared raw, the pattern stays as written: only what it tests is keyed (charged, and the id keyed).
      rewrite.keys.forEach((k) => out.keys.add(k));
      if (rewrite.keys.length > 0) out.keyedIndices.add(index);
      if (!keepRaw) {
        for (const p of rewrite.problems) out.problems.push({ index, path: `${base}.pattern`, ...p });
        rewrite.rawValues.forEach((v) => out.rawValues.add(v));
        rewrite.phones.forEach((v) => out.phones.add(v));
        if (rewrite.changed && rewrite.problems.length === 0) obj.pattern = rewrite.pattern;
      }
    }
  });
  return out;
}

/**
 * An individual's custom content below the top level — lists and objects under `x_…` properties,
 * and property extensions other than Cairn's — is not hashed property by property (protection
 * keys are per top-level property): every string in it is replaced with the placeholder, and those
 * under a key that names an address, e-mail, phone or name join the bundle's raw values, so that
 * they are redacted from the other objects too. Numbers and booleans stay.
 */
function wipeNestedCustomText(obj: Json, rawValues: Set<string>): void {
  const wipe = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      if (individualXKind(key.startsWith('x_') ? key : `x_${key}`)) rawValues.add(asWritten(value));
      return PROTECTED_PLACEHOLDER;
    }
    if (Array.isArray(value)) return value.map((v) => wipe(v, key));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, k === 'extension_type' ? v : wipe(v, k)]));
    return value;
  };
  for (const key of Object.keys(obj))
    if (key.startsWith('x_') && typeof obj[key] === 'object' && obj[key] !== null) obj[key] = wipe(obj[key], key);
  const extensions = obj.extensions;
  if (typeof extensions !== 'object' || extensions === null) return;
  for (const [id, ext] of Object.entries(extensions as Json))
    if (!CAIRN_EXTENSION_DEFINITIONS.has(id)) (extensions as Json)[id] = wipe(ext, id);
}
