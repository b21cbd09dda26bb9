import { domainToASCII } from 'node:url';
import { fail, ok, MAX_IDENTIFIER_LENGTH, type Normalised } from './result';

// Underscores are allowed: service labels such as _dmarc appear in real indicators.
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const NUMERIC = /^\d+$/;

/** Lower-case ASCII (punycode) domain without trailing dot; at least two labels, none longer than 63, total ≤ 253. */
export function normaliseDomain(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  let text = input.trim();
  if (text.length > 1024) return fail('too long');
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text === '') return fail('empty');
  const ascii = domainToASCII(text.toLowerCase());
  if (ascii === '') return fail('not a valid internationalised domain name');
  if (ascii.length > 253) return fail('longer than 253 characters');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail('a domain needs at least two labels');
  for (const label of labels) if (!LABEL.test(label)) return fail(`invalid label '${label}'`);
  if (NUMERIC.test(labels[labels.length - 1])) return fail('top-level label is numeric (an IP address?)');
  return ok(ascii);
}

/** WHATWG-serialised URL: scheme and host lower-cased, IDN host in punycode, default port removed; needs a host. */
export function normaliseUrl(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim();
  if (text.length > MAX_IDENTIFIER_LENGTH) return fail('too long');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('not an absolute URL');
  }
  if (url.hostname === '') return fail('URL has no host');
  return ok(url.href);
}
