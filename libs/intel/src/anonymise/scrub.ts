import { PhoneMatcher, TermMatcher } from './term-matcher';

type Json = Record<string, unknown>;

export const REDACTED = '[redacted]';

// Structure, not text: never rewritten.
const STRUCTURAL = new Set([
  'id', 'type', 'spec_version', 'created', 'modified', 'lang', 'pattern_type', 'pattern_version', 'hashes',
  'x_cairn_protected', 'extension_type', 'identity_class', 'definition_type',
]);
// An observable's own value is the indicator being shared, and indicator patterns are what SIEMs
// match: the publisher's terms are not redacted from them (personal data still is, see scrubObjects).
const OBSERVABLE_VALUES = new Set(['value', 'account_login', 'user_id', 'account_type', 'iban', 'bic', 'account_number', 'number', 'mime_type', 'protocols']);

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;
// Any e-mail address written into free text is personal data too, whether or not the bundle also
// holds it as an email-addr (an applicant's address in a description, say).
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g;

export interface ScrubRules {
  /** Raw personal data found while protecting: replaced by "[protected]" everywhere except structure. */
  personal: TermMatcher;
  phones: PhoneMatcher;
  personalReplacement: string;
  /** The publisher's name, domains and redaction terms: replaced by "[redacted]" in free text. */
  publisher: TermMatcher;
}

/**
 * Rewrites the strings of one object in place. Personal data goes from every string except ids,
 * references, timestamps and hashes (an indicator's own pattern included); the publisher's terms go
 * from free text: names, descriptions, labels, aliases, external references, custom properties and
 * so on, but not from observable values or patterns. Returns true when anything changed.
 */
export function scrubObject(obj: Json, isObservable: boolean, rules: ScrubRules): boolean {
  let changed = false;
  const fix = (text: string, freeText: boolean): string => {
    if (TIMESTAMP.test(text)) return text;
    let next = rules.personal.replace(text, rules.personalReplacement);
    next = rules.phones.replace(next, rules.personalReplacement);
    if (freeText && next.includes('@')) next = next.replace(EMAIL_IN_TEXT, rules.personalReplacement);
    if (freeText) next = rules.publisher.replace(next, REDACTED);
    if (next !== text) changed = true;
    return next;
  };
  const walk = (value: unknown, freeText: boolean): unknown => {
    if (typeof value === 'string') return fix(value, freeText);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = walk(value[i], freeText);
      return value;
    }
    if (typeof value === 'object' && value !== null) {
      const o = value as Json;
      for (const key of Object.keys(o)) {
        if (STRUCTURAL.has(key) || key.endsWith('_ref') || key.endsWith('_refs')) continue;
        o[key] = walk(o[key], freeText && key !== 'pattern');
      }
    }
    return value;
  };
  for (const key of Object.keys(obj)) {
    if (STRUCTURAL.has(key) || key.endsWith('_ref') || key.endsWith('_refs')) continue;
    const freeText = key !== 'pattern' && !(isObservable && OBSERVABLE_VALUES.has(key));
    obj[key] = walk(obj[key], freeText);
  }
  return changed;
}
