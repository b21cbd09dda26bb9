import { createHash } from 'node:crypto';
import { payloadNamesSomeone, type ScrubRules } from './scrub';
import { PhoneMatcher, TermMatcher, camelCaseTerms } from './term-matcher';

const terms = ['Umbrella Pharma', 'umbrella-pharma.example'];
const rules: ScrubRules = {
  personal: new TermMatcher(['Jana Müller'], { standalone: true }),
  phones: new PhoneMatcher([]),
  publisher: new TermMatcher(terms),
  publisherInCamelCase: new TermMatcher(camelCaseTerms(terms)),
};
const b64 = (b: Buffer) => b.toString('base64');

/** Bytes that look random, the same on every run (a SHA-256 chain). */
function noise(size: number): Buffer {
  const out: Buffer[] = [];
  let block = Buffer.from('seed');
  for (let n = 0; n < size; n += 32) out.push((block = createHash('sha256').update(block).digest()));
  return Buffer.concat(out).subarray(0, size);
}

describe('payloadNamesSomeone over binary content', () => {
  it('does not take random bytes read as Latin-1 for an e-mail address', () => {
    // "Ä@Ô5F.Z" between control bytes: read whole as Latin-1, an address to the e-mail finder.
    const lookalike = Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.from('Ä@Ô5F.Z', 'latin1'), Buffer.from([0x02, 0x00])]);
    expect(payloadNamesSomeone(b64(lookalike), rules)).toBe(false);
    expect(payloadNamesSomeone(b64(noise(1024 * 1024)), rules)).toBe(false);
  });

  it('still finds names and addresses a person can read in it, in ASCII, UTF-16LE at either alignment and Latin-1', () => {
    const around = (text: Buffer) => b64(Buffer.concat([noise(4096), Buffer.from([0x00]), text, Buffer.from([0x00]), noise(4096)]));
    expect(payloadNamesSomeone(around(Buffer.from('ops-team@evil.test')), rules)).toBe(true);
    expect(payloadNamesSomeone(around(Buffer.from('Copyright Umbrella Pharma')), rules)).toBe(true);
    // UTF-16LE text at an odd byte offset (after the NUL of `around`) and at an even one.
    expect(payloadNamesSomeone(around(Buffer.from('Umbrella Pharma', 'utf16le')), rules)).toBe(true);
    expect(payloadNamesSomeone(b64(Buffer.concat([noise(4096), Buffer.from('Umbrella Pharma', 'utf16le')])), rules)).toBe(true);
    expect(payloadNamesSomeone(around(Buffer.from('by Jana Müller', 'latin1')), rules)).toBe(true);
  });
});

describe('payloadNamesSomeone over a long readable run in binary content', () => {
  // The Latin-1 search was tried from every position of a printable run, each try reading to its end:
  // quadratic in the run (40 KB ~1.3 s, so 2 MB ~1 h; a 20 MB request days of the event loop). One
  // byte that is not UTF-8 makes any text payload binary.
  it('reads a 2 MB ASCII run with one non-UTF-8 byte in one pass, and still finds the name after it', () => {
    const run = Buffer.alloc(2 * 1024 * 1024, 'a');
    expect(payloadNamesSomeone(b64(Buffer.concat([run, Buffer.from([0xff])])), rules)).toBe(false);
    expect(payloadNamesSomeone(b64(Buffer.concat([run, Buffer.from([0xff]), Buffer.from(' Jana Müller ', 'latin1')])), rules)).toBe(true);
  });
});

describe('payloadNamesSomeone over base64 nested deeper than scrubbing goes', () => {
  // scrubPayload rewrites base64 text parts three deep; a fourth (a forwarded message in a forwarded
  // message...) was neither scrubbed nor refused, and the name went out whole.
  const wrap = (t: string) =>
    `Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(t).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
  const nested = (depth: number, t: string): string => (depth === 0 ? t : nested(depth - 1, wrap(t)));
  it('refuses a name four parts deep, and still passes three deep (scrubbed in place)', () => {
    expect(payloadNamesSomeone(b64(Buffer.from(nested(4, 'Regards, SOC of Umbrella Pharma'))), rules)).toBe(true);
    expect(payloadNamesSomeone(b64(Buffer.from(nested(3, 'Regards, SOC of Umbrella Pharma'))), rules)).toBe(false);
    expect(payloadNamesSomeone(b64(Buffer.from(nested(4, 'Regards, the SOC'))), rules)).toBe(false);
  });
});
