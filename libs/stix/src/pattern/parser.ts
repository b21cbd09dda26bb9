import { compareTimestamps } from '../timestamps';
import { isValidTypeName } from '../ids';
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

/** Deepest nesting of brackets and parentheses accepted; recursion stays far from the stack limit. */
export const MAX_PATTERN_DEPTH = 64;

const WORD_OPERATORS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);
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
    if (tok.kind !== 'eof') this.fail(`unexpected ${describe(tok)}`, tok);
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
    return tok.kind === 'word' && tok.text.length === keyword.length && tok.text.toUpperCase() === keyword;
  }

  private fail(reason: string, tok: Token = this.peek()): never {
    throw new StixPatternError(reason, this.src, tok.offset);
  }

  private expect(kind: Token['kind'], label = `'${kind}'`): Token {
    const tok = this.peek();
    if (tok.kind !== kind) this.fail(`expected ${label}`, tok);
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
      this.fail("expected '[' or '('", tok);
    }
    this.depth--;
    for (let q = this.qualifier(); q; q = this.qualifier()) node = { kind: 'qualified', expression: node, qualifier: q };
    return node;
  }

  private qualifier(): Qualifier | undefined {
    const tok = this.peek();
    if (this.isWord(tok, 'WITHIN')) {
      this.next();
      const n = this.peek();
      if (n.kind !== 'int' && n.kind !== 'float') this.fail('expected a number of seconds', n);
      const seconds = Number(this.next().text);
      if (!(seconds > 0) || !Number.isFinite(seconds)) this.fail('WITHIN needs a positive number', n);
      if (!this.isWord(this.peek(), 'SECONDS')) this.fail("expected 'SECONDS'");
      this.next();
      return { kind: 'within', seconds };
    }
    if (this.isWord(tok, 'REPEATS')) {
      this.next();
      const n = this.expect('int', 'an integer');
      const times = Number(n.text);
      if (!Number.isSafeInteger(times) || times < 1) this.fail('REPEATS needs a positive integer', n);
      if (!this.isWord(this.peek(), 'TIMES')) this.fail("expected 'TIMES'");
      this.next();
      return { kind: 'repeats', times };
    }
    if (this.isWord(tok, 'START')) {
      this.next();
      const start = this.expect('timestamp', "a timestamp t'…'").text;
      if (!this.isWord(this.peek(), 'STOP')) this.fail("expected 'STOP'");
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
    else if (opTok.kind === 'word' && WORD_OPERATORS.has(opTok.text.toUpperCase())) operator = opTok.text.toUpperCase() as ComparisonOperator;
    else this.fail('expected a comparison operator', opTok);
    this.next();
    if (operator === 'IN') return { kind: 'comparison', path, operator, negated, value: this.setLiteral() };
    const valTok = this.peek();
    const value = this.literal();
    if (STRING_ONLY.has(operator) && value.kind !== 'string') this.fail(`${operator} needs a string literal`, valTok);
    if (ORDERING.has(operator) && value.kind === 'bool') this.fail(`${operator} cannot compare booleans`, valTok);
    return { kind: 'comparison', path, operator, negated, value };
  }

  private setLiteral(): Literal[] {
    this.expect('(');
    const values: Literal[] = [];
    if (this.peek().kind === ')') {
      this.next();
      return values;
    }
    values.push(this.literal());
    while (this.peek().kind === ',') {
      this.next();
      values.push(this.literal());
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
      case 'float':
        this.next();
        return { kind: 'float', value: Number(tok.text) };
      case 'word':
        if (this.isWord(tok, 'TRUE') || this.isWord(tok, 'FALSE')) {
          this.next();
          return { kind: 'bool', value: tok.text.toUpperCase() === 'TRUE' };
        }
        break;
      default:
        break;
    }
    return this.fail('expected a literal', tok);
  }

  private objectPath(): ObjectPath {
    const typeTok = this.peek();
    if (typeTok.kind !== 'word') this.fail('expected an object type', typeTok);
    if (!isValidTypeName(typeTok.text)) this.fail(`invalid object type '${typeTok.text}'`, typeTok);
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
        if (idx.kind === '*') steps.push({ kind: 'any-index' });
        else if (idx.kind === 'int' && Number.isSafeInteger(Number(idx.text))) steps.push({ kind: 'index', index: Number(idx.text) });
        else this.fail("expected a list index or '*'", idx);
        this.next();
        this.expect(']');
      } else {
        return { objectType: typeTok.text, steps };
      }
    }
  }

  // Keywords are accepted as property names here (network-traffic:start, …): the position makes them unambiguous.
  private propertyStep(): PathStep {
    const tok = this.peek();
    if (tok.kind === 'string') {
      this.next();
      return { kind: 'property', name: tok.text };
    }
    if (tok.kind !== 'word') this.fail('expected a property name', tok);
    if (tok.text.includes('-')) this.fail(`property name '${tok.text}' contains '-' and must be quoted`, tok);
    this.next();
    return { kind: 'property', name: tok.text };
  }
}

function describe(tok: Token): string {
  if (tok.kind === 'eof') return 'end of pattern';
  const text = tok.kind === 'string' ? `'${tok.text}'` : tok.text;
  return `'${text.length > 30 ? text.slice(0, 30) + '…' : text}'`;
}
