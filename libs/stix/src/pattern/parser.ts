import { compareTimestamps } from '../timestamps';
import type {
  ComparisonExpression,
  ComparisonOperator,
  Literal,
  ObjectPath,
  ObservationExpression,
  PathStep,
  PatternAst,
  Qualifier,
} from './ast';
import { StixPatternError } from './errors';
import { tokenize, type Token } from './lexer';
import { hashLiteralProblem, setKind, subsetProblem } from './semantics';

/** Deepest nesting of brackets and parentheses accepted; recursion stays far from the stack limit. */
export const MAX_PATTERN_DEPTH = 64;

// The grammar's keywords are case-sensitive ('AND', never 'and'; 'true', never 'TRUE') and are never
// identifiers: a word spelt exactly like one is that keyword wherever it stands.
const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'true',
  'false',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);
const KEYWORD_BY_FOLDED = new Map([...KEYWORDS].map((k) => [k.toUpperCase(), k]));
const WORD_OPERATORS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
const SUBSET = new Set(['ISSUBSET', 'ISSUPERSET']);
const QUALIFIER_NAMES: Record<Qualifier['kind'], string> = { within: 'WITHIN', repeats: 'REPEATS', 'start-stop': 'START/STOP' };
const STRING_ONLY = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
const ORDERING = new Set(['<', '<=', '>', '>=']);

/** Parses a STIX 2.1 pattern to its AST; throws StixPatternError (with line:column) on any syntax error. */
export function parsePattern(pattern: string): PatternAst {
  if (typeof pattern !== 'string') throw new StixPatternError('pattern must be a string', '', 0);
  return new Parser(pattern, tokenize(pattern)).parse();
}

export type PatternParseResult = { ok: true; ast: PatternAst } | { ok: false; error: StixPatternError };

/** Like parsePattern but returns the error instead of throwing; never throws. */
export function tryParsePattern(pattern: unknown): PatternParseResult {
  try {
    if (typeof pattern !== 'string') return { ok: false, error: new StixPatternError('pattern must be a string', '', 0) };
    return { ok: true, ast: parsePattern(pattern) };
  } catch (e) {
    if (e instanceof StixPatternError) return { ok: false, error: e };
    // A RangeError from the engine still must not escape to callers that validate hostile input.
    return { ok: false, error: new StixPatternError('pattern could not be parsed', String(pattern), 0) };
  }
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  parse(): PatternAst {
    const ast = this.followedBy();
    const tok = this.peek();
    if (tok.kind !== 'eof') {
      if (tok.kind === 'word') this.unexpected(`end of pattern, not ${describe(tok)}`, tok);
      this.fail(`unexpected ${describe(tok)}`, tok);
    }
    return ast;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const tok = this.tokens[this.pos];
    if (tok.kind !== 'eof') this.pos++;
    return tok;
  }

  private isWord(tok: Token, keyword: string): boolean {
    return tok.kind === 'word' && tok.text === keyword;
  }

  private fail(reason: string, tok: Token = this.peek()): never {
    throw new StixPatternError(reason, this.src, tok.offset);
  }

  /** Fails with `expected …`, or names the keyword when the token is one written in the wrong case. */
  private unexpected(label: string, tok: Token = this.peek()): never {
    if (tok.kind === 'word' && !KEYWORDS.has(tok.text)) {
      const keyword = KEYWORD_BY_FOLDED.get(tok.text.toUpperCase());
      if (keyword) this.fail(`keywords are case-sensitive: write '${keyword}', not '${tok.text}'`, tok);
    }
    return this.fail(`expected ${label}`, tok);
  }

  private expect(kind: Token['kind'], label = `'${kind}'`): Token {
    const tok = this.peek();
    if (tok.kind !== kind) this.unexpected(label, tok);
    return this.next();
  }

  private enter(): void {
    if (++this.depth > MAX_PATTERN_DEPTH) this.fail(`nesting deeper than ${MAX_PATTERN_DEPTH}`);
  }

  // Observation operators bind AND tighter than OR, OR tighter than FOLLOWEDBY.
  private followedBy(): ObservationExpression {
    const operands = [this.observationOr()];
    while (this.isWord(this.peek(), 'FOLLOWEDBY')) {
      this.next();
      operands.push(this.observationOr());
    }
    return operands.length === 1 ? operands[0] : { kind: 'followed-by', operands };
  }

  private observationOr(): ObservationExpression {
    const operands = [this.observationAnd()];
    while (this.isWord(this.peek(), 'OR')) {
      this.next();
      operands.push(this.observationAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'observation-or', operands };
  }

  private observationAnd(): ObservationExpression {
    const operands = [this.observationPrimary()];
    while (this.isWord(this.peek(), 'AND')) {
      this.next();
      operands.push(this.observationPrimary());
    }
    return operands.length === 1 ? operands[0] : { kind: 'observation-and', operands };
  }

  private observationPrimary(): ObservationExpression {
    const tok = this.peek();
    let node: ObservationExpression;
    this.enter();
    if (tok.kind === '[') {
      this.next();
      node = { kind: 'observation', expression: this.comparisonOr() };
      this.expect(']');
    } else if (tok.kind === '(') {
      this.next();
      node = this.followedBy();
      this.expect(')');
    } else {
      this.unexpected("'[' or '('", tok);
    }
    this.depth--;
    // §9.5.1: "An Observation Expression MUST NOT have more than one Qualifier of a particular type."
    // A parenthesised group is an observation expression of its own, so `([a] WITHIN 5 SECONDS) WITHIN 9 SECONDS` stays valid.
    const seen = new Set<Qualifier['kind']>();
    for (let at = this.peek(), q = this.qualifier(); q; at = this.peek(), q = this.qualifier()) {
      if (seen.has(q.kind)) this.fail(`more than one ${QUALIFIER_NAMES[q.kind]} qualifier on one observation expression`, at);
      seen.add(q.kind);
      node = { kind: 'qualified', expression: node, qualifier: q };
    }
    return node;
  }

  private qualifier(): Qualifier | undefined {
    const tok = this.peek();
    if (this.isWord(tok, 'WITHIN')) {
      this.next();
      const n = this.peek();
      if (n.kind !== 'int' && n.kind !== 'float') this.unexpected('a number of seconds', n);
      const seconds = Number(this.next().text);
      // An IntPosLiteral is an integer constant, held to section 2's range like any other.
      if (n.kind === 'int' && !Number.isSafeInteger(seconds)) this.fail('integer literal out of range', n);
      if (!(seconds > 0) || !Number.isFinite(seconds)) this.fail('WITHIN needs a positive number', n);
      if (!this.isWord(this.peek(), 'SECONDS')) this.unexpected("'SECONDS'");
      this.next();
      return { kind: 'within', seconds };
    }
    if (this.isWord(tok, 'REPEATS')) {
      this.next();
      const n = this.expect('int', 'an integer');
      const times = Number(n.text);
      if (!Number.isSafeInteger(times) || times < 1) this.fail('REPEATS needs a positive integer', n);
      if (!this.isWord(this.peek(), 'TIMES')) this.unexpected("'TIMES'");
      this.next();
      return { kind: 'repeats', times };
    }
    if (this.isWord(tok, 'START')) {
      this.next();
      const start = this.expect('timestamp', "a timestamp t'…'").text;
      if (!this.isWord(this.peek(), 'STOP')) this.unexpected("'STOP'");
      this.next();
      const stopTok = this.expect('timestamp', "a timestamp t'…'");
      if (compareTimestamps(stopTok.text, start) <= 0) this.fail('STOP must be later than START', stopTok);
      return { kind: 'start-stop', start, stop: stopTok.text };
    }
    return undefined;
  }

  // Inside brackets AND also binds tighter than OR.
  private comparisonOr(): ComparisonExpression {
    const operands = [this.comparisonAnd()];
    while (this.isWord(this.peek(), 'OR')) {
      this.next();
      operands.push(this.comparisonAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'comparison-or', operands };
  }

  private comparisonAnd(): ComparisonExpression {
    const operands = [this.comparisonPrimary()];
    while (this.isWord(this.peek(), 'AND')) {
      this.next();
      operands.push(this.comparisonPrimary());
    }
    return operands.length === 1 ? operands[0] : { kind: 'comparison-and', operands };
  }

  private comparisonPrimary(): ComparisonExpression {
    const tok = this.peek();
    if (tok.kind === '(') {
      this.enter();
      this.next();
      const inner = this.comparisonOr();
      this.expect(')');
      this.depth--;
      return inner;
    }
    if (this.isWord(tok, 'EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.objectPath() };
    }
    const path = this.objectPath();
    let negated = false;
    if (this.isWord(this.peek(), 'NOT')) {
      this.next();
      negated = true;
    }
    const opTok = this.peek();
    let operator: ComparisonOperator;
    if (opTok.kind === 'op') operator = opTok.text as ComparisonOperator;
    else if (opTok.kind === 'word' && WORD_OPERATORS.has(opTok.text)) operator = opTok.text as ComparisonOperator;
    else this.unexpected('a comparison operator', opTok);
    this.next();
    if (operator === 'IN') return { kind: 'comparison', path, operator, negated, value: this.setLiteral(path) };
    const valTok = this.peek();
    const value = this.literal();
    if (STRING_ONLY.has(operator) && value.kind !== 'string') this.fail(`${operator} needs a string literal`, valTok);
    if (ORDERING.has(operator) && value.kind === 'bool') this.fail(`${operator} cannot compare booleans`, valTok);
    const problem = SUBSET.has(operator)
      ? subsetProblem(operator, path, value)
      : STRING_ONLY.has(operator)
        ? undefined
        : hashLiteralProblem(path, value);
    if (problem) this.fail(problem, valTok);
    return { kind: 'comparison', path, operator, negated, value };
  }

  private setLiteral(path: ObjectPath): Literal[] {
    this.expect('(');
    const values: Literal[] = [];
    if (this.peek().kind === ')') {
      this.next();
      return values;
    }
    const member = () => {
      const tok = this.peek();
      const lit = this.literal();
      // §9.6.1: "The set values in b MUST be constants of homogeneous data type" (the grammar takes any mix).
      if (values.length > 0 && setKind(lit) !== setKind(values[0])) this.fail('IN needs constants of one type', tok);
      const problem = hashLiteralProblem(path, lit);
      if (problem) this.fail(problem, tok);
      values.push(lit);
    };
    member();
    while (this.peek().kind === ',') {
      this.next();
      member();
    }
    this.expect(')', "')' or ','");
    return values;
  }

  private literal(): Literal {
    const tok = this.peek();
    switch (tok.kind) {
      case 'string':
      case 'binary':
      case 'hex':
      case 'timestamp':
        this.next();
        return { kind: tok.kind, value: tok.text };
      case 'int': {
        const value = Number(tok.text);
        if (!Number.isSafeInteger(value)) this.fail('integer literal out of range', tok);
        this.next();
        return { kind: 'int', value: value === 0 ? 0 : value };
      }
      case 'float': {
        const value = Number(tok.text);
        if (!Number.isFinite(value)) this.fail('float literal out of range', tok);
        this.next();
        return { kind: 'float', value };
      }
      case 'word':
        // §9.2: "Boolean truth is denoted by the literal true and falsehood by the literal false" — lower case only.
        if (tok.text === 'true' || tok.text === 'false') {
          this.next();
          return { kind: 'bool', value: tok.text === 'true' };
        }
        if (tok.text === 'TRUE' || tok.text === 'FALSE' || tok.text.toLowerCase() === 'true' || tok.text.toLowerCase() === 'false') {
          this.fail(`boolean literals are lower case: write '${tok.text.toLowerCase()}'`, tok);
        }
        break;
      default:
        break;
    }
    return this.fail('expected a literal', tok);
  }

  private objectPath(): ObjectPath {
    const typeTok = this.peek();
    // The grammar's objectType is any identifier, [A-Za-z_][A-Za-z0-9_-]* (the lexer's word), so custom
    // types such as x_whatever, one-letter and mixed-case types parse. §9.7 asks that it be the type of
    // an SCO in the observation: a condition for matching, not for writing, which a type that no
    // SCO carries simply never meets.
    if (typeTok.kind !== 'word') this.unexpected('an object type', typeTok);
    if (KEYWORDS.has(typeTok.text)) this.fail(`keyword '${typeTok.text}' cannot be an object type`, typeTok);
    if (this.tokens[this.pos + 1]?.kind !== ':') this.unexpected('an object path', typeTok);
    this.next();
    this.expect(':');
    const steps: PathStep[] = [this.propertyStep()];
    for (;;) {
      const tok = this.peek();
      if (tok.kind === '.') {
        this.next();
        steps.push(this.propertyStep());
      } else if (tok.kind === '[') {
        this.next();
        const idx = this.peek();
        // §9.7.2: list_index is "an integer in the range of 0…N-1" or '*'; the grammar's IntNegLiteral index is left out.
        if (idx.kind === '*') steps.push({ kind: 'any-index' });
        else if (idx.kind === 'int' && idx.text.startsWith('-')) this.fail('a list index cannot be negative', idx);
        else if (idx.kind === 'int' && Number.isSafeInteger(Number(idx.text))) steps.push({ kind: 'index', index: Number(idx.text) });
        else this.fail("expected a list index or '*'", idx);
        this.next();
        this.expect(']');
      } else {
        return { objectType: typeTok.text, steps };
      }
    }
  }

  // Keywords are case-sensitive, so network-traffic:start is a property; a name spelt like a keyword
  // ('START', 'true') is that keyword in the grammar and must be quoted.
  private propertyStep(): PathStep {
    const tok = this.peek();
    if (tok.kind === 'string') {
      this.next();
      return { kind: 'property', name: tok.text };
    }
    if (tok.kind !== 'word') this.fail('expected a property name', tok);
    if (tok.text.includes('-')) this.fail(`property name '${tok.text}' contains '-' and must be quoted`, tok);
    if (KEYWORDS.has(tok.text)) this.fail(`property name '${tok.text}' is a keyword and must be quoted`, tok);
    this.next();
    return { kind: 'property', name: tok.text };
  }
}

function describe(tok: Token): string {
  if (tok.kind === 'eof') return 'end of pattern';
  const text = tok.kind === 'string' ? `'${tok.text}'` : tok.text;
  return `'${text.length > 30 ? text.slice(0, 30) + '…' : text}'`;
}
