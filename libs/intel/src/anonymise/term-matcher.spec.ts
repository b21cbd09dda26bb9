import { PhoneMatcher, TermMatcher, camelCaseTerms } from './term-matcher';
import { fold } from './fold';

describe('TermMatcher', () => {
  const m = new TermMatcher(['Acme Corp', 'acme.example', 'Project Falcon', 'Acme']);

  it.each([
    ['Seen at ACME corp. last week', 'Seen at [r]. last week'],
    ['mail hr@Acme.Example now', 'mail hr@[r] now'],
    ['acme_corp_report.pdf', '[r]_report.pdf'],
    ['Acmeville and Acmes are not Acme', 'Acmeville and Acmes are not [r]'],
    ['project falcon / Project  Falcon', '[r] / [r]'],
    ['nothing to see', 'nothing to see'],
  ])('%j', (text, expected) => {
    expect(m.replace(text, '[r]')).toBe(expected);
  });

  it('returns the same string when nothing matched', () => {
    const s = 'unchanged text';
    expect(m.replace(s, '[r]')).toBe(s);
  });

  it('matches whole names only in matchesWhole', () => {
    expect(m.matchesWhole('ACME  Corp')).toBe(true);
    expect(m.matchesWhole('Acme Corp Holdings')).toBe(false);
  });

  it('handles letters beyond ASCII', () => {
    expect(new TermMatcher(['Müller Bau']).replace('Bericht MÜLLER bau GmbH', 'X')).toBe('Bericht X GmbH');
  });
});

describe('PhoneMatcher', () => {
  const phones = new Set(['+12025550101']);
  it.each([
    ['call +1 (202) 555-0101 today', 'call [p] today'],
    ['call 202.555.0101', 'call [p]'],
    ['call 0012025550101', 'call [p]'],
    ['other +1 202 555 0199', 'other +1 202 555 0199'],
  ])('%j', (text, expected) => {
    expect(new PhoneMatcher(phones).replace(text, '[p]')).toBe(expected);
  });
});

describe('TermMatcher over encoded text', () => {
  it('reads percent escapes and HTML character references as what they encode, replacing the whole escape', () => {
    const m = new TermMatcher(['Acme Corp']);
    expect(m.replace('https://x.test/Acme%20Corp/a', '[redacted]')).toBe('https://x.test/[redacted]/a');
    expect(m.replace('Acme&nbsp;Corp and Acme&#32;Corp and Ac%6De Corp', '[redacted]')).toBe('[redacted] and [redacted] and [redacted]');
    expect(m.replace('https://r.test/?next=https%3A%2F%2Fx.test%2FAcme%2520Corp%2F', '[redacted]')).toBe(
      'https://r.test/?next=https%3A%2F%2Fx.test%2F[redacted]%2F',
    );
    // Not escapes (no hex, NUL, an overlong sequence): read as written.
    expect(m.replace('100% Acme%ZZCorp &#0; %C0%A0 Acme%C0%A0Corp', '[redacted]')).toBe('100% Acme%ZZCorp &#0; %C0%A0 Acme%C0%A0Corp');
  });
});

describe('TermMatcher over look-alike letters', () => {
  it('reads small capitals, Latin alpha and Armenian look-alikes as the Latin letters they show', () => {
    const m = new TermMatcher(['Umbrella Pharma', 'apple.example']);
    expect(m.replace('ᴜᴍʙʀᴇʟʟᴀ ᴘʜᴀʀᴍᴀ', '[redacted]')).toBe('[redacted]');
    expect(m.replace('login.ɑpple.exɑmple', '[redacted]')).toBe('login.[redacted]');
    expect(m.replace('Umbrellɑ Phɑrmɑ and Umbrella Pհarma', '[redacted]')).toBe('[redacted] and [redacted]');
  });
});

describe('camelCaseTerms over camelCase words', () => {
  it('finds distinctive terms inside camelCase words, and short ones nowhere inside a word', () => {
    const m = new TermMatcher(camelCaseTerms(['Umbrella Pharma', 'Target', 'Ace']));
    const found = (s: string) => m.spans(fold(s, { splitCamel: true })).map((sp) => s.slice(sp.start, sp.end));
    expect(found('UmbrellaPharmaSOC and SOCUmbrellaPharma')).toEqual(['UmbrellaPharma', 'UmbrellaPharma']);
    expect(found('TargetCERT, ShopTarget, Targeting')).toEqual(['Target', 'Target']);
    expect(found('tok=xAceQ9 AceCorp')).toEqual([]);
    expect(found('UmbrellaPharmaceuticals Acmeville')).toEqual([]);
  });
});

describe('TermMatcher over escaped text and names run into numbers', () => {
  it('reads backslash escapes only when asked, keeping Windows paths', () => {
    const m = new TermMatcher(['Umbrella Pharma', 'Northwind']);
    const found = (s: string, readEscapes: boolean) => m.spans(fold(s, { readEscapes })).map((sp) => s.slice(sp.start, sp.end));
    expect(found('^Umbrella\\s+Pharma, Umbrella\\x20Pharma, Umbrella\\u{20}Pharma, Umbrella\\nPharma', true)).toEqual([
      'Umbrella\\s+Pharma',
      'Umbrella\\x20Pharma',
      'Umbrella\\u{20}Pharma',
      'Umbrella\\nPharma',
    ]);
    expect(found('C:\\Northwind\\tools', false)).toEqual(['Northwind']);
    expect(found('C:\\Northwind\\tools', true)).toEqual([]);
  });

  it('reads numeric references without their semicolon, and letters run into digits as words apart for camelCase terms', () => {
    expect(new TermMatcher(['Umbrella Pharma']).replace('Umbrella&#32Pharma, Umbrella&Tab;Pharma', '[r]')).toBe('[r], [r]');
    const m = new TermMatcher(camelCaseTerms(['Umbrella Pharma', 'Ace']));
    const found = (s: string) => m.spans(fold(s, { splitCamel: true })).map((sp) => s.slice(sp.start, sp.end));
    expect(found('UmbrellaPharma2024 umbrellapharma01.corp 2024umbrella-pharma')).toEqual([
      'UmbrellaPharma',
      'umbrellapharma',
      'umbrella-pharma',
    ]);
    expect(found('ace1 9Ace')).toEqual([]);
  });
});
