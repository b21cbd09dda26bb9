import { CAIRN_PROTECTION_EXTENSION_ID, cairnExtension, removeCairnExtension, setCairnExtension } from '@cairn/stix';
import { PROTECTED_ALGORITHM, isProtectedKey } from './protected-key';

type Json = Record<string, unknown>;

/** The property that held the keys before they moved into a property extension; still read. */
export const LEGACY_PROTECTED_PROPERTY = 'x_cairn_protected';

const PROP_NAME = /^[a-z0-9_]{1,250}$/;

/**
 * The keys an object carries, by protected property: from the protection extension, or from the
 * legacy `x_cairn_protected`. Only `<property>: <hex key>` entries under the right algorithm count,
 * so that neither can smuggle other text past protection.
 */
export function protectionKeysOf(doc: Json): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const source of [doc[LEGACY_PROTECTED_PROPERTY], cairnExtension(doc, CAIRN_PROTECTION_EXTENSION_ID)]) {
    if (typeof source !== 'object' || source === null || Array.isArray(source)) continue;
    const entries = Object.entries(source as Json);
    if (!entries.some(([k, v]) => k === 'algorithm' && v === PROTECTED_ALGORITHM)) continue;
    for (const [k, v] of entries) if (k !== 'algorithm' && k !== 'extension_type' && PROP_NAME.test(k) && isProtectedKey(v)) keys[k] = v;
  }
  return keys;
}

/** Writes the keys into the protection extension (replacing it), and drops the legacy property. */
export function setProtectionKeys(doc: Json, keys: Record<string, string>): void {
  delete doc[LEGACY_PROTECTED_PROPERTY];
  removeCairnExtension(doc, CAIRN_PROTECTION_EXTENSION_ID);
  if (Object.keys(keys).length > 0) setCairnExtension(doc, CAIRN_PROTECTION_EXTENSION_ID, { algorithm: PROTECTED_ALGORITHM, ...keys });
}

/** Drops whatever protection an incoming object claims (its keys are not trusted without the values). */
export function clearProtection(doc: Json): void {
  setProtectionKeys(doc, {});
}
