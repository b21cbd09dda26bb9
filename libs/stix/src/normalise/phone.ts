import { fail, ok, type Normalised } from './result';

const SEPARATORS = /[\s\-.()\u00a0\u2010-\u2015]/g;
const DIGITS = /^\d+$/;

/** E.164 (`+` and 8–15 digits, no leading 0): separators removed, `00` prefix read as `+`; refuses numbers without a country code. */
export function normalisePhone(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  if (input.length > 64) return fail('too long');
  let text = input.trim().replace(SEPARATORS, '');
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!text.startsWith('+')) return fail('no country code: write the number with a leading + (or 00)');
  const digits = text.slice(1);
  if (!DIGITS.test(digits)) return fail('only digits may follow the +');
  if (digits.startsWith('0')) return fail('country codes do not start with 0');
  if (digits.length < 8 || digits.length > 15) return fail('E.164 numbers have 8 to 15 digits');
  return ok(`+${digits}`);
}
