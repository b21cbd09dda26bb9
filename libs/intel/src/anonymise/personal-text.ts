import { ibanLength, isIban, normalisePhone } from '@cairn/stix';
import { originalRange, type Folded } from './fold';
import type { Span } from './term-matcher';

// Personal data that names itself, wherever it is written: e-mail addresses (also "name [at]
// host [dot] tld"), phone numbers in international or common national forms, and IBANs. Run on
// folded text, so full-width or other compatibility forms are found too.

const AT = String.raw`(?:@|\s?[\[(]at[\])]\s?)`;
const DOT = String.raw`(?:\.|\s?[\[(]dot[\])]\s?)`;
const EMAIL = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}${AT}[\p{L}\p{N}-]{1,63}(?:${DOT}[\p{L}\p{N}-]{1,63})+`,
  'gu',
);
// The last label of a domain has a letter: "lodash@4.17.21" is a package, not an address.
const TLD = /[\p{L}][\p{L}\p{N}-]*$/u;

const INTL_PHONE = /(?<![\p{L}\p{N}+])(?:\+|00(?=[1-9]))\d[\d\s().\u00a0-]{6,24}\d(?![\p{L}\p{N}])/gu;
// National forms with the grouping people write: "(202) 555-0101", "202-555-0101", "202.555.0101",
// "020 7946 0958". Bare digit runs are left alone (ids, counts, ports and dates look the same).
const NATIONAL_PHONE =
  /(?<![\p{L}\p{N}.-])(?:\(\d{2,5}\)\s?\d{3,4}[\s.-]?\d{3,4}|\d{3}[.-]\d{3}[.-]\d{4}|0\d{2,4}[\s-]\d{3,4}[\s-]\d{3,4})(?![\p{L}\p{N}]|[.-]\d)/gu;

const IBAN_START = /(?<![\p{L}\p{N}])[a-z]{2}\d{2}/gu;

export interface PersonalFindings {
  spans: Span[];
  /** International phone numbers found (E.164), to find again in other formats elsewhere. */
  phones: string[];
}

/** Self-identifying personal data in a folded text. */
export function findPersonal(folded: Folded): PersonalFindings {
  const text = folded.text;
  const spans: Span[] = [];
  const phones: string[] = [];
  if (/@|\[at\]|\(at\)/.test(text)) {
    EMAIL.lastIndex = 0;
    for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
      if (TLD.test(m[0])) spans.push(originalRange(folded, m.index, m.index + m[0].length));
    }
  }
  if (/\d/.test(text)) {
    const intl = findPhones(folded);
    spans.push(...intl.spans);
    phones.push(...intl.phones);
    NATIONAL_PHONE.lastIndex = 0;
    for (let m = NATIONAL_PHONE.exec(text); m !== null; m = NATIONAL_PHONE.exec(text))
      spans.push(originalRange(folded, m.index, m.index + m[0].length));
    IBAN_START.lastIndex = 0;
    for (let m = IBAN_START.exec(text); m !== null; m = IBAN_START.exec(text)) {
      const end = ibanEnd(text, m.index);
      if (end > 0) {
        spans.push(originalRange(folded, m.index, end));
        IBAN_START.lastIndex = end;
      }
    }
  }
  return { spans, phones };
}

/** The international phone numbers in a folded text (E.164), and where they are. */
export function findPhones(folded: Folded): PersonalFindings {
  const text = folded.text;
  const found: PersonalFindings = { spans: [], phones: [] };
  INTL_PHONE.lastIndex = 0;
  for (let m = INTL_PHONE.exec(text); m !== null; m = INTL_PHONE.exec(text)) {
    const n = normalisePhone(m[0]);
    if (!n.ok) continue;
    found.phones.push(n.value);
    found.spans.push(originalRange(folded, m.index, m.index + m[0].length));
  }
  return found;
}

/** End of an IBAN (compact, or in groups separated by single spaces) starting at `from`, or -1. */
function ibanEnd(text: string, from: number): number {
  const need = ibanLength(text.slice(from, from + 2));
  if (!need) return -1;
  let compact = '';
  let i = from;
  for (; i < text.length && compact.length < need; i++) {
    const ch = text[i];
    if (ch === ' ' && compact.length > 0 && /[a-z0-9]/.test(text[i + 1] ?? '')) continue;
    if (!/[a-z0-9]/.test(ch)) return -1;
    compact += ch;
  }
  if (compact.length !== need || /[\p{L}\p{N}]/u.test(text[i] ?? '')) return -1;
  return isIban(compact.toUpperCase()) ? i : -1;
}
