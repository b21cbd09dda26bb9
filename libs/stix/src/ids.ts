import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The STIX 2.1 namespace for deterministic (UUIDv5) SCO identifiers. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

// Type names are lower-case by the spec. UUIDs are case-insensitive on input (RFC 9562 §4, and the
// OASIS schema's identifier pattern takes [0-9a-fA-F]); ids are compared as strings everywhere
// (storage, TAXII match[id]), so whatever stores or looks up an id takes canonicalStixId first.
const TYPE_RE = /^[a-z0-9-]{3,250}$/;

/** True when `name` obeys the STIX type-name rules (3–250 chars of a-z, 0-9, '-', no '--'). */
export function isValidTypeName(name: string): boolean {
  return TYPE_RE.test(name) && !name.includes('--');
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** True when `uuid` is an RFC 4122 / 9562 UUID (variant 10, version 1–8), hex digits in either case. */
export function isValidUuid(uuid: string): boolean {
  // A character loop rather than a regex: ids are checked many times per object.
  if (uuid.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = uuid.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHex(c)) return false;
  }
  const version = uuid.charCodeAt(14);
  const variant = uuid.charCodeAt(19);
  return (
    version >= 49 &&
    version <= 56 &&
    (variant === 56 || variant === 57 || variant === 97 || variant === 98 || variant === 65 || variant === 66)
  );
}

/** Version digit of a UUID already accepted by isValidUuid. */
export function uuidVersion(uuid: string): number {
  return uuid.charCodeAt(14) - 48;
}

export interface ParsedStixId {
  type: string;
  uuid: string;
}

/** Splits `type--uuid`; undefined unless both halves are valid. */
export function parseStixId(id: unknown): ParsedStixId | undefined {
  if (typeof id !== 'string' || id.length > 300) return undefined;
  const sep = id.lastIndexOf('--');
  if (sep < 3) return undefined;
  const type = id.slice(0, sep);
  const uuid = id.slice(sep + 2);
  if (!isValidUuid(uuid) || !isValidTypeName(type)) return undefined;
  return { type, uuid };
}

/** The one spelling of a STIX id that Cairn stores and compares: the UUID in lower case; anything else is returned as given. */
export function canonicalStixId(id: string): string {
  const sep = id.lastIndexOf('--');
  if (sep < 0) return id;
  const uuid = id.slice(sep + 2);
  const lower = uuid.toLowerCase();
  return lower === uuid || !isValidUuid(uuid) ? id : id.slice(0, sep + 2) + lower;
}

/** True when `id` is a well-formed STIX identifier, optionally of the given type. */
export function isStixId(id: unknown, type?: string): id is string {
  const parsed = parseStixId(id);
  return parsed !== undefined && (type === undefined || parsed.type === type);
}

/** RFC 4122 name-based UUID (version 5, SHA-1) of a UTF-8 name in a namespace. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError('uuidV5: namespace is not a UUID');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** ID-contributing properties per SCO type (STIX 2.1 §6, plus Cairn's custom observables). */
export const ID_CONTRIBUTING_PROPERTIES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['artifact', ['hashes', 'payload_bin']],
  ['autonomous-system', ['number']],
  ['directory', ['path']],
  ['domain-name', ['value']],
  ['email-addr', ['value']],
  ['email-message', ['from_ref', 'subject', 'body']],
  ['file', ['hashes', 'name', 'extensions', 'parent_directory_ref']],
  ['ipv4-addr', ['value']],
  ['ipv6-addr', ['value']],
  ['mac-addr', ['value']],
  ['mutex', ['name']],
  ['network-traffic', ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions']],
  ['process', []],
  ['software', ['name', 'cpe', 'swid', 'vendor', 'version']],
  ['url', ['value']],
  ['user-account', ['account_type', 'user_id', 'account_login']],
  ['windows-registry-key', ['key', 'values']],
  ['x509-certificate', ['hashes', 'serial_number']],
  ['phone-number', ['value']],
  ['cryptocurrency-wallet', ['value']],
  ['bank-account', ['iban']],
  ['persona', ['persona_name', 'persona_type']],
]);

// The spec asks for a single hash in the id name, preferring these in order.
const PREFERRED_HASHES = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

function oneHash(hashes: unknown): Record<string, unknown> | undefined {
  if (typeof hashes !== 'object' || hashes === null || Array.isArray(hashes)) return undefined;
  const h = hashes as Record<string, unknown>;
  for (const alg of PREFERRED_HASHES) if (Object.hasOwn(h, alg)) return { [alg]: h[alg] };
  const first = Object.keys(h)[0];
  return first === undefined ? undefined : { [first]: h[first] };
}

/** The JCS name a deterministic SCO id is derived from; undefined when the type has no contributing property present. */
export function scoIdName(object: { type: string } & Record<string, unknown>): string | undefined {
  const props = ID_CONTRIBUTING_PROPERTIES.get(object.type);
  if (!props) return undefined;
  const picked: Record<string, unknown> = Object.create(null);
  let any = false;
  for (const prop of props) {
    if (!Object.hasOwn(object, prop)) continue;
    const value = prop === 'hashes' ? oneHash(object[prop]) : object[prop];
    if (value === undefined || value === null) continue;
    picked[prop] = value;
    any = true;
  }
  return any ? canonicalJson(picked) : undefined;
}

/** The deterministic UUIDv5 id an SCO should carry, or undefined when STIX says to fall back to UUIDv4. */
export function expectedScoId(object: { type: string } & Record<string, unknown>): string | undefined {
  const name = scoIdName(object);
  return name === undefined ? undefined : `${object.type}--${uuidV5(STIX_SCO_NAMESPACE, name)}`;
}

/** An id for a new SCO: deterministic when possible, otherwise a random UUIDv4 as the spec requires. */
export function scoId(object: { type: string } & Record<string, unknown>): string {
  return expectedScoId(object) ?? `${object.type}--${randomUUID()}`;
}

/** A fresh random identifier for an SDO, SRO, bundle or other object of `type`. */
export function newStixId(type: string): string {
  if (!isValidTypeName(type)) throw new TypeError(`newStixId: invalid type name '${type}'`);
  return `${type}--${randomUUID()}`;
}
