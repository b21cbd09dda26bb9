import { createHmac } from 'node:crypto';

/**
 * Ids of objects that held personal data. A submitted id may be derived from the raw value
 * (OpenCTI names an indicator uuidv5(namespace, {"pattern": …})), so anyone who sees the object
 * could test candidate values against it offline, with no lookup quota. Such an object is stored
 * under an id keyed per publisher instead: deterministic (publishing the object again, or a new
 * version of it, with the id it was submitted with gives the same id), telling nothing of the
 * submitted id without the server secret, and recognisable by the same publisher (an id it got back
 * from the exchange is kept as it is, not keyed again).
 *
 * Layout of the UUID (version 5, RFC 4122 variant, as strict STIX parsers expect): bytes 0–7 are
 * HMAC(secret, tenant ‖ submitted id), bytes 8–15 a tag, HMAC(secret, tenant ‖ type ‖ bytes 0–7),
 * by which the publisher's own keyed ids are told apart from any other.
 */
const BODY_DOMAIN = 'cairn-keyed-sdo-id-v1';
const TAG_DOMAIN = 'cairn-keyed-sdo-id-tag-v1';

function hmac(secret: string, ...parts: string[]): Buffer {
  return createHmac('sha256', secret).update(parts.join('\u0000'), 'utf8').digest();
}

function tag(type: string, body: Buffer, publisherTenantId: string, secret: string): Buffer {
  const t = hmac(secret, TAG_DOMAIN, publisherTenantId, type, body.toString('hex')).subarray(0, 8);
  t[0] = (t[0] & 0x3f) | 0x80;
  return t;
}

function format(type: string, bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${type}--${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id an object submitted as `submittedId` (lower-case UUID) by `publisherTenantId` is stored under when it held personal data. */
export function keyedObjectId(submittedId: string, publisherTenantId: string, secret: string): string {
  const type = submittedId.slice(0, submittedId.indexOf('--'));
  const body = hmac(secret, BODY_DOMAIN, publisherTenantId, submittedId).subarray(0, 8);
  body[6] = (body[6] & 0x0f) | 0x50;
  return format(type, Buffer.concat([body, tag(type, body, publisherTenantId, secret)]));
}

/** True when `id` is an id keyedObjectId gave for this publisher (whatever it was keyed from). */
export function isKeyedObjectId(id: string, publisherTenantId: string, secret: string): boolean {
  const at = id.indexOf('--');
  const hex = id.slice(at + 2).replace(/-/g, '');
  if (at < 0 || !/^[0-9a-f]{32}$/.test(hex)) return false;
  const type = id.slice(0, at);
  const bytes = Buffer.from(hex, 'hex');
  return tag(type, bytes.subarray(0, 8), publisherTenantId, secret).equals(bytes.subarray(8));
}

/** UUID versions whose ids cannot be guessed: 4 (random) and 7 (time-ordered, 74 random bits). */
const RANDOM_UUID_VERSIONS = new Set(['4', '7']);

/** Whether a STIX id's UUID is random (version 4 or 7); any other may be derived from content, and guessed. */
export function hasRandomUuid(id: string): boolean {
  return RANDOM_UUID_VERSIONS.has(id.slice(id.indexOf('--') + 2).charAt(14));
}
