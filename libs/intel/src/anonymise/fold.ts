/**
 * Text as it is compared when redacting: NFKC compatibility forms (full-width, ligatures,
 * mathematical and circled letters), diacritics and invisible format characters (zero-width
 * spaces, soft hyphens, bidi controls) removed, case folded, and Cyrillic / Greek letters that
 * look like Latin ones read as those. Percent-encoded UTF-8 (`Acme%20Corp`, as URLs carry a name)
 * and HTML character references (`Acme&#32;Corp`, `Acme&nbsp;Corp`) are read as the characters
 * they encode. With `splitCamel`, words run together in camelCase are read apart (see CAMEL). Each folded unit remembers the range of the original text it
 * came from, so a match found in the folded text replaces exactly that part of the original.
 */
export interface Folded {
  text: string;
  /** Original start (UTF-16 index) of each folded unit; absent when it is the unit's own index (ASCII). */
  start?: number[];
  /** Original end (exclusive) of each folded unit; absent likewise. */
  end?: number[];
}

/** The original range of folded units [from, to). */
export function originalRange(f: Folded, from: number, to: number): { start: number; end: number } {
  return { start: f.start ? f.start[from] : from, end: f.end ? f.end[to - 1] : to };
}

// Letters of other scripts that render like Latin ones (the usual homoglyph swaps).
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  с: 'c',
  е: 'e',
  һ: 'h',
  і: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  т: 't',
  у: 'y',
  ԝ: 'w',
  х: 'x',
  ь: 'b',
  ё: 'e',
  ї: 'i',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ζ: 'z',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ŧ: 't',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  // Latin letters of other shapes (IDN homographs: "ɑpple") and small capitals ("ᴜᴍʙʀᴇʟʟᴀ"), which
  // neither NFKC nor case folding reads as the letters they show.
  ɑ: 'a',
  ɡ: 'g',
  ɩ: 'i',
  ȷ: 'j',
  ɛ: 'e',
  ɾ: 'r',
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ɪ: 'i',
  ᴊ: 'j',
  ᴋ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴘ: 'p',
  ǫ: 'q',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
  // Armenian, Cyrillic and Lisu letters shaped like Latin ones.
  օ: 'o',
  ս: 'u',
  ց: 'g',
  հ: 'h',
  ո: 'n',
  ԁ: 'd',
  ꓲ: 'i',
  ꓮ: 'a',
  ꓳ: 'o',
  ǀ: 'l',
};

const DROPPED = /[\p{M}\p{Cf}]/u;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII = /^[\x00-\x7f]*$/;

const cache = new Map<string, string>();

function foldCodePoint(ch: string): string {
  const hit = cache.get(ch);
  if (hit !== undefined) return hit;
  let out = '';
  for (const c of ch.normalize('NFKD')) {
    if (DROPPED.test(c)) continue;
    for (const l of c.toUpperCase().toLowerCase()) out += LOOK_ALIKES[l] ?? l;
  }
  // NFKD may leave compatibility forms that only NFKC composes (rare); fold the result once more.
  out = out.normalize('NFKC');
  if (cache.size < 10_000) cache.set(ch, out);
  return out;
}

export interface FoldOptions {
  splitCamel?: boolean;
  /**
   * Backslash escapes as programs and patterns write characters (`Acme\x20Corp`, `Acme\u0020Corp`,
   * a regular expression's `Acme\s+Corp`, a pasted log's `Acme\nCorp`) read as the characters, or
   * the class of characters, they stand for. An option, not the rule: a Windows path
   * (`C:\Northwind\tools`) read so would lose its names' first letters.
   */
  readEscapes?: boolean;
}

export function fold(input: string, opts: FoldOptions = {}): Folded {
  const camel = opts.splitCamel === true && CAMEL.test(input);
  const escapes = opts.readEscapes === true && input.includes('\\');
  if (!camel && !escapes && ASCII.test(input) && !ENCODED.test(input)) return { text: input.toLowerCase() };
  const start: number[] = [];
  const end: number[] = [];
  let text = '';
  let i = 0;
  while (i < input.length) {
    if (camel && camelBoundary(input, i)) {
      // A word boundary of its own, standing for no original text.
      start.push(i);
      end.push(i);
      text += ' ';
    }
    const { ch, length } = (escapes && input[i] === '\\' ? escapeAt(input, i) : undefined) ?? unitAt(input, i);
    const f = foldCodePoint(ch);
    const to = i + length;
    if (f.length === 0) {
      // A combining mark or invisible character belongs to what precedes it.
      if (end.length > 0) for (let k = end.length - 1; k >= 0 && end[k] === i; k--) end[k] = to;
    } else {
      for (let k = 0; k < f.length; k++) {
        start.push(i);
        end.push(to);
      }
      text += f;
    }
    i = to;
  }
  return { text, start, end };
}

// camelCase and PascalCase words run together ("UmbrellaPharmaSOC"): with splitCamel, a lower-case
// letter followed by an upper-case one, or an upper-case run followed by a word ("SOCUmbrella"), is
// read as two words. "Acmeville" stays one word.
const CAMEL = /\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll}|\p{L}\p{Nd}|\p{Nd}\p{L}/u;
const LOWER = /^\p{Ll}$/u;
const UPPER = /^\p{Lu}$/u;
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function camelBoundary(input: string, i: number): boolean {
  if (i === 0) return false;
  const before = input[i - 1];
  const here = input[i];
  // Letters and digits run together ("UmbrellaPharma2024", the host "umbrellapharma01") are words apart too.
  if ((LETTER.test(before) && DIGIT.test(here)) || (DIGIT.test(before) && LETTER.test(here))) return true;
  if (!UPPER.test(here)) return false;
  return LOWER.test(before) || (UPPER.test(before) && i + 1 < input.length && LOWER.test(input[i + 1]));
}

// \xHH, \uHHHH, \u{H…}, and the escapes and classes that stand for white space or a separator.
const ESCAPE = /^\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|u\{([0-9a-f]{1,6})\}|([sSwWdDbBntrfv0]))/i;

/** The character a backslash escape at `i` stands for (a class or control character read as a space), or undefined. */
function escapeAt(input: string, i: number): { ch: string; length: number } | undefined {
  const m = ESCAPE.exec(input.slice(i, i + 10));
  if (!m) return undefined;
  const hex = m[1] ?? m[2] ?? m[3];
  if (hex === undefined) return { ch: ' ', length: m[0].length };
  const cp = parseInt(hex, 16);
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return { ch: String.fromCodePoint(cp), length: m[0].length };
}

// Where an encoded character may start: a percent escape or a character reference.
const ENCODED = /%[0-9a-f]{2}|&(?:#|[a-z]+;)/i;
const HTML_NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  nbsp: '\u00a0',
  shy: '\u00ad',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwnj: '\u200c',
  zwj: '\u200d',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  hyphen: '\u2010',
  period: '.',
  lowbar: '_',
  dash: '\u2010',
  tab: '\t',
  newline: '\n',
  colon: ':',
  comma: ',',
  sol: '/',
  bsol: '\\',
};
// Browsers read a numeric reference without its semicolon too (`Acme&#32Corp`).
const CHAR_REF = /^&(?:#(\d{1,7});?|#x([0-9a-f]{1,6});?|([a-z]+);)/i;
// A byte as a percent escape, also escaped twice (%2520: a URL inside another URL's query).
const PERCENT = /^%(?:25)?([0-9a-f]{2})/i;

/** The character that starts at `i` — a code point, a percent-encoded UTF-8 character or an HTML character reference — and how many units of `input` it spans. */
function unitAt(input: string, i: number): { ch: string; length: number } {
  const c = input[i];
  if (c === '%') {
    const decoded = percentAt(input, i);
    if (decoded) return decoded;
  } else if (c === '&') {
    const m = CHAR_REF.exec(input.slice(i, i + 12));
    if (m) {
      const cp = m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? parseInt(m[2], 16) : undefined;
      const ch =
        cp !== undefined
          ? cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)
            ? String.fromCodePoint(cp)
            : undefined
          : HTML_NAMED[m[3].toLowerCase()];
      if (ch !== undefined) return { ch, length: m[0].length };
    }
  }
  const ch = String.fromCodePoint(input.codePointAt(i)!);
  return { ch, length: ch.length };
}

/** One UTF-8 character written as percent escapes at `i` (`%20`, `%C3%A9`, `%2520`), or undefined. */
function percentAt(input: string, i: number): { ch: string; length: number } | undefined {
  const bytes: number[] = [];
  let at = i;
  const nextByte = () => {
    const m = PERCENT.exec(input.slice(at, at + 5));
    if (!m) return undefined;
    at += m[0].length;
    return parseInt(m[1], 16);
  };
  const lead = nextByte();
  if (lead === undefined) return undefined;
  const n = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
  if (n === 0) return undefined;
  bytes.push(lead);
  for (let k = 1; k < n; k++) {
    const b = nextByte();
    if (b === undefined || (b & 0xc0) !== 0x80) return undefined;
    bytes.push(b);
  }
  const ch = Buffer.from(bytes).toString('utf8');
  // An overlong or otherwise invalid sequence decodes to U+FFFD: not a character it encodes.
  if (ch.includes('\ufffd') || [...ch].length !== 1) return undefined;
  return { ch, length: at - i };
}
