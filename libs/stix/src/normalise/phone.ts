import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { fail, ok, type Normalised } from './result';

const SEPARATORS = /[\s\-.()/\u00a0\u2010-\u2015]/g;
const DIGITS = /^\d+$/;
// "ext. 12", "x12", "#12": the extension reaches the same line, so it is not part of the identifier.
const EXTENSION = /(?:\s+(?:ext\.?|extension|x)\s*|\s*#\s*|;ext=)\d{1,7}\s*$/i;
const COUNTRY = /^[A-Za-z]{2}$/;

/** `+` and the digits as written, separators removed, `00` read as `+` (the form phone keys were made in before libphonenumber). */
export function phoneDigits(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  if (input.length > 64) return fail('too long');
  let text = input.trim().replace(EXTENSION, '').replace(SEPARATORS, '');
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!text.startsWith('+')) return fail('no country code: write the number with a leading + (or 00)');
  const digits = text.slice(1);
  if (!DIGITS.test(digits)) return fail('only digits may follow the +');
  if (digits.startsWith('0')) return fail('country codes do not start with 0');
  if (digits.length < 8 || digits.length > 15) return fail('E.164 numbers have 8 to 15 digits');
  return ok(`+${digits}`);
}

/**
 * E.164 through libphonenumber-js: the country's trunk prefix after the country code is dropped
 * (`+44 (0)20 7946 0958` → `+442079460958`), an extension is dropped, `00` reads as `+`. A number
 * without a country code is read in `defaultCountry` (ISO 3166 alpha-2) when one is given, refused
 * otherwise. A number libphonenumber does not know as possible keeps its digits as written (still
 * E.164-shaped): refusing it would refuse to publish a real number whenever the metadata lags.
 */
export function normalisePhone(input: string, defaultCountry?: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim();
  const international = /^(?:\+|00)/.test(text.replace(/^\(/, ''));
  if (!international && defaultCountry !== undefined) {
    if (!COUNTRY.test(defaultCountry)) return fail(`'${defaultCountry}' is not an ISO 3166 country code`);
    const national = text.replace(EXTENSION, '').replace(SEPARATORS, '');
    if (!DIGITS.test(national)) return fail('only digits and separators may make up a phone number');
    const n = parsePhoneNumberFromString(national, defaultCountry.toUpperCase() as CountryCode);
    if (!n || !n.isPossible()) return fail(`not a possible phone number in ${defaultCountry.toUpperCase()} (no country code given)`);
    return ok(n.number);
  }
  const digits = phoneDigits(text);
  if (!digits.ok) return digits;
  if (!mayCarryNationalPrefix(digits.value.slice(1))) return digits;
  const n = parsePhoneNumberFromString(digits.value);
  return ok(n && n.isPossible() ? n.number : digits.value);
}

// Numbering plans by calling code: libphonenumber strips (or transforms) only what the calling
// code's national-prefix-for-parsing pattern matches right after it, and otherwise gives back the
// digits as written. Checking that pattern first skips its full parse (country detection is most
// of a screening batch's time) exactly where it could change nothing.
type Plan = { nationalPrefixForParsing(): string | undefined };
const metadata = new Metadata() as unknown as {
  hasCallingCode(cc: string): boolean;
  selectNumberingPlan(country: undefined, cc: string): void;
  numberingPlan: Plan;
};
const prefixOf = new Map<string, RegExp | null>();

function mayCarryNationalPrefix(digits: string): boolean {
  // Calling codes are prefix-free (E.164): the first that exists is the number's.
  for (const length of [1, 2, 3]) {
    const cc = digits.slice(0, length);
    if (!metadata.hasCallingCode(cc)) continue;
    let re = prefixOf.get(cc);
    if (re === undefined) {
      metadata.selectNumberingPlan(undefined, cc);
      const pattern = metadata.numberingPlan.nationalPrefixForParsing();
      re = pattern ? new RegExp(`^(?:${pattern})`) : null;
      prefixOf.set(cc, re);
    }
    return re !== null && re.test(digits.slice(length));
  }
  return true;
}

/**
 * normalisePhone, with the form this very input was keyed under before libphonenumber (issue 19)
 * when it differs: `+44 (0)20 7946 0958` was `+4402079460958`. One libphonenumber parse for both.
 */
export function normalisePhoneWithLegacy(input: string, defaultCountry?: string): Normalised<{ legacy: string[] }> {
  const canonical = normalisePhone(input, defaultCountry);
  if (!canonical.ok) return canonical;
  const digits = phoneDigits(input);
  return ok(canonical.value, { legacy: digits.ok && digits.value !== canonical.value ? [digits.value] : [] });
}

/** The form this input was keyed under before libphonenumber, when it differs from the canonical one. */
export function legacyPhoneForms(input: string, defaultCountry?: string): string[] {
  const n = normalisePhoneWithLegacy(input, defaultCountry);
  return n.ok ? n.legacy : [];
}
