// Conformance of the pattern parser to STIX 2.1 section 9 and its ANTLR grammar (STIXPattern.g4 in
// oasis-open/cti-stix2-json-schemas). Each case names the grammar rule or the spec sentence it
// comes from. Where the grammar and the spec's text differ, the spec wins and the case says why
// ("SPEC OVER GRAMMAR").
import { StixPatternError } from './errors';
import { parsePattern, tryParsePattern } from './parser';
import { formatPattern } from './printer';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
const TLSH = 'A'.repeat(70);

// [pattern, where the grammar or the spec allows it]
const ACCEPT: Array<[string, string]> = [
  // Object types: objectType : IdentifierWithoutHyphen | IdentifierWithHyphen, i.e. [a-zA-Z_][a-zA-Z0-9_-]*.
  ["[x_whatever:foo = 'a']", 'objectType: IdentifierWithoutHyphen takes an underscore type'],
  ['[x-acme-thing:value = 1]', 'objectType: IdentifierWithHyphen takes a custom x- type'],
  ["[a:b = 'c']", 'objectType: one-letter identifier'],
  ["[File:name = 'x']", 'objectType: identifiers are mixed-case ([a-zA-Z_])'],
  ["[_private-Type9:x = 'y']", 'objectType: starts with _ and mixes case, digits and hyphens'],
  ['[x-:y = 1]', 'objectType: IdentifierWithHyphen may end in a hyphen'],
  // Object paths.
  ["[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]", "indexPathStep: LBRACK ASTERISK RBRACK; §9.7.2 '[*]'"],
  ["[network-traffic:protocols[0] = 'tcp']", 'indexPathStep: LBRACK IntPosLiteral RBRACK; §9.7.2 example'],
  ["[file:'name' = 'x']", 'firstPathComponent: StringLiteral'],
  ["[file:hashes.'SHA-256' = '" + SHA256 + "']", "keyPathStep: '.' StringLiteral; §9.8 first example"],
  ["[x-y:'a.b'.'c:d' = 1]", "keyPathStep: quoted components may hold '.' and ':' (§9.7: names with '.' MUST be quoted)"],
  ["[network-traffic:start = t'2025-01-01T00:00:00Z']", "keywords are case-sensitive, so 'start' is an IdentifierWithoutHyphen"],
  ["[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$']", '§9.7.4 dereferenced reference property; §9.8 example'],
  ["[directory:contains_refs[*].name = 'a']", '§9.7.4 list of references with [*]'],
  // Comparison operators (propTest).
  ["[file:name NOT = 'a']", 'propTestEqual: objectPath NOT? (EQ|NEQ)'],
  ['[file:size NOT > 5]', 'propTestOrder: objectPath NOT? (GT|LT|GE|LE)'],
  ["[file:name NOT IN ('a', 'b')]", 'propTestSet: objectPath NOT? IN setLiteral'],
  ["[file:name NOT LIKE 'a%']", 'propTestLike: NOT? LIKE StringLiteral'],
  ["[file:name NOT MATCHES '^a']", 'propTestRegex: NOT? MATCHES StringLiteral'],
  ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", '§9.6.1 ISSUBSET example'],
  ["[ipv6-addr:value ISSUPERSET '2001:db8::/32']", '§9.6.1 ISSUPERSET on an ipv6-addr value'],
  [
    "[network-traffic:dst_ref.value NOT ISSUBSET '10.0.0.0/8']",
    '§9.6.1 ISSUBSET: a dereferenced ipv4-addr value is "the value property of an Object of type ipv4-addr"',
  ],
  ['[EXISTS windows-registry-key:values]', 'propTestExists: EXISTS objectPath'],
  ["[file:name == 'a' AND file:name <> 'b']", "EQ: '=' | '=='; NEQ: '!=' | '<>'"],
  ['[file:size IN ()]', 'setLiteral: LPAREN RPAREN'],
  ['[file:size IN (1, 2.5, -3)]', '§9.6.1 IN: integer and float constants are one (numeric) comparable type'],
  ["[((file:name = 'a') OR (file:name = 'b')) AND file:size > 1]", 'propTestParen: LPAREN comparisonExpression RPAREN, nested'],
  // Literals.
  ['[x-y:z = -12]', 'IntNegLiteral'],
  ['[x-y:z = -0]', "IntNegLiteral: '-' '0'"],
  ['[x-y:z = 3.25]', 'FloatPosLiteral'],
  ['[x-y:z = -.5]', "FloatNegLiteral: '-' [0-9]* '.' [0-9]+"],
  ['[x-y:z = 007.5]', 'FloatPosLiteral: [0-9]* allows leading zeros before the point'],
  ['[x-y:z = true]', "BoolLiteral: TRUE: 'true'"],
  ['[x-y:z != false]', "BoolLiteral: FALSE: 'false'"],
  ["[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", 'BinaryLiteral; §9.6.4 example'],
  ["[artifact:payload_bin = b'ABI=']", "BinaryLiteral with one '=' pad; §9.2 example b'ABI='"],
  [
    "[artifact:payload_bin = b'dGhp\ncyBp']",
    '§9.2 binary: "Line feeds in the base64 encoded data MUST be supported and ignored" — SPEC OVER GRAMMAR (the grammar has no line feeds)',
  ],
  ["[artifact:payload_bin = h'ffc3']", 'HexLiteral; §9.2 example'],
  ["[artifact:payload_bin = h'']", 'HexLiteral: TwoHexDigits* may be empty'],
  ["[file:name = 'it\\'s a \\\\ test']", "StringLiteral: '\\\\\\'' | '\\\\\\\\' escapes"],
  [
    "[file:created = t'2016-02-29T23:59:60.123456789012Z']",
    'TimestampLiteral: leap day, leap second, any number of fraction digits (§2.16 "[.s+]")',
  ],
  // Observation expressions and qualifiers.
  ["[file:name = 'a'] FOLLOWEDBY [file:name = 'b']", 'observationExpressions: FOLLOWEDBY'],
  ["(([file:name = 'a'] OR [file:name = 'b'])) AND [file:name = 'c']", 'observationExpressionCompound, nested parentheses'],
  [
    "[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
    'startStopQualifier: START TimestampLiteral STOP TimestampLiteral; §9.1 example',
  ],
  ['([a:b = 1] AND [a:b = 2]) WITHIN 300 SECONDS', 'withinQualifier on a compound expression; §9.1 example'],
  ['[a:b = 1] WITHIN 0.5 SECONDS', 'withinQualifier: FloatPosLiteral'],
  ['[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS', '§9.5.1: qualifiers of different types may follow one another'],
  [
    '([a:b = 1] WITHIN 5 SECONDS) WITHIN 10 SECONDS',
    '§9.5.1: the parenthesised group is another observation expression, with one WITHIN of its own',
  ],
  [
    "[a:b MATCHES '(a+)+$'] AND [a:b MATCHES '" + '(x+x+)+y'.repeat(50) + "']",
    'propTestRegex: any StringLiteral; Cairn never runs the regex, so a catastrophic one parses at once',
  ],
  ["/* c */ [file:name\n\t=\u00a0'a'] // end", 'WS (with U+00A0), COMMENT and LINE_COMMENT are skipped'],
  // Hashes (§9.6.1 "b MUST be a constant of the same data type as the object property").
  ["[file:hashes.MD5 = '" + MD5 + "']", 'MD5: 32 hex digits (hash-algorithm-ov)'],
  ["[file:hashes.'SHA-1' = '" + SHA1.toUpperCase() + "']", 'SHA-1: 40 hex digits, either case (as the object validator)'],
  ["[file:hashes.'SHA-512' IN ('" + SHA512 + "')]", 'SHA-512: 128 hex digits, in a set'],
  ["[file:hashes.'SHA3-256' = '" + SHA256 + "']", 'SHA3-256: 64 hex digits'],
  ["[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C']", 'SSDEEP: blocksize:hash:hash'],
  ["[file:hashes.TLSH = 'T1" + TLSH + "']", 'TLSH: T1 + 70 hex digits'],
  ["[file:hashes.'x-custom' = 'f00']", 'a custom hash algorithm has no known digest form'],
  ["[file:hashes.MD5 LIKE 'd41d%']", 'LIKE compares a pattern, not a digest'],
  ["[file:hashes.MD5 = h'd41d8cd98f00b204e9800998ecf8427e']", 'hex constants compare as octets (§9.6.4)'],
];

// [pattern, expected reason (substring), column of the reported position, where the rule comes from]
const REFUSE: Array<[string, string, number, string]> = [
  // Keywords are case-sensitive in the 2.1 grammar (AND: 'AND'; …).
  ["[file:name = 'a' and file:size = 1]", "write 'AND', not 'and'", 18, "AND: 'AND'"],
  ["[file:name = 'a' or file:size = 1]", "write 'OR', not 'or'", 18, "OR: 'OR'"],
  ["[file:name = 'a'] and [file:name = 'b']", "write 'AND', not 'and'", 19, "AND: 'AND' (observation operator)"],
  ["[file:name = 'a'] followedby [file:name = 'b']", "write 'FOLLOWEDBY'", 19, "FOLLOWEDBY: 'FOLLOWEDBY'"],
  ["[file:name = 'a'] within 5 seconds", "write 'WITHIN'", 19, "WITHIN: 'WITHIN'"],
  ["[file:name = 'a'] WITHIN 5 seconds", "write 'SECONDS'", 28, "SECONDS: 'SECONDS'"],
  ["[file:name = 'a'] repeats 2 TIMES", "write 'REPEATS'", 19, "REPEATS: 'REPEATS'"],
  ["[file:name = 'a'] REPEATS 2 times", "write 'TIMES'", 29, "TIMES: 'TIMES'"],
  ["[file:name = 'a'] start t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", "write 'START'", 19, "START: 'START'"],
  ["[file:name = 'a'] START t'2016-06-01T00:00:00Z' stop t'2016-07-01T00:00:00Z'", "write 'STOP'", 49, "STOP: 'STOP'"],
  ["[file:name like 'a%']", "write 'LIKE'", 12, "LIKE: 'LIKE'"],
  ["[file:name matches '^a']", "write 'MATCHES'", 12, "MATCHES: 'MATCHES'"],
  ["[file:name in ('a')]", "write 'IN'", 12, "IN: 'IN'"],
  ["[ipv4-addr:value issubset '198.51.100.0/24']", "write 'ISSUBSET'", 18, "ISSUBSET: 'ISSUBSET'"],
  ["[ipv4-addr:value issuperset '198.51.100.0/24']", "write 'ISSUPERSET'", 18, "ISSUPERSET: 'ISSUPERSET'"],
  ["[file:name not = 'a']", "write 'NOT'", 12, "NOT: 'NOT'"],
  ['[exists windows-registry-key:values]', "write 'EXISTS'", 2, "EXISTS: 'EXISTS'"],
  ['[x-y:z = TRUE]', "boolean literals are lower case: write 'true'", 10, "TRUE: 'true'; §9.2 'the literal true'"],
  ['[x-y:z = False]', "write 'false'", 10, "FALSE: 'false'"],
  ["[AND:x = 'a']", "keyword 'AND' cannot be an object type", 2, 'keywords lex before IdentifierWithHyphen'],
  [
    "[file:STOP = 'a']",
    "property name 'STOP' is a keyword and must be quoted",
    7,
    'firstPathComponent: IdentifierWithoutHyphen | StringLiteral; STOP lexes as a keyword',
  ],
  ["[x-y:a.true = 'a']", "property name 'true' is a keyword", 8, "keyPathStep: 'true' lexes as BoolLiteral"],
  // Qualifiers.
  [
    '[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS',
    'more than one WITHIN qualifier',
    28,
    '§9.5.1 "MUST NOT have more than one Qualifier of a particular type"',
  ],
  ['[a:b = 1] REPEATS 2 TIMES REPEATS 3 TIMES', 'more than one REPEATS qualifier', 27, '§9.5.1'],
  [
    "[a:b = 1] START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00Z' WITHIN 5 SECONDS START t'2016-01-01T00:00:00Z' STOP t'2016-03-01T00:00:00Z'",
    'more than one START/STOP qualifier',
    87,
    '§9.5.1',
  ],
  [
    "[a:b = 1] START '2016-01-01T00:00:00Z' STOP '2016-02-01T00:00:00Z'",
    'expected a timestamp',
    17,
    'startStopQualifier: START TimestampLiteral (2.0 took StringLiteral)',
  ],
  [
    '[a:b = 1] WITHIN 99999999999999999999999 SECONDS',
    'integer literal out of range',
    18,
    "withinQualifier: IntPosLiteral is an integer, within section 2's range",
  ],
  ['[a:b = 1] WITHIN 0 SECONDS', 'WITHIN needs a positive number', 18, '§9.5.1 "x MUST be a positive floating-point or integer value"'],
  ['[a:b = 1] WITHIN -5 SECONDS', 'WITHIN needs a positive number', 18, 'withinQualifier: IntPosLiteral | FloatPosLiteral'],
  [
    '([a:b = 1] AND [a:b = 2]) WITHIN 5 MINUTES',
    "expected 'SECONDS'",
    36,
    'withinQualifier: SECONDS only; §9.5\'s "WITHIN 5 MINUTES" is an informal example, §9.5.1\'s table defines x SECONDS',
  ],
  [
    "[a:b = 1] START t'2016-02-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'",
    'STOP must be later than START',
    46,
    "Cairn's rule, not the grammar's: §9.5.1 asks observation time >= x and < y, so y <= x can never match and is taken for a mistake",
  ],
  ['[a:b = 1] REPEATS 0 TIMES', 'REPEATS needs a positive integer', 19, '§9.5.1 "x MUST be a positive integer"'],
  ['[a:b = 1] REPEATS 1.5 TIMES', 'expected an integer', 19, 'repeatedQualifier: REPEATS IntPosLiteral TIMES'],
  // Numbers.
  [
    '[x-y:z = +7]',
    "a positive number is written without '+'",
    10,
    '§9.2 integer: "MUST be represented as-is, omitting the plus sign" — SPEC OVER GRAMMAR (IntPosLiteral allows +)',
  ],
  ['[x-y:z = +1.5]', "without '+'", 10, '§9.2 float: the same rule — SPEC OVER GRAMMAR'],
  ['[x-y:z = 007]', 'integer literal with leading zero', 10, "IntPosLiteral: '0' | [1-9] [0-9]*"],
  ['[x-y:z = 5.]', 'expected', 11, 'FloatPosLiteral needs a digit after the point'],
  ['[x-y:z = 1e5]', 'malformed number', 10, 'no exponent in IntPosLiteral / FloatPosLiteral'],
  [
    '[x-y:z = 9007199254740993]',
    'integer literal out of range',
    10,
    '§9.2 "The valid range of values is defined in section 2" (±(2^53-1))',
  ],
  ['[x-y:z = ' + '9'.repeat(400) + '.0]', 'float literal out of range', 10, '§2 float: a finite IEEE 754 double'],
  [
    '[x-y:z[-1] = 1]',
    'a list index cannot be negative',
    8,
    '§9.7.2 list_index "in the range of 0…N-1" — SPEC OVER GRAMMAR (indexPathStep allows IntNegLiteral)',
  ],
  ['[x-y:z[+1] = 1]', "without '+'", 8, '§9.2 the plus sign is omitted'],
  // Binary, hex, timestamp and string constants.
  ["[x-y:z = b'']", 'invalid base64 binary literal', 10, 'BinaryLiteral: at least one base64 group'],
  ["[x-y:z = b'abc']", 'invalid base64 binary literal', 10, 'BinaryLiteral: groups of four'],
  ["[x-y:z = h'abc']", 'invalid hex literal', 10, 'HexLiteral: TwoHexDigits*'],
  ["[x-y:z = h'FFC3']", 'invalid hex literal', 10, "§9.2 hex: \"the letters 'a' through 'f'\" — SPEC OVER GRAMMAR (HexDigit allows A-F)"],
  [
    "[x-y:z = t'2025-02-30T00:00:00Z']",
    'invalid timestamp literal',
    10,
    '§9.2/§2.16: a STIX timestamp is RFC 3339, whose date-mday is bounded by month and year — SPEC OVER GRAMMAR (the grammar takes any day 01-31)',
  ],
  ["[x-y:z = t'2023-02-29T00:00:00Z']", 'invalid timestamp literal', 10, '§2.16 / RFC 3339: no 29 February outside leap years'],
  ["[x-y:z = t'2025-01-01T24:00:00Z']", 'invalid timestamp literal', 10, "TimestampLiteral: hour ([01][0-9] | '2'[0-3])"],
  ["[x-y:z = t'2025-01-01 00:00:00Z']", 'invalid timestamp literal', 10, "TimestampLiteral: 'T'"],
  ["[x-y:z = t'2025-01-01T00:00:00+01:00']", 'invalid timestamp literal', 10, "TimestampLiteral: 'Z'; §2.16 UTC only"],
  [
    "[file:name = 'a\\n']",
    "invalid escape: only \\' and \\\\ are allowed",
    16,
    '§9.2 string: "Only the apostrophe or the backslash may follow"',
  ],
  ['[file:name = "a"]', 'unexpected character', 14, 'StringLiteral: QUOTE is the apostrophe'],
  // Operators and their operands.
  ['[file:name LIKE 5]', 'LIKE needs a string literal', 17, 'propTestLike: LIKE StringLiteral'],
  ['[file:size > true]', '> cannot compare booleans', 14, 'propTestOrder: orderableLiteral has no BoolLiteral'],
  ["[file:name IN ('a', 1)]", 'IN needs constants of one type', 21, '§9.6.1 IN: "constants of homogeneous data type" — SPEC OVER GRAMMAR'],
  [
    "[file:name ISSUBSET '198.51.100.0/24']",
    'ISSUBSET applies only to the value of an ipv4-addr or ipv6-addr',
    21,
    '§9.6.1 ISSUBSET: "a MUST be an Object Path referring to the value property of an Object of type ipv4-addr or ipv6-addr"',
  ],
  [
    "[ipv4-addr:value ISSUPERSET 'not an ip']",
    'is not an IPv4 address or CIDR block',
    29,
    '§9.6.1 ISSUPERSET: "b MUST be a valid string representation of the corresponding Object type"',
  ],
  ["[ipv4-addr:value ISSUBSET '2001:db8::/32']", 'is not an IPv4 address', 27, '§9.6.1: an IPv6 block is not a valid ipv4-addr value'],
  ["[file:name = 'a'] [file:name = 'b']", "unexpected '['", 19, 'observationExpressions: two observations need an operator'],
  ["[file:name = 'a' AND]", 'expected an object type', 21, 'comparisonExpressionAnd: AND needs a right operand'],
  ['[file:name]', 'expected a comparison operator', 11, 'propTest: objectPath alone is not a test'],
  [
    '[file:x-y = 1]',
    "property name 'x-y' contains '-' and must be quoted",
    7,
    '§9.7 "If the property_name contains a hyphen-minus … MUST be enclosed in apostrophes"',
  ],
  // Hashes that cannot be that algorithm's digest (§9.6.1 "b MUST be a constant of the same data type").
  ["[file:hashes.'SHA-256' = 'f00']", "'f00' is not a SHA-256 digest (64 hex digits)", 26, 'SHA-256 is 64 hex digits (hash-algorithm-ov)'],
  ["[file:hashes.MD5 = 'abc']", "'abc' is not a MD5 digest (32 hex digits)", 20, 'MD5 is 32 hex digits'],
  ["[file:hashes.'SHA-1' = '" + MD5 + "']", 'is not a SHA-1 digest (40 hex digits)', 24, 'SHA-1 is 40 hex digits'],
  ["[file:hashes.'SHA-512' = '" + SHA256 + "']", 'is not a SHA-512 digest (128 hex digits)', 26, 'SHA-512 is 128 hex digits'],
  ["[file:hashes.'SHA3-512' = '" + 'g'.repeat(128) + "']", 'is not a SHA3-512 digest', 27, 'hex digits only'],
  [
    "[file:hashes.sha256 = 'f00']",
    'is not a SHA-256 digest',
    23,
    "the object validator's misspelling of SHA-256 is held to the same digest",
  ],
  [
    "[file:hashes.MD5 IN ('" + MD5 + "', 'nope')]",
    "'nope' is not a MD5 digest",
    58,
    'each member of a set is a constant compared with the property',
  ],
  ["[file:hashes.SSDEEP = 'abc']", 'is not a SSDEEP digest', 23, 'SSDEEP: blocksize:hash:hash'],
  ["[file:hashes.TLSH = 'T1abc']", 'is not a TLSH digest', 21, 'TLSH: 70 hex digits, optionally after T1'],
  ['[file:hashes.MD5 = 5]', 'a MD5 hash is compared with a string', 20, 'a hash value is a string, not an integer'],
  [
    "[file:extensions.'windows-pebinary-ext'.sections[*].hashes.'SHA-256' = 'f00']",
    'is not a SHA-256 digest',
    72,
    'nested hashes dictionaries too',
  ],
];

describe('STIX 2.1 pattern grammar: accepted', () => {
  it.each(ACCEPT)('%s  (%s)', (pattern) => {
    const r = tryParsePattern(pattern);
    if (!r.ok) throw new Error(`refused: ${r.error.message}`);
    // What is accepted prints back to text that parses to the same tree.
    expect(parsePattern(formatPattern(r.ast))).toEqual(r.ast);
  });
});

describe('STIX 2.1 pattern grammar: refused, naming the problem and its position', () => {
  it.each(REFUSE)('%s → %s at column %i  (%s)', (pattern, reason, column) => {
    const r = tryParsePattern(pattern);
    if (r.ok) throw new Error('accepted');
    expect(r.error).toBeInstanceOf(StixPatternError);
    expect(r.error.reason).toContain(reason);
    expect(r.error.column).toBe(column);
  });
});

describe('STIX 2.1 pattern grammar: decoded values', () => {
  it('ignores line feeds in base64 and keeps the digits of floats without exponents', () => {
    const bin = parsePattern("[artifact:payload_bin = b'dGhp\r\ncyBp']");
    expect(bin).toMatchObject({ expression: { value: { kind: 'binary', value: 'dGhpcyBp' } } });
    const big = parsePattern('[x-y:z = 1000000000000000000000.0]');
    expect(formatPattern(big)).toBe('[x-y:z = 1000000000000000000000.0]');
    const small = parsePattern('[x-y:z = 0.0000001]');
    expect(parsePattern(formatPattern(small))).toEqual(small);
  });

  it('has at least sixty cases', () => {
    expect(ACCEPT.length + REFUSE.length).toBeGreaterThanOrEqual(60);
  });
});
