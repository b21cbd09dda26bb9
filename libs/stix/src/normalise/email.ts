import { normaliseDomain } from './domain';
import { fail, ok, type Normalised } from './result';

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** Trimmed, lower-cased addr-spec with an ASCII (punycode) domain; refuses quoted locals, comments and display names. */
export function normaliseEmail(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim().toLowerCase();
  if (text.length > 254) return fail('longer than 254 characters');
  const at = text.indexOf('@');
  if (at < 0 || at !== text.lastIndexOf('@')) return fail('needs exactly one @');
  const local = text.slice(0, at);
  if (local.length === 0 || local.length > 64) return fail('local part must be 1–64 characters');
  if (!LOCAL.test(local)) return fail('invalid characters in local part');
  const domain = normaliseDomain(text.slice(at + 1));
  if (!domain.ok) return fail(`domain: ${domain.reason}`);
  return ok(`${local}@${domain.value}`);
}
