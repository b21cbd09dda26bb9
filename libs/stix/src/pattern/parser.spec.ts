import type { Comparison, Observation, PatternAst } from './ast';
import { StixPatternError } from './errors';
import { MAX_PATTERN_DEPTH, parsePattern, tryParsePattern } from './parser';
import { formatPattern } from './printer';

const only = (ast: PatternAst): Comparison => {
  expect(ast.kind).toBe('observation');
  const c = (ast as Observation).expression;
  expect(c.kind).toBe('comparison');
  return c as Comparison;
};

function errorOf(pattern: string): StixPatternError {
  const r = tryParsePattern(pattern);
  if (r.ok) throw new Error(`expected ${pattern} to fail`);
  return r.error;
}

describe('parsePattern: comparisons', () => {
  it.each(['=', '!=', '<', '<=', '>', '>='])('parses operator %s', (op) => {
    const c = only(parsePattern(`[file:size ${op} 10]`));
    expect(c).toEqual({
      kind: 'comparison',
      path: { objectType: 'file', steps: [{ kind: 'property', name: 'size' }] },
      operator: op,
      negated: false,
      value: { kind: 'int', value: 10 },
    });
  });

  it('reads == as = and <> as !=', () => {
    expect(only(parsePattern("[file:name == 'a']")).operator).toBe('=');
    expect(only(parsePattern("[file:name <> 'a']")).operator).toBe('!=');
  });

  it('parses IN sets, including the empty set', () => {
    expect(only(parsePattern("[ipv4-addr:value IN ('198.51.100.1', '198.51.100.2')]")).value).toEqual([
      { kind: 'string', value: '198.51.100.1' },
      { kind: 'string', value: '198.51.100.2' },
    ]);
    expect(only(parsePattern('[file:size IN ()]')).value).toEqual([]);
  });

  it.each(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'])('parses %s with a string', (op) => {
    const c = only(parsePattern(`[ipv4-addr:value ${op} '198.51.100.0/24']`));
    expect(c.operator).toBe(op);
    expect(c.value).toEqual({ kind: 'string', value: '198.51.100.0/24' });
  });

  it('parses NOT between path and operator', () => {
    const c = only(parsePattern("[email-addr:value NOT LIKE '%@example.com']"));
    expect(c.negated).toBe(true);
    expect(c.operator).toBe('LIKE');
    expect(only(parsePattern("[file:name NOT IN ('a')]")).negated).toBe(true);
  });

  it('parses EXISTS', () => {
    expect((parsePattern('[EXISTS windows-registry-key:values]') as Observation).expression).toEqual({
      kind: 'exists',
      path: { objectType: 'windows-registry-key', steps: [{ kind: 'property', name: 'values' }] },
    });
  });

  it('binds AND tighter than OR inside brackets and honours parentheses', () => {
    const ast = parsePattern("[file:name = 'a' OR file:name = 'b' AND file:size > 1]") as Observation;
    expect(ast.expression.kind).toBe('comparison-or');
    const or = ast.expression as { operands: Array<{ kind: string }> };
    expect(or.operands.map((o) => o.kind)).toEqual(['comparison', 'comparison-and']);
    const grouped = parsePattern("[(file:name = 'a' OR file:name = 'b') AND file:size > 1]") as Observation;
    expect(grouped.expression.kind).toBe('comparison-and');
  });
});

describe('parsePattern: literals', () => {
  it.each([
    ["'it\\'s a \\\\ test'", { kind: 'string', value: "it's a \\ test" }],
    ['-12', { kind: 'int', value: -12 }],
    ['0', { kind: 'int', value: 0 }],
    ['3.25', { kind: 'float', value: 3.25 }],
    ['-.5', { kind: 'float', value: -0.5 }],
    ['true', { kind: 'bool', value: true }],
    ['false', { kind: 'bool', value: false }],
    ["b'SGVsbG8='", { kind: 'binary', value: 'SGVsbG8=' }],
    ["h'4d5a9000'", { kind: 'hex', value: '4d5a9000' }],
    ["t'2025-06-02T09:00:00.123Z'", { kind: 'timestamp', value: '2025-06-02T09:00:00.123Z' }],
  ])('parses %s', (text, expected) => {
    expect(only(parsePattern(`[x-thing:prop = ${text}]`)).value).toEqual(expected);
  });
});

describe('parsePattern: object paths', () => {
  it('handles quoted components, list indices, [*] and extension names', () => {
    const c = only(parsePattern("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]"));
    expect(c.path).toEqual({
      objectType: 'file',
      steps: [
        { kind: 'property', name: 'extensions' },
        { kind: 'property', name: 'windows-pebinary-ext' },
        { kind: 'property', name: 'sections' },
        { kind: 'any-index' },
        { kind: 'property', name: 'entropy' },
      ],
    });
    expect(only(parsePattern("[windows-registry-key:values[0].name = 'x']")).path.steps[1]).toEqual({ kind: 'index', index: 0 });
    expect(only(parsePattern("[x509-certificate:'serial_number' = 'a']")).path.steps).toEqual([
      { kind: 'property', name: 'serial_number' },
    ]);
    expect(only(parsePattern("[network-traffic:start = t'2025-01-01T00:00:00Z']")).path.steps).toEqual([
      { kind: 'property', name: 'start' },
    ]);
  });
});

describe('parsePattern: observation expressions', () => {
  it('binds AND over OR over FOLLOWEDBY', () => {
    const ast = parsePattern('[a-b:c = 1] FOLLOWEDBY [a-b:c = 2] OR [a-b:c = 3] AND [a-b:c = 4]');
    expect(ast.kind).toBe('followed-by');
    const [first, second] = (ast as { operands: PatternAst[] }).operands;
    expect(first.kind).toBe('observation');
    expect(second.kind).toBe('observation-or');
    expect((second as { operands: PatternAst[] }).operands[1].kind).toBe('observation-and');
  });

  it('applies qualifiers to the nearest observation or parenthesised group', () => {
    const ast = parsePattern("[file:name = 'a'] AND ([file:name = 'b'] OR [file:name = 'c']) REPEATS 5 TIMES WITHIN 1800 SECONDS");
    expect(ast.kind).toBe('observation-and');
    const q = (ast as { operands: PatternAst[] }).operands[1];
    expect(q).toMatchObject({
      kind: 'qualified',
      qualifier: { kind: 'within', seconds: 1800 },
      expression: { kind: 'qualified', qualifier: { kind: 'repeats', times: 5 }, expression: { kind: 'observation-or' } },
    });
  });

  it('parses START/STOP qualifiers', () => {
    const ast = parsePattern("[ipv4-addr:value = '203.0.113.1'] START t'2025-01-01T00:00:00Z' STOP t'2025-02-01T00:00:00Z'");
    expect(ast).toMatchObject({
      kind: 'qualified',
      qualifier: { kind: 'start-stop', start: '2025-01-01T00:00:00Z', stop: '2025-02-01T00:00:00Z' },
    });
  });

  it('skips whitespace, newlines and comments', () => {
    expect(only(parsePattern("/* c */ [file:name\n\t=\u00a0'a'] // trailing"))).toMatchObject({ operator: '=' });
  });

  it('treats keywords case-sensitively, as the 2.1 grammar does (grammar.spec.ts has the full table)', () => {
    expect(parsePattern("[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] WITHIN 5 SECONDS").kind).toBe('followed-by');
    expect(tryParsePattern("[file:name = 'a'] followedby [file:name = 'b']").ok).toBe(false);
  });

  it('round-trips through formatPattern', () => {
    for (const p of [
      "[file:hashes.'SHA-256' = '" +
        'ab'.repeat(32) +
        "' AND (file:name = 'x' OR file:size > 3)] FOLLOWEDBY [url:value MATCHES '^https?://']",
      '([a-b:c = 1] AND [a-b:c = 2]) AND [a-b:c = 3] REPEATS 2 TIMES',
      "[x-y:z NOT IN (1, 2.5, -3)] OR [x-y:z IN (b'AA==', b'AAAA')] OR [x-y:z IN (h'00')] OR [x-y:z = true]",
      "([a-b:c = 1] WITHIN 5 SECONDS) WITHIN 9 SECONDS START t'2025-01-01T00:00:00Z' STOP t'2025-01-02T00:00:00Z'",
    ]) {
      const ast = parsePattern(p);
      expect(parsePattern(formatPattern(ast))).toEqual(ast);
    }
  });
});

describe('parsePattern: errors carry positions', () => {
  it.each([
    ["[file:name = 'x'", "expected ']'", 1, 17],
    ['', "expected '[' or '('", 1, 1],
    ["[file:name = 'x'] AND", "expected '[' or '('", 1, 22],
    ["[file:name 'x']", 'expected a comparison operator', 1, 12],
    ["[file:name = 'x]", 'unterminated string literal', 1, 14],
    ["[file:name = 'a\\n']", "invalid escape: only \\' and \\\\ are allowed", 1, 16],
    ["[file:name = 'x']\n  ] ", "unexpected ']'", 2, 3],
    ['[file:size = 007]', 'integer literal with leading zero', 1, 14],
    ['[file:size > true]', '> cannot compare booleans', 1, 14],
    ['[file:name LIKE 5]', 'LIKE needs a string literal', 1, 17],
    ['[file:x-y = 1]', "property name 'x-y' contains '-' and must be quoted", 1, 7],
    ['[AND:name = 1]', "keyword 'AND' cannot be an object type", 1, 2],
    ["[file:name = t'2025-13-01T00:00:00Z']", 'invalid timestamp literal', 1, 14],
    ["[file:name = h'abc']", 'invalid hex literal', 1, 14],
    ["[file:name = b'abc']", 'invalid base64 binary literal', 1, 14],
    ['[file:name = 1] WITHIN 0 SECONDS', 'WITHIN needs a positive number', 1, 24],
    ['[file:name = 1] REPEATS 2', "expected 'TIMES'", 1, 26],
    ["[file:name = 1] START t'2025-02-01T00:00:00Z' STOP t'2025-01-01T00:00:00Z'", 'STOP must be later than START', 1, 52],
    ['[file:name = 1] # x', 'unexpected character "#"', 1, 17],
    ['[file:name[x] = 1]', "expected a list index or '*'", 1, 12],
    ["[file:name IN ('a' 'b')]", "expected ')' or ','", 1, 20],
  ])('%p → %s at %i:%i', (pattern, reason, line, column) => {
    const e = errorOf(pattern);
    expect(e).toBeInstanceOf(StixPatternError);
    expect(e.reason).toBe(reason);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toBe(`${reason} at ${line}:${column}`);
  });

  it('bounds nesting depth and length without overflowing the stack', () => {
    const deep = '('.repeat(10_000) + "[file:name = 'a']" + ')'.repeat(10_000);
    expect(errorOf(deep).reason).toBe(`nesting deeper than ${MAX_PATTERN_DEPTH}`);
    const deepCmp = '[' + '('.repeat(5_000) + "file:name = 'a'" + ')'.repeat(5_000) + ']';
    expect(errorOf(deepCmp).reason).toBe(`nesting deeper than ${MAX_PATTERN_DEPTH}`);
    expect(errorOf("[file:name = '" + 'a'.repeat(70_000) + "']").reason).toMatch(/longer than/);
    const ok = '('.repeat(MAX_PATTERN_DEPTH - 1) + "[file:name = 'a']" + ')'.repeat(MAX_PATTERN_DEPTH - 1);
    expect(tryParsePattern(ok).ok).toBe(true);
  });

  it('keeps long flat chains shallow (one n-ary node, not 2000 nested ones)', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `file:size = ${i}`).join(' OR ');
    const ast = parsePattern(`[${chain}]`) as Observation;
    expect((ast.expression as { operands: unknown[] }).operands).toHaveLength(2000);
  });

  it('never throws from tryParsePattern, whatever it is given', () => {
    for (const input of [null, 42, {}, [], "'", '[\\', '\u0000', "[a:b = '\uD800']"]) expect(() => tryParsePattern(input)).not.toThrow();
    expect(tryParsePattern(null).ok).toBe(false);
  });
});
