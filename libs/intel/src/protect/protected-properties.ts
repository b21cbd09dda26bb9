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

// What the name of an individual's custom string property says it holds, first match first (an
// `x_mailing_address` is an address, an `x_email_name` an e-mail address): hashed as that kind.
const INDIVIDUAL_X_PROPS: ReadonlyArray<readonly [RegExp, ProtectedKind]> = [
  [ADDRESS_PROP, 'postal-address'],
  [/^x_[a-z0-9_]*e_?mail[a-z0-9_]*$/, 'email'],
  [/^x_[a-z0-9_]*phone[a-z0-9_]*$/, 'phone'],
  [/^x_[a-z0-9_]*name[a-z0-9_]*$/, 'person-name'],
];

export function individualXKind(prop: string): ProtectedKind | undefined {
  // An `x_…_ref(s)` is an identifier, whatever it is named after.
  return /_refs?$/.test(prop) ? undefined : INDIVIDUAL_X_PROPS.find(([re]) => re.test(prop))?.[1];
}

// Format characters (zero-width space, joiners, BOM …) that would let `indi\u200bvidual` pass for another class.
const FORMAT_CHARS = /\p{Cf}/gu;

/**
 * An identity's `identity_class` as compared: NFKC, without format characters, trimmed, lower-case.
 * The property is an open vocabulary and validation takes any string, so `Individual`, `INDIVIDUAL`
 * and ` individual ` must all be the one STIX means.
 */
export function identityClassOf(obj: Record<string, unknown>): string | undefined {
  const c = obj.identity_class;
  return typeof c === 'string' ? c.normalize('NFKC').replace(FORMAT_CHARS, '').trim().toLowerCase() : undefined;
}

/**
 * True for an identity that stands for a person (identity_class `individual`, in any case). An
 * identity of class `unknown` or none is not taken for one, whatever its name: it may be an
 * organisation, and its free text is only redacted like any other object's.
 */
export function isIndividual(obj: Record<string, unknown>): boolean {
  return obj.type === 'identity' && identityClassOf(obj) === 'individual';
}

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
 * name and its custom strings whose names say address, e-mail, phone or name (`x_home_address`,
 * `x_opencti_firstname`), and any `x_…address…` custom string of a location.
 */
export function protectedPropertiesOf(obj: Record<string, unknown>): ProtectedProperty[] {
  const type = obj.type as string;
  const out: ProtectedProperty[] = [];
  for (const p of BY_TYPE.get(type) ?? []) if (typeof obj[p.prop] === 'string') out.push(p);
  for (const prop of EMAIL_WHEN.get(type) ?? []) {
    const address = typeof obj[prop] === 'string' ? emailIn(type, obj[prop] as string) : undefined;
    if (address) out.push({ prop, kind: 'email', value: address });
  }
  if (isIndividual(obj)) {
    if (typeof obj.name === 'string') out.push({ prop: 'name', kind: 'person-name' });
    for (const key of Object.keys(obj)) {
      const kind = individualXKind(key);
      if (kind && typeof obj[key] === 'string') out.push({ prop: key, kind });
    }
  }
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
 * keyed by property (an identity's `name` and `x_…` properties are only ever there for an individual).
 */
export function protectedKindOfProperty(type: string, prop: string): ProtectedKind | undefined {
  if (type === 'identity') return prop === 'name' ? 'person-name' : individualXKind(prop);
  if (type === 'location' && ADDRESS_PROP.test(prop)) return 'postal-address';
  if (EMAIL_WHEN.get(type)?.includes(prop)) return 'email';
  return BY_TYPE.get(type)?.find((p) => p.prop === prop)?.kind;
}

/**
 * Free text of an individual identity, replaced wholesale: it describes a real person (possibly a
 * victim of identity theft), and the names and postal addresses prose holds cannot be found in it
 * reliably; the lookup never needed it.
 */
export const INDIVIDUAL_FREE_TEXT = ['contact_information', 'description'] as const;
