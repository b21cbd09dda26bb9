import type { ProtectedKind } from './protected-key';

/** A property that holds personal data, and the kind it is hashed as. */
export interface ProtectedProperty {
  prop: string;
  kind: ProtectedKind;
}

// Which properties of which types carry personal data (DESIGN.md "Protected identifiers").
// Patterns may only test SCO properties; SDO entries (identity, location) apply to documents only.
const BY_TYPE: ReadonlyMap<string, readonly ProtectedProperty[]> = new Map<string, ProtectedProperty[]>([
  ['email-addr', [{ prop: 'value', kind: 'email' }, { prop: 'display_name', kind: 'person-name' }]],
  ['phone-number', [{ prop: 'value', kind: 'phone' }]],
  ['persona', [{ prop: 'persona_name', kind: 'person-name' }]],
  ['bank-account', [{ prop: 'iban', kind: 'bank-account' }, { prop: 'account_number', kind: 'bank-account' }]],
  ['user-account', [{ prop: 'display_name', kind: 'person-name' }]],
  ['location', [{ prop: 'street_address', kind: 'postal-address' }]],
]);

const ADDRESS_PROP = /^x_[a-z0-9_]*address[a-z0-9_]*$/;

/**
 * The protected properties present on `obj`: the fixed list of its type, an individual identity's
 * name, and any `x_…address…` custom string of a location.
 */
export function protectedPropertiesOf(obj: Record<string, unknown>): ProtectedProperty[] {
  const type = obj.type as string;
  const out: ProtectedProperty[] = [];
  for (const p of BY_TYPE.get(type) ?? []) if (typeof obj[p.prop] === 'string') out.push(p);
  if (type === 'identity' && obj.identity_class === 'individual' && typeof obj.name === 'string') out.push({ prop: 'name', kind: 'person-name' });
  if (type === 'location') {
    for (const key of Object.keys(obj)) if (ADDRESS_PROP.test(key) && typeof obj[key] === 'string') out.push({ prop: key, kind: 'postal-address' });
  }
  return out;
}

/** The protected property a pattern's `type:prop` test compares, if any (SCO types only). */
export function protectedPatternProperty(type: string, prop: string): ProtectedProperty | undefined {
  if (type === 'location' || type === 'identity') return undefined;
  return BY_TYPE.get(type)?.find((p) => p.prop === prop);
}

/**
 * The kind a property of a type is hashed as when protected — what protectedPropertiesOf would
 * find on a document of that type — or undefined. For readers of `x_cairn_protected`, which is
 * keyed by property (an identity's `name` is only ever there for an individual).
 */
export function protectedKindOfProperty(type: string, prop: string): ProtectedKind | undefined {
  if (type === 'identity' && prop === 'name') return 'person-name';
  if (type === 'location' && ADDRESS_PROP.test(prop)) return 'postal-address';
  return BY_TYPE.get(type)?.find((p) => p.prop === prop)?.kind;
}

/** Free-text properties of an individual identity that may hold contact details: replaced wholesale. */
export const INDIVIDUAL_FREE_TEXT = ['contact_information'] as const;
