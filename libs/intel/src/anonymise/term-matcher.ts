import { fold, originalRange, type Folded } from './fold';

/** A match in original-text coordinates. */
export interface Span {
  start: number;
  end: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  terminal: boolean;
}

export interface TermMatcherOptions {
  /**
   * Personal values (names, addresses, account numbers) must be a token of their own: a match that
   * is glued by a connector (`-`, `_`, `.`, `@`, `/` …) to further letters or digits is part of an
   * unrelated token — the name "Jqa Dev" is not in the login "jqa-dev-2024".
   */
  standalone?: boolean;
}

// Between the pieces of one match: a short run of separators ("Acme  Corp", "A c m e", "acme-corp").
const MAX_GAP = 3;
const CONNECTORS = new Set(['-', '_', '.', '@', '+', '/', '\\', ':', '=', '#', '~', '&', '%']);
const ALNUM = /[\p{L}\p{N}]/u;
const NOT_ALNUM = /[^\p{L}\p{N}]+/gu;

/**
 * Finds terms in text after Unicode folding (see fold.ts), on token boundaries, in time linear in
 * the text (times the longest term): text and terms are split into runs of letters and digits, and
 * a term matches where consecutive text tokens spell its letters and digits, whatever short
 * separators lie between them. "Acme Corp" thus matches "ACME corp.", "acme_corp", "AcmeCorp",
 * "A c m e  C o r p" and full-width "ＡＣＭＥ ＣＯＲＰ", but not "Acmeville".
 */
export class TermMatcher {
  private readonly root: TrieNode = { next: new Map(), terminal: false };
  private readonly wholes = new Set<string>();

  constructor(
    terms: Iterable<string>,
    private readonly options: TermMatcherOptions = {},
  ) {
    for (const term of terms) {
      const key = tokenise(fold(term).text)
        .map((t) => t.text)
        .join('');
      if (key.length === 0) continue;
      this.wholes.add(key);
      let node = this.root;
      for (const ch of key) {
        let child = node.next.get(ch);
        if (!child) node.next.set(ch, (child = { next: new Map(), terminal: false }));
        node = child;
      }
      node.terminal = true;
    }
  }

  /** Every match in `folded` (of the original text), longest first at each position, not overlapping. */
  spans(folded: Folded): Span[] {
    if (this.wholes.size === 0 || folded.text.length === 0) return [];
    const tokens = tokenise(folded.text);
    const out: Span[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const last = this.longestFrom(tokens, i, folded.text);
      if (last < 0) continue;
      const from = tokens[i].start;
      const to = tokens[last].end;
      out.push(originalRange(folded, from, to));
      i = last;
    }
    return out;
  }

  /** `text` with every match replaced; the same string when nothing matched. */
  replace(text: string, replacement: string): string {
    const spans = this.spans(fold(text));
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + replacement;
      at = s.end;
    }
    return out + text.slice(at);
  }

  /**
   * False when no term can match `folded` however its words are split: a match spells a term's
   * letters and digits in a row, so the text's letters and digits, separators left out, hold it.
   * Reading camelCase apart only adds separators: this spares that second reading of almost every string.
   */
  mayMatchSplit(folded: Folded): boolean {
    if (this.wholes.size === 0) return false;
    const skeleton = folded.text.replace(NOT_ALNUM, '');
    for (const key of this.wholes) if (skeleton.includes(key)) return true;
    return false;
  }

  /** True when the whole text is exactly one of the terms (ignoring case, spacing and separators). */
  matchesWhole(text: string): boolean {
    const key = tokenise(fold(text).text)
      .map((t) => t.text)
      .join('');
    return key.length > 0 && this.wholes.has(key);
  }

  /** Index of the last token of the longest match starting at token i, or -1. */
  private longestFrom(tokens: Token[], i: number, text: string): number {
    let node: TrieNode | undefined = this.root;
    let best = -1;
    for (let j = i; j < tokens.length && node; j++) {
      if (j > i && tokens[j].start - tokens[j - 1].end > MAX_GAP) break;
      for (const ch of tokens[j].text) {
        node = node.next.get(ch);
        if (!node) break;
      }
      if (node?.terminal && (!this.options.standalone || standsAlone(text, tokens[i].start, tokens[j].end))) best = j;
    }
    return best;
  }
}

/**
 * The terms distinctive enough to look for inside camelCase words: of two words or more, or of at
 * least five letters or digits ("Umbrella Pharma" in "UmbrellaPharmaSOC", "Target" in "TargetCERT"),
 * so that a short name ("Ace") is not found in random mixed-case text (tokens, base64).
 */
export function camelCaseTerms(terms: Iterable<string>): string[] {
  return [...terms].filter((t) => {
    const tokens = tokenise(fold(t).text);
    return tokens.length >= 2 || tokens.reduce((n, k) => n + k.text.length, 0) >= 5;
  });
}

function standsAlone(text: string, from: number, to: number): boolean {
  const glued = (connector: string | undefined, beyond: string | undefined) =>
    connector !== undefined && CONNECTORS.has(connector) && beyond !== undefined && ALNUM.test(beyond);
  return !glued(text[from - 1], text[from - 2]) && !glued(text[to], text[to + 1]);
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
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

// A run of digits and separators that stands alone (not inside a hash, id or longer number).
const PHONE_LIKE = /(?<![\p{L}\p{N}])\+?\d[\d\s().\u00a0-]{5,}\d(?![\p{L}\p{N}])/gu;

/**
 * Finds phone numbers written in any common format ("+1 (202) 555-0101", "202.555.0101",
 * "0012025550101"): a run of digits and separators matches when its digits are one of the numbers,
 * end with one (an international prefix), or are a national form of one (at least 7 trailing digits).
 */
export class PhoneMatcher {
  private readonly full = new Set<string>();
  private readonly suffixes = new Set<string>();

  constructor(e164: Iterable<string>) {
    for (const p of e164) this.add(p);
  }

  add(e164: string): void {
    const d = e164.replace(/\D/g, '');
    this.full.add(d);
    for (let k = 1; d.length - k >= 7; k++) this.suffixes.add(d.slice(k));
  }

  private matches(digits: string): boolean {
    if (digits.length < 7) return false;
    if (this.full.has(digits) || this.suffixes.has(digits)) return true;
    for (let k = 1; digits.length - k >= 8; k++) if (this.full.has(digits.slice(k))) return true;
    // A national form with its trunk prefix: "01 70 36 39 99" for +33 1 70 36 39 99.
    return digits.startsWith('0') && digits.length >= 8 && this.suffixes.has(digits.slice(1));
  }

  spans(folded: Folded): Span[] {
    if (this.full.size === 0) return [];
    const out: Span[] = [];
    PHONE_LIKE.lastIndex = 0;
    for (let m = PHONE_LIKE.exec(folded.text); m !== null; m = PHONE_LIKE.exec(folded.text)) {
      if (this.matches(m[0].replace(/\D/g, ''))) out.push(originalRange(folded, m.index, m.index + m[0].length));
    }
    return out;
  }

  replace(text: string, replacement: string): string {
    const spans = this.spans(fold(text));
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += text.slice(at, s.start) + replacement;
      at = s.end;
    }
    return spans.length === 0 ? text : out + text.slice(at);
  }
}
