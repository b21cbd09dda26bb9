import { randomBytes, randomInt } from 'node:crypto';
import { isUuid } from '@cairn/common';

/**
 * What an Authorization header carries, told apart by shape alone (no database): a JWT
 * (three base64url segments), or an API key `cairn_XXXXXXXX.<secret>` sent as Bearer or as
 * HTTP Basic (password = the full key with any username, or username = prefix / key id and
 * password = the secret part).
 */
export type Credential =
  { kind: 'jwt'; token: string } | { kind: 'apikey'; prefix: string; secret: string } | { kind: 'apikey-id'; id: string; secret: string };

export const API_KEY_PREFIX_RE = /^cairn_[A-Za-z0-9]{8}$/;
const SECRET_RE = /^[A-Za-z0-9_-]{43}$/;
const FULL_KEY_RE = /^(cairn_[A-Za-z0-9]{8})\.([A-Za-z0-9_-]{43})$/;
const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
// Real headers are far shorter; refusing big ones early keeps parsing cheap.
const MAX_HEADER_LENGTH = 8192;

/** Parses an Authorization header (or a bare token, as WebSocket connection params send it); null when it is no credential Cairn accepts. */
export function parseAuthorization(header: string | undefined | null): Credential | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_LENGTH) return null;
  const trimmed = header.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return parseBearer(trimmed);
  const scheme = trimmed.slice(0, space).toLowerCase();
  const value = trimmed.slice(space).trim();
  if (scheme === 'bearer') return parseBearer(value);
  if (scheme === 'basic') return parseBasic(value);
  return null;
}

function parseBearer(value: string): Credential | null {
  const key = FULL_KEY_RE.exec(value);
  if (key) return { kind: 'apikey', prefix: key[1], secret: key[2] };
  if (JWT_RE.test(value)) return { kind: 'jwt', token: value };
  return null;
}

function parseBasic(value: string): Credential | null {
  if (!BASE64_RE.test(value)) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const key = FULL_KEY_RE.exec(password);
  if (key) return { kind: 'apikey', prefix: key[1], secret: key[2] };
  if (!SECRET_RE.test(password)) return null;
  if (API_KEY_PREFIX_RE.test(username)) return { kind: 'apikey', prefix: username, secret: password };
  if (isUuid(username)) return { kind: 'apikey-id', id: username.toLowerCase(), secret: password };
  return null;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new key: public prefix, 256-bit secret, and the full string shown to its owner once. */
export function generateApiKey(): { prefix: string; secret: string; full: string } {
  let id = '';
  // randomInt is unbiased, unlike taking random bytes modulo 62.
  for (let i = 0; i < 8; i++) id += BASE62[randomInt(BASE62.length)];
  const prefix = `cairn_${id}`;
  const secret = randomBytes(32).toString('base64url');
  return { prefix, secret, full: `${prefix}.${secret}` };
}

/** The `alg` of a JWT's header, without verifying anything (only to choose how to verify it). */
export function jwtHeaderAlg(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}
