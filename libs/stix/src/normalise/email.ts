import { normaliseDomain } from './domain';
import { fail, ok, type Normalised } from './result';

const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** How a mail provider reads the local part: the mailbox's domain, and what it ignores. */
interface Provider {
  /** The domain every alias of the mailbox is written under. */
  domain: string;
  /** Dots are ignored in the local part. */
  dots: boolean;
  /** `+tag` sub-addresses reach the same mailbox. */
  plus: boolean;
}

// Only rules the providers document for every mailbox. Gmail ignores dots and delivers
// `name+tag`; googlemail.com is the same mailbox. Microsoft (outlook/hotmail/live/msn), Proton
// and Fastmail deliver `+tag` sub-addresses, but dots are significant there. Proton's
// protonmail.com / protonmail.ch / pm.me addresses are the same account as proton.me. Yahoo's
// disposable addresses (`base-keyword`) cannot be told from a plain address with a hyphen, so none.
const GMAIL: Provider = { domain: 'gmail.com', dots: true, plus: true };
const PROTON: Provider = { domain: 'proton.me', dots: false, plus: true };
const PROVIDERS: ReadonlyMap<string, Provider> = new Map([
  ['gmail.com', GMAIL],
  ['googlemail.com', GMAIL],
  ['proton.me', PROTON],
  ['protonmail.com', PROTON],
  ['protonmail.ch', PROTON],
  ['pm.me', PROTON],
  ...['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'fastmail.com'].map(
    (d) => [d, { domain: d, dots: false, plus: true }] as [string, Provider],
  ),
]);

/** Trimmed, lower-cased addr-spec with an ASCII (punycode) domain; refuses quoted locals, comments and display names. */
export function emailAddrSpec(input: string): Normalised<{ local: string; domain: string }> {
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
  return ok(`${local}@${domain.value}`, { local, domain: domain.value });
}

/**
 * The mailbox an address reaches: the addr-spec (emailAddrSpec), then the provider's own rules —
 * `Dan.Kim+jobs@googlemail.com` → `dankim@gmail.com`, `x+y@protonmail.com` → `x@proton.me`; other
 * domains as written (a `+` may be part of a real mailbox name there).
 */
export function normaliseEmail(input: string): Normalised {
  const n = normaliseEmailWithLegacy(input);
  return n.ok ? ok(n.value) : n;
}

/**
 * normaliseEmail, with the form the address was keyed under before provider rules (issue 19):
 * the plain addr-spec, when it differs. One parse for both.
 */
export function normaliseEmailWithLegacy(input: string): Normalised<{ legacy: string[] }> {
  const spec = emailAddrSpec(input);
  if (!spec.ok) return spec;
  const provider = PROVIDERS.get(spec.domain);
  if (!provider) return ok(spec.value, { legacy: [] });
  let local = spec.local;
  if (provider.plus) local = local.split('+')[0];
  if (provider.dots) local = local.replace(/\./g, '');
  if (local === '') return fail('local part is empty once the provider’s sub-address is removed');
  const canonical = `${local}@${provider.domain}`;
  return ok(canonical, { legacy: canonical === spec.value ? [] : [spec.value] });
}

/** The forms an address was keyed under before provider rules: the plain addr-spec, when it differs. */
export function legacyEmailForms(input: string): string[] {
  const n = normaliseEmailWithLegacy(input);
  return n.ok ? n.legacy : [];
}
