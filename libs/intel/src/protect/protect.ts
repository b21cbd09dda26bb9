import { PROTECTED_ALGORITHM, PROTECTED_PLACEHOLDER, isProtectedKey, normaliseProtected, protectedKey } from './protected-key';
import { INDIVIDUAL_FREE_TEXT, protectedPropertiesOf } from './protected-properties';
import { rewriteProtectedPattern } from './pattern-rewrite';

type Json = Record<string, unknown>;

export interface ProtectProblem {
  index: number;
  path: string;
  code: 'INVALID_IDENTIFIER' | 'UNPROTECTABLE_PATTERN';
  message: string;
}

export interface ProtectOutcome {
  /** Raw protected values (as written and normalised), to scrub from every free-text field. */
  rawValues: Set<string>;
  /** Normalised (E.164) protected phone numbers, matched in free text in any format. */
  phones: Set<string>;
  problems: ProtectProblem[];
  /** Indices of objects that now carry x_cairn_protected. */
  protectedIndices: Set<number>;
}

/**
 * Replaces personal data in the objects (in place) by "[protected]" and records its keyed hash in
 * `x_cairn_protected` (`{ algorithm, <property>: <hex> }`); rewrites indicator patterns that test
 * it. With `keepRaw` (the publisher shares raw values with a closed audience) values and patterns
 * stay as they are and only the keys are added, so that lookups still match them.
 * Values already protected upstream ("[protected]" beside a key) are left alone.
 */
export function protectObjects(objects: Json[], secret: string, keepRaw: boolean): ProtectOutcome {
  const out: ProtectOutcome = { rawValues: new Set(), phones: new Set(), problems: [], protectedIndices: new Set() };
  objects.forEach((obj, index) => {
    const base = `$.objects[${index}]`;
    const keys = incomingKeys(obj.x_cairn_protected);
    let touched = false;
    if (obj.x_cairn_protected !== undefined && Object.keys(keys).length === 0) delete obj.x_cairn_protected;
    for (const { prop, kind, value } of protectedPropertiesOf(obj)) {
      const raw = obj[prop] as string;
      if (raw === PROTECTED_PLACEHOLDER && isProtectedKey(keys[prop])) continue;
      const n = normaliseProtected(kind, value ?? raw);
      // A login or URL that only looks like an address is scrubbed as text instead of refused.
      if (!n.ok && value !== undefined) continue;
      if (!n.ok) {
        out.problems.push({ index, path: `${base}.${prop}`, code: 'INVALID_IDENTIFIER', message: `${prop} holds personal data that cannot be normalised: ${n.reason}` });
        continue;
      }
      keys[prop] = protectedKey(kind, n.value, secret);
      out.rawValues.add(raw).add(n.value);
      if (value !== undefined) out.rawValues.add(value);
      if (kind === 'phone') out.phones.add(n.value);
      if (!keepRaw) obj[prop] = PROTECTED_PLACEHOLDER;
      touched = true;
    }
    if (obj.type === 'identity' && obj.identity_class === 'individual' && !keepRaw) {
      for (const prop of INDIVIDUAL_FREE_TEXT) if (typeof obj[prop] === 'string') obj[prop] = PROTECTED_PLACEHOLDER;
    }
    if (touched || Object.keys(keys).length > 0) {
      obj.x_cairn_protected = { algorithm: PROTECTED_ALGORITHM, ...keys };
      if (touched) out.protectedIndices.add(index);
    }
    if (!keepRaw && obj.type === 'indicator' && obj.pattern_type === 'stix' && typeof obj.pattern === 'string') {
      const rewrite = rewriteProtectedPattern(obj.pattern, secret);
      for (const p of rewrite.problems) out.problems.push({ index, path: `${base}.pattern`, ...p });
      rewrite.rawValues.forEach((v) => out.rawValues.add(v));
      rewrite.phones.forEach((v) => out.phones.add(v));
      if (rewrite.changed && rewrite.problems.length === 0) obj.pattern = rewrite.pattern;
    }
  });
  return out;
}

/**
 * The keys an incoming object already carries (a bundle Cairn exported): only `<property>: <hex
 * key>` entries survive, so x_cairn_protected cannot smuggle other text past protection.
 */
function incomingKeys(existing: unknown): Record<string, string> {
  const keys: Record<string, string> = {};
  if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) return keys;
  const entries = Object.entries(existing as Record<string, unknown>);
  if (!entries.some(([k, v]) => k === 'algorithm' && v === PROTECTED_ALGORITHM)) return keys;
  for (const [k, v] of entries) if (k !== 'algorithm' && /^[a-z0-9_]{1,250}$/.test(k) && isProtectedKey(v)) keys[k] = v;
  return keys;
}
