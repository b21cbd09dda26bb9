import { fold, type Folded } from './fold';

// Artifact payloads (base64 in payload_bin, and a pattern's binary literals): what of them is text is
// scrubbed as text is; what cannot be scrubbed must name nobody (payloadNamesSomeone).

/** How a payload is searched: scrubbing text (scrubText with the bundle's rules), and finding the names redaction knows. */
export interface PayloadRules {
  scrub(text: string): string;
  /** True when the publisher's terms, or the bundle's personal values or phone numbers, are in the text. */
  knownIn(folded: Folded): boolean;
}

/**
 * An artifact's payload that is UTF-8 text (a raw e-mail, a script, a web page) is text like any
 * other, only base64-encoded: it is decoded, scrubbed and encoded again — and so are the base64
 * MIME parts inside it that are UTF-8 text (a message's text/plain and text/html bodies), at the
 * line length they were written in. Other payloads stay (payloadNamesSomeone tells whether they
 * must be refused).
 */
export function scrubPayload(b64: string, text: (s: string) => string): string {
  const decoded = utf8Payload(b64);
  if (decoded === undefined) return b64;
  const next = scrubTextPayload(decoded, text, 0);
  return next === decoded ? b64 : Buffer.from(next, 'utf8').toString('base64');
}

function scrubTextPayload(decoded: string, text: (s: string) => string, depth: number): string {
  const scrubbed = text(decoded);
  if (depth >= MAX_ENCODED_DEPTH) return scrubbed;
  return scrubbed.replace(BASE64_BLOCK, (block) => {
    const inner = utf8Text(Buffer.from(block.replace(/\s/g, ''), 'base64'));
    if (inner === undefined) return block;
    const next = scrubTextPayload(inner, text, depth + 1);
    return next === inner ? block : wrapLike(block, Buffer.from(next, 'utf8').toString('base64'));
  });
}

/** Base64 broken into lines as `like` is (76 characters and CRLF, as MIME writes it), ending as it ends. */
function wrapLike(like: string, b64: string): string {
  const eol = /\r?\n/.exec(like)?.[0];
  if (!eol) return b64;
  const width = like.indexOf(eol);
  const lines = b64.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return lines.join(eol) + (like.endsWith(eol) ? eol : '');
}

function utf8Payload(b64: string): string | undefined {
  return utf8Text(Buffer.from(b64, 'base64'));
}

/**
 * True when an artifact payload holds what redaction removes — the publisher's terms, e-mail
 * addresses, phone numbers, the bundle's personal values — where it cannot be cut out: in binary
 * (not UTF-8) content, read as Latin-1 or UTF-16LE text, or in a text payload's encoded content
 * (a raw e-mail's base64 or quoted-printable MIME parts and RFC 2047 encoded words, which scrubbing
 * the text leaves as they are). Such an object is refused rather than served.
 */
export function payloadNamesSomeone(b64: string, rules: PayloadRules): boolean {
  return bytesNameSomeone(Buffer.from(b64, 'base64'), rules, 0);
}

// A MIME part nested in a part nested in a message is as deep as real messages go.
const MAX_ENCODED_DEPTH = 3;

/** `inPlace` counts the base64 parts this one is in (scrubPayload rewrites base64 text MAX_ENCODED_DEPTH deep). */
function bytesNameSomeone(bytes: Buffer, rules: PayloadRules, depth: number, scrubbedInPlace = true, inPlace = 0): boolean {
  const text = utf8Text(bytes);
  if (text === undefined) return binaryNamesSomeone(bytes, rules);
  // The payload's text and its base64 text parts are scrubbed (scrubPayload); quoted-printable text
  // and encoded words are not: they must name nobody.
  const scrubbed = rules.scrub(text);
  if (!scrubbedInPlace && scrubbed !== text) return true;
  if (inPlace < MAX_ENCODED_DEPTH)
    return (
      depth < MAX_ENCODED_DEPTH &&
      encodedParts(scrubbed).some((part) => bytesNameSomeone(part.bytes, rules, depth + 1, part.base64, inPlace + (part.base64 ? 1 : 0)))
    );
  // As deep as scrubPayload rewrites: the base64 text parts in this one are not scrubbed, so they must
  // name nobody, and text nested deeper still is refused unread (it went out whole).
  return encodedParts(scrubbed).some((part) => {
    const inner = utf8Text(part.bytes);
    return (
      inner !== undefined &&
      (rules.scrub(inner) !== inner || (part.base64 && encodedParts(inner).some((p) => p.base64 && utf8Text(p.bytes) !== undefined)))
    );
  });
}

// Text a person can read in binary content, as `strings` finds it: runs of printable ASCII; and, for
// the names redaction knows, runs with single Latin-1 letters between ASCII ("Müller GmbH").
const ASCII_RUN = /[\t\x20-\x7e]{4,}/g;
// A run is only tried where one starts (not after a printable character): tried from every position
// of a long printable run, each try reading to its end, the search was quadratic in the run.
const LATIN1_RUN = /(?<![\t\x20-\x7e])[\t\x20-\x7e]{2,}(?:[\u00a0-\u00ff][\t\x20-\x7e]{2,})+/g;

/**
 * Binary content read as Latin-1 and as UTF-16LE (at either byte alignment) is looked at only where
 * it is readable text: read whole, random bytes name someone every few kilobytes ("Ä@Ô5F.Z" is an
 * address to the e-mail finder), so every malware sample, capture or image of some size was refused.
 */
function binaryNamesSomeone(bytes: Buffer, rules: PayloadRules): boolean {
  const readings = [bytes.toString('latin1'), bytes.toString('utf16le'), bytes.subarray(1).toString('utf16le')];
  const ascii = readings.flatMap((t) => t.match(ASCII_RUN) ?? []).join('\n');
  if (rules.scrub(ascii) !== ascii) return true;
  const latin1 = fold(readings.flatMap((t) => t.match(LATIN1_RUN) ?? []).join('\n'));
  return rules.knownIn(latin1);
}

function utf8Text(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// Base64 as MIME writes it: lines of at least 16 characters (4 groups), the last padded.
const BASE64_BLOCK = /(?:[A-Za-z0-9+/]{4}(?:\r?\n)?){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?/g;
const ENCODED_WORD = /=\?[^?\s]+\?([bq])\?([^?\s]*)\?=/gi;
const QUOTED_PRINTABLE = /=(?:[0-9A-F]{2}|\r?\n)/;

/** What a text's encoded content decodes to: its base64 blocks, its encoded words and, if it has quoted-printable escapes, the text read as quoted-printable. */
function encodedParts(text: string): Array<{ bytes: Buffer; base64: boolean }> {
  const parts: Array<{ bytes: Buffer; base64: boolean }> = [];
  for (const [, enc, word] of text.matchAll(ENCODED_WORD))
    parts.push({
      bytes: enc.toLowerCase() === 'b' ? Buffer.from(word, 'base64') : quotedPrintable(word.replace(/_/g, ' ')),
      base64: false,
    });
  for (const [block] of text.matchAll(BASE64_BLOCK)) parts.push({ bytes: Buffer.from(block.replace(/\s/g, ''), 'base64'), base64: true });
  if (QUOTED_PRINTABLE.test(text)) parts.push({ bytes: quotedPrintable(text), base64: false });
  return parts;
}

function quotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const unfolded = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < unfolded.length;) {
    const hex = unfolded[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(unfolded.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 3;
      continue;
    }
    const ch = String.fromCodePoint(unfolded.codePointAt(i)!);
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return Buffer.from(bytes);
}
