import type { ProtectedKind } from './protected-key';

/** A property that holds personal data, and the kind it is hashed as. */
export interface ProtectedProperty {
  prop: string;
  kind: ProtectedKind;
  /** The personal value in the property, when it is only part of it (the address of a mailto: URL). */
  value?: string;
}

// Which properties of which types carry personal data (DESIGN.md "Protected identifiers").
// Patterns may only test SCO properties; SDO entries (identity, location) apply to documents only.
const BY_TYPE: ReadonlyMap<string, readonly ProtectedProperty[]> = new Map<string, ProtectedProperty[]>([
  [
    'email-addr',
    [
      { prop: 'value', kind: 'email' },
      { prop: 'display_name', kind: 'person-name' },
    ],
  ],
  ['phone-number', [{ prop: 'value', kind: 'phone' }]],
  ['persona', [{ prop: 'persona_name', kind: 'person-name' }]],
  [
    'bank-account',
    [
      { prop: 'iban', kind: 'bank-account' },
      { prop: 'account_number', kind: 'bank-account' },
    ],
  ],
  ['user-account', [{ prop: 'display_name', kind: 'person-name' }]],
  ['location', [{ prop: 'street_address', kind: 'postal-address' }]],
]);

const ADDRESS_PROP = /^x_[a-z0-9_]*address[a-z0-9_]*$/;

// Properties that are personal data only when they hold an e-mail address: an account whose login
// or id is an address, a mailto: URL. Protected then as that address (hashed as an e-mail, so a
// lookup of the address finds them), left as they are otherwise (a handle, a web URL).
const EMAIL_WHEN: ReadonlyMap<string, readonly string[]> = new Map([
  ['user-account', ['user_id', 'account_login']],
  ['url', ['value']],
]);
const BARE_EMAIL = /^[^\s@:/?#]+@[^\s@:/?#]+\.[^\s@:/?#]+$/;

/** The e-mail address a value is, or (for `url`) the single address of a mailto: URL. */
export function emailIn(type: string, value: string): string | undefined {
  const text = value.trim();
  if (type === 'url') {
    const m = /^mailto:([^?#,;]+)(?:[?#].*)?$/i.exec(text);
    const address = m ? decodeSafely(m[1]) : undefined;
    return address && BARE_EMAIL.test(address) ? address : undefined;
  }
  return BARE_EMAIL.test(text) ? text : undefined;
}

function decodeSafely(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * The protected properties present on `obj`: the fixed list of its type, an individual identity's
 * name, and any `x_…address…` custom string of a location.
 */
export function protectedPropertiesOf(obj: Record<string, unknown>): ProtectedProperty[] {
  const type = obj.type as string;
  const out: ProtectedProperty[] = [];
  for (const p of BY_TYPE.get(type) ?? []) if (typeof obj[p.prop] === 'string') out.push(p);
  for (const prop of EMAIL_WHEN.get(type) ?? []) {
    const address = typeof obj[prop] === 'string' ? emailIn(type, obj[prop] as string) : undefined;
    if (address) out.push({ prop, kind: 'email', value: address });
  }
  if (type === 'identity' && obj.identity_class === 'individual' && typeof obj.name === 'string')
    out.push({ prop: 'name', kind: 'person-name' });
  if (type === 'location') {
    for (const key of Object.keys(obj))
      if (ADDRESS_PROP.test(key) && typeof obj[key] === 'string') out.push({ prop: key, kind: 'postal-address' });
  }
  return out;
}

/**
 * The protected property a pattern's `type:prop` test compares, if any (SCO types only); for the
 * properties that are personal only when they hold an e-mail address, only when `literal` does.
 */
export function protectedPatternProperty(type: string, prop: string, literal?: string): ProtectedProperty | undefined {
  if (type === 'location' || type === 'identity') return undefined;
  const fixed = BY_TYPE.get(type)?.find((p) => p.prop === prop);
  if (fixed) return fixed;
  if (!EMAIL_WHEN.get(type)?.includes(prop) || literal === undefined) return undefined;
  const address = emailIn(type, literal);
  return address ? { prop, kind: 'email', value: address } : undefined;
}

/**
 * The kind a property of a type is hashed as when protected — what protectedPropertiesOf would
 * find on a document of that type — or undefined. For readers of the protection extension (and legacy `x_cairn_protected`), which are
 * keyed by property (an identity's `name` is only ever there for an individual).
 */
export function protectedKindOfProperty(type: string, prop: string): ProtectedKind | undefined {
  if (type === 'identity' && prop === 'name') return 'person-name';
  if (type === 'location' && ADDRESS_PROP.test(prop)) return 'postal-address';
  if (EMAIL_WHEN.get(type)?.includes(prop)) return 'email';
  return BY_TYPE.get(type)?.find((p) => p.prop === prop)?.kind;
}

/** Free-text properties of an individual identity that may hold contact details: replaced wholesale. */
export const INDIVIDUAL_FREE_TEXT = ['contact_information'] as const;
