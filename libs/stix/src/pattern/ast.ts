// The STIX 2.1 patterning AST. Plain JSON data so it can be logged, stored or
// printed by the CLI; n-ary boolean nodes keep long AND/OR chains shallow.

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  /** Base64 text as written between b'…'. */
  | { kind: 'binary'; value: string }
  /** Hex digits as written between h'…'. */
  | { kind: 'hex'; value: string }
  | { kind: 'timestamp'; value: string };

export type PathStep = { kind: 'property'; name: string } | { kind: 'index'; index: number } | { kind: 'any-index' };

export interface ObjectPath {
  objectType: string;
  steps: PathStep[];
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export interface Comparison {
  kind: 'comparison';
  path: ObjectPath;
  operator: ComparisonOperator;
  negated: boolean;
  /** A list only for IN. */
  value: Literal | Literal[];
}

export interface Exists {
  kind: 'exists';
  path: ObjectPath;
}

export interface ComparisonAnd {
  kind: 'comparison-and';
  operands: ComparisonExpression[];
}

export interface ComparisonOr {
  kind: 'comparison-or';
  operands: ComparisonExpression[];
}

export type ComparisonExpression = Comparison | Exists | ComparisonAnd | ComparisonOr;

export type Qualifier =
  { kind: 'within'; seconds: number } | { kind: 'repeats'; times: number } | { kind: 'start-stop'; start: string; stop: string };

export interface Observation {
  kind: 'observation';
  expression: ComparisonExpression;
}

export interface Qualified {
  kind: 'qualified';
  expression: ObservationExpression;
  qualifier: Qualifier;
}

export interface ObservationAnd {
  kind: 'observation-and';
  operands: ObservationExpression[];
}

export interface ObservationOr {
  kind: 'observation-or';
  operands: ObservationExpression[];
}

export interface FollowedBy {
  kind: 'followed-by';
  operands: ObservationExpression[];
}

export type ObservationExpression = Observation | Qualified | ObservationAnd | ObservationOr | FollowedBy;

/** A parsed pattern: its top-level observation expression. */
export type PatternAst = ObservationExpression;

/** Calls `fn` on every comparison and EXISTS test of a pattern, left to right, through observations, qualifiers and AND / OR / FOLLOWEDBY. */
export function forEachComparison(ast: ObservationExpression, fn: (c: Comparison | Exists) => void): void {
  const comparison = (c: ComparisonExpression): void => {
    if (c.kind === 'comparison-and' || c.kind === 'comparison-or') c.operands.forEach(comparison);
    else fn(c);
  };
  const observation = (o: ObservationExpression): void => {
    if (o.kind === 'observation') comparison(o.expression);
    else if (o.kind === 'qualified') observation(o.expression);
    else o.operands.forEach(observation);
  };
  observation(ast);
}
