import { StixPatternError } from './errors';
import { equalityPattern, extractComparisons } from './extract';
import { parsePattern } from './parser';

describe('extractComparisons', () => {
  it('returns the simple equality the indicator is about', () => {
    expect(extractComparisons("[email-addr:value = 'a@b.c']")).toEqual([
      { type: 'email-addr', path: 'value', steps: [{ kind: 'property', name: 'value' }], value: 'a@b.c' },
    ]);
  });

  it('collects equalities across OR, AND, observations and qualifiers, expanding IN and dropping duplicates', () => {
    const sha256 = 'a'.repeat(64);
    const md5 = 'b'.repeat(32);
    const found = extractComparisons(
      `([file:hashes.'SHA-256' = '${sha256}' OR file:hashes.MD5 = '${md5}'] AND [user-account:account_type = 'github' AND user-account:account_login = 'dev-kim']) ` +
        "FOLLOWEDBY [ipv4-addr:value IN ('198.51.100.1', '198.51.100.1', '198.51.100.2')] WITHIN 60 SECONDS",
    );
    expect(found.map((c) => [c.type, c.path, c.value])).toEqual([
      ['file', "hashes.'SHA-256'", sha256],
      ['file', 'hashes.MD5', md5],
      ['user-account', 'account_type', 'github'],
      ['user-account', 'account_login', 'dev-kim'],
      ['ipv4-addr', 'value', '198.51.100.1'],
      ['ipv4-addr', 'value', '198.51.100.2'],
    ]);
  });

  it('leaves out negations, ranges, pattern matches and non-scalar literals', () => {
    expect(
      extractComparisons(
        "[file:name != 'a' AND file:size > 3 AND file:name LIKE 'x%' AND file:name NOT = 'b' AND file:magic_number_hex = h'ffd8' AND EXISTS file:mime_type]",
      ),
    ).toEqual([]);
  });

  it('accepts an AST and throws on invalid text', () => {
    expect(extractComparisons(parsePattern("[phone-number:value = '+12025550147']"))[0].value).toBe('+12025550147');
    expect(() => extractComparisons('[phone-number:value =')).toThrow(StixPatternError);
  });
});

describe('equalityPattern', () => {
  it('quotes and escapes so the result parses back to the same comparison', () => {
    const cases: Array<[string, string | string[], string | number | boolean]> = [
      ['email-addr', 'value', "o'brien\\x@example.com"],
      ['file', 'hashes.SHA-256', 'ab'.repeat(32)],
      ['user-account', ['account_login'], 'dev-kim'],
      ['autonomous-system', 'number', 64496],
      ['user-account', 'is_privileged', false],
      ['x-thing', ['a.b'], 1.5],
    ];
    for (const [type, path, value] of cases) {
      const pattern = equalityPattern(type, path, value);
      const [c] = extractComparisons(pattern);
      expect(c.type).toBe(type);
      expect(c.value).toBe(value);
    }
    expect(equalityPattern('file', 'hashes.SHA-256', 'x')).toBe("[file:hashes.'SHA-256' = 'x']");
    expect(equalityPattern('email-addr', 'value', "it's")).toBe("[email-addr:value = 'it\\'s']");
  });

  it('refuses what cannot be written', () => {
    expect(() => equalityPattern('Bad', 'value', 'x')).toThrow(TypeError);
    expect(() => equalityPattern('file', 'a..b', 'x')).toThrow(TypeError);
    expect(() => equalityPattern('file', 'size', NaN)).toThrow(TypeError);
  });
});
