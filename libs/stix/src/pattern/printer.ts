import type { ComparisonExpression, Literal, ObjectPath, ObservationExpression, PathStep, Qualifier } from './ast';

const BARE_PROPERTY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'TRUE',
  'FALSE',
  'WITHIN',
  'REPEATS',
  'TIMES',
  'EXISTS',
]);

/** A STIX string literal for `value`, escaping quotes and backslashes. */
export function quoteString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => '\\' + c)}'`;
}

function step(s: PathStep, first: boolean): string {
  if (s.kind === 'index') return `[${s.index}]`;
  if (s.kind === 'any-index') return '[*]';
  const name = BARE_PROPERTY.test(s.name) && !KEYWORDS.has(s.name.toUpperCase()) ? s.name : quoteString(s.name);
  return first ? name : `.${name}`;
}

/** The object path as pattern text without the type, e.g. `hashes.'SHA-256'` or `values[*].name`. */
export function formatPropertyPath(steps: readonly PathStep[]): string {
  return steps.map((s, i) => step(s, i === 0)).join('');
}

/** The full object path as pattern text, e.g. `file:hashes.'SHA-256'`. */
export function formatObjectPath(path: ObjectPath): string {
  return `${path.objectType}:${formatPropertyPath(path.steps)}`;
}

// Expands JavaScript's exponent notation ("1e+21", "-1.5e-7") to plain decimal digits, exactly.
function plainDecimal(text: string): string {
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const [whole, fraction = ''] = mantissa.split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + body;
}

/** The pattern text of a literal. */
export function formatLiteral(lit: Literal): string {
  switch (lit.kind) {
    case 'string':
      return quoteString(lit.value);
    case 'int':
      return String(lit.value);
    case 'float': {
      // The grammar has no exponent: 1e21 or 1e-7 are written out in full.
      const text = plainDecimal(String(lit.value));
      return text.includes('.') ? text : `${text}.0`;
    }
    case 'bool':
      return lit.value ? 'true' : 'false';
    case 'binary':
      return `b'${lit.value}'`;
    case 'hex':
      return `h'${lit.value}'`;
    case 'timestamp':
      return `t'${lit.value}'`;
  }
}

function comparison(c: ComparisonExpression, nested: boolean): string {
  switch (c.kind) {
    case 'exists':
      return `EXISTS ${formatObjectPath(c.path)}`;
    case 'comparison': {
      const value = Array.isArray(c.value) ? `(${c.value.map(formatLiteral).join(', ')})` : formatLiteral(c.value);
      return `${formatObjectPath(c.path)} ${c.negated ? 'NOT ' : ''}${c.operator} ${value}`;
    }
    case 'comparison-and':
    case 'comparison-or': {
      const text = c.operands.map((o) => comparison(o, true)).join(c.kind === 'comparison-and' ? ' AND ' : ' OR ');
      return nested ? `(${text})` : text;
    }
  }
}

function qualifier(q: Qualifier): string {
  if (q.kind === 'within') return `WITHIN ${q.seconds} SECONDS`;
  if (q.kind === 'repeats') return `REPEATS ${q.times} TIMES`;
  return `START t'${q.start}' STOP t'${q.stop}'`;
}

function repeats(o: ObservationExpression, kind: Qualifier['kind']): boolean {
  for (let e = o; e.kind === 'qualified'; e = e.expression) if (e.qualifier.kind === kind) return true;
  return false;
}

function observation(o: ObservationExpression, parentRank: number): string {
  switch (o.kind) {
    case 'observation':
      return `[${comparison(o.expression, false)}]`;
    case 'qualified': {
      const inner = observation(o.expression, 3);
      // One observation expression takes one qualifier of each type (§9.5.1): a repeated one needs its own group.
      return `${repeats(o.expression, o.qualifier.kind) ? `(${inner})` : inner} ${qualifier(o.qualifier)}`;
    }
    default: {
      const [rank, word] = o.kind === 'observation-and' ? [3, ' AND '] : o.kind === 'observation-or' ? [2, ' OR '] : [1, ' FOLLOWEDBY '];
      const text = o.operands.map((x) => observation(x, rank)).join(word);
      return rank <= parentRank ? `(${text})` : text;
    }
  }
}

/** Pattern text for an AST; parsing the result gives back an equal AST. */
export function formatPattern(ast: ObservationExpression): string {
  return observation(ast, 0);
}
