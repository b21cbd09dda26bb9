import { checkPatternTimestamp } from '../timestamps';
import { StixPatternError } from './errors';

export type TokenKind =
  '[' | ']' | '(' | ')' | ':' | ',' | '.' | '*' | 'op' | 'word' | 'string' | 'int' | 'float' | 'binary' | 'hex' | 'timestamp' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Decoded text: operator, word, string contents, literal body. */
  text: string;
  offset: number;
}

/** Longest pattern accepted; bounds work and memory on hostile input. */
export const MAX_PATTERN_LENGTH = 64 * 1024;

const PUNCT = new Set(['[', ']', '(', ')', ':', ',', '.', '*']);

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isWordChar(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 45;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
// The grammar's whitespace set: ASCII space, tab, CR, LF, VT, FF and the Unicode spaces.
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

// STIX 2.1 §9.2: base64 per RFC 4648 with at least one group (the grammar's BinaryLiteral); hex is an
// even number of the digits 0-9 and the letters a-f — the spec names lower-case letters only, where
// the grammar also takes A-F, and the spec's text wins.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;
const HEX_RE = /^(?:[0-9a-f]{2})*$/;
// §9.2: "Line feeds in the base64 encoded data MUST be supported and ignored" (the grammar has none).
const LINE_FEEDS = /\r?\n/g;

/** Splits a pattern into tokens; throws StixPatternError with the offending position. Linear time, no regex backtracking. */
export function tokenize(src: string): Token[] {
  if (src.length > MAX_PATTERN_LENGTH)
    throw new StixPatternError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`, src, MAX_PATTERN_LENGTH);
  const tokens: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const ch = src[i];
    if (ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new StixPatternError('unterminated comment', src, i);
      i = end + 2;
      continue;
    }
    if (ch === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    const signed = (ch === '+' || ch === '-') && (isDigit(src.charCodeAt(i + 1)) || (src[i + 1] === '.' && isDigit(src.charCodeAt(i + 2))));
    if (isDigit(c) || signed || (ch === '.' && isDigit(src.charCodeAt(i + 1)))) {
      i = readNumber(src, i, tokens);
      continue;
    }
    if (PUNCT.has(ch)) {
      tokens.push({ kind: ch as TokenKind, text: ch, offset: i });
      i++;
      continue;
    }
    if (ch === '=' || ch === '!' || ch === '<' || ch === '>') {
      const two = src.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
        tokens.push({ kind: 'op', text: two === '==' ? '=' : two === '<>' ? '!=' : two, offset: i });
        i += 2;
        continue;
      }
      if (ch === '!') throw new StixPatternError("unexpected '!'", src, i);
      tokens.push({ kind: 'op', text: ch, offset: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const [text, next] = readString(src, i);
      tokens.push({ kind: 'string', text, offset: i });
      i = next;
      continue;
    }
    if (isWordStart(c)) {
      if ((ch === 't' || ch === 'b' || ch === 'h') && src[i + 1] === "'") {
        const [body, next] = readString(src, i + 1);
        tokens.push(prefixed(src, ch, body, i));
        i = next;
        continue;
      }
      const start = i;
      while (i < n && isWordChar(src.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: src.slice(start, i), offset: start });
      continue;
    }
    throw new StixPatternError(`unexpected character ${JSON.stringify(ch)}`, src, i);
  }
  tokens.push({ kind: 'eof', text: '', offset: n });
  return tokens;
}

function readString(src: string, open: number): [string, number] {
  let out = '';
  let i = open + 1;
  let runStart = i;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "'") return [out + src.slice(runStart, i), i + 1];
    if (ch === '\\') {
      const next = src[i + 1];
      if (next !== "'" && next !== '\\') throw new StixPatternError("invalid escape: only \\' and \\\\ are allowed", src, i);
      out += src.slice(runStart, i) + next;
      i += 2;
      runStart = i;
      continue;
    }
    i++;
  }
  throw new StixPatternError('unterminated string literal', src, open);
}

function prefixed(src: string, prefix: string, body: string, offset: number): Token {
  if (prefix === 't') {
    if (!checkPatternTimestamp(truncateFraction(body)).valid) throw new StixPatternError('invalid timestamp literal', src, offset);
    return { kind: 'timestamp', text: body, offset };
  }
  if (prefix === 'h') {
    if (!HEX_RE.test(body)) throw new StixPatternError('invalid hex literal', src, offset);
    return { kind: 'hex', text: body, offset };
  }
  const base64 = body.replace(LINE_FEEDS, '');
  if (!BASE64_RE.test(base64)) throw new StixPatternError('invalid base64 binary literal', src, offset);
  return { kind: 'binary', text: base64, offset };
}

// §2.16 allows "1 or more sub-second values"; checkPatternTimestamp stops at nanoseconds, which decide nothing about validity.
function truncateFraction(body: string): string {
  const dot = body.indexOf('.');
  return dot === 19 && body.length > 30 && /^[0-9]+Z$/.test(body.slice(20)) ? body.slice(0, 29) + 'Z' : body;
}

function readNumber(src: string, start: number, tokens: Token[]): number {
  let i = start;
  // §9.2: positive integers and floats "MUST be represented as-is, omitting the plus sign" (the grammar allows '+').
  if (src[i] === '+') throw new StixPatternError("a positive number is written without '+'", src, start);
  if (src[i] === '-') i++;
  const intStart = i;
  while (isDigit(src.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  let kind: 'int' | 'float' = 'int';
  if (src[i] === '.' && isDigit(src.charCodeAt(i + 1))) {
    kind = 'float';
    i++;
    while (isDigit(src.charCodeAt(i))) i++;
  } else if (intDigits > 1 && src[intStart] === '0') {
    throw new StixPatternError('integer literal with leading zero', src, start);
  }
  if (isWordChar(src.charCodeAt(i)) && src[i] !== '-') throw new StixPatternError('malformed number', src, start);
  tokens.push({ kind, text: src.slice(start, i), offset: start });
  return i;
}
