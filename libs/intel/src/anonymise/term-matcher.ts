/**
 * Finds terms in text case-insensitively and on word boundaries, in time linear in the text:
 * text and terms are split into runs of letters and digits, and a term matches where its runs
 * follow each other (whatever separates them). "Acme Corp" thus matches "ACME corp." and
 * "acme_corp" but not "Acmeville"; "hr@acme.example" matches "HR@Acme.Example".
 */
export class TermMatcher {
  private readonly byFirst = new Map<string, string[][]>();

  constructor(terms: Iterable<string>) {
    for (const term of terms) {
      const tokens = tokenise(term).map((t) => t.text);
      if (tokens.length === 0) continue;
      const list = this.byFirst.get(tokens[0]) ?? [];
      list.push(tokens);
      this.byFirst.set(tokens[0], list);
    }
    // Longest first, so "Acme Corp Ltd" wins over "Acme".
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  /** `text` with every match replaced; the same string when nothing matched. */
  replace(text: string, replacement: string): string {
    if (this.byFirst.size === 0 || text.length === 0) return text;
    const tokens = tokenise(text);
    let out = '';
    let last = 0;
    for (let i = 0; i < tokens.length; i++) {
      const candidates = this.byFirst.get(tokens[i].text);
      if (!candidates) continue;
      const term = candidates.find((c) => c.length <= tokens.length - i && c.every((t, k) => tokens[i + k].text === t));
      if (!term) continue;
      const end = tokens[i + term.length - 1].end;
      out += text.slice(last, tokens[i].start) + replacement;
      last = end;
      i += term.length - 1;
    }
    return last === 0 ? text : out + text.slice(last);
  }

  /** True when the whole text is exactly one of the terms (ignoring case and separators). */
  matchesWhole(text: string): boolean {
    const tokens = tokenise(text);
    if (tokens.length === 0) return false;
    return (this.byFirst.get(tokens[0].text) ?? []).some((c) => c.length === tokens.length && c.every((t, k) => tokens[k].text === t));
  }
}

interface Token {
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

function tokenise(text: string): Token[] {
  const out: Token[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    out.push({ text: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

const PHONE_LIKE = /\+?\d[\d\s().\u00a0-]{5,}\d/g;
const PHONE_TEST = /\d[\d\s().\u00a0-]{5,}\d/;

/**
 * Finds phone numbers written in any common format ("+1 (202) 555-0101", "202.555.0101",
 * "0012025550101"): a run of digits and separators matches when its digits are one of the numbers,
 * end with one (an international prefix), or are a national form of one (at least 7 trailing digits).
 */
export class PhoneMatcher {
  private readonly full = new Set<string>();
  private readonly suffixes = new Set<string>();

  constructor(e164: Iterable<string>) {
    for (const p of e164) {
      const d = p.replace(/\D/g, '');
      this.full.add(d);
      for (let k = 1; d.length - k >= 7; k++) this.suffixes.add(d.slice(k));
    }
  }

  private matches(digits: string): boolean {
    if (digits.length < 7) return false;
    if (this.full.has(digits) || this.suffixes.has(digits)) return true;
    for (let k = 1; digits.length - k >= 8; k++) if (this.full.has(digits.slice(k))) return true;
    return false;
  }

  replace(text: string, replacement: string): string {
    if (this.full.size === 0 || !PHONE_TEST.test(text)) return text;
    return text.replace(PHONE_LIKE, (match) => (this.matches(match.replace(/\D/g, '')) ? replacement : match));
  }
}
