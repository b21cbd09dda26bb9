/**
 * Text as it is compared when redacting: NFKC compatibility forms (full-width, ligatures,
 * mathematical and circled letters), diacritics and invisible format characters (zero-width
 * spaces, soft hyphens, bidi controls) removed, case folded, and Cyrillic / Greek letters that
 * look like Latin ones read as those. Each folded unit remembers the range of the original text it
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

export function fold(input: string): Folded {
  if (ASCII.test(input)) return { text: input.toLowerCase() };
  const start: number[] = [];
  const end: number[] = [];
  let text = '';
  let i = 0;
  for (const ch of input) {
    const f = foldCodePoint(ch);
    const to = i + ch.length;
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
