import { isValidTypeName } from '../ids';
import { forEachComparison, type Literal, type PathStep, type PatternAst } from './ast';
import { parsePattern } from './parser';
import { formatPropertyPath, quoteString } from './printer';

/** One `type:path = value` test an indicator is about. */
export interface EqualityComparison {
  type: string;
  /** Property path as pattern text without the type, e.g. `value` or `hashes.'SHA-256'`. */
  path: string;
  steps: PathStep[];
  value: string | number | boolean;
}

function plain(lit: Literal): string | number | boolean | undefined {
  return lit.kind === 'string' || lit.kind === 'int' || lit.kind === 'float' || lit.kind === 'bool' ? lit.value : undefined;
}

/**
 * The positive equality tests of a pattern (`=` and each member of `IN`), in order, without duplicates.
 * Negated tests, ranges and LIKE/MATCHES are not identifiers to look up and are left out. Throws StixPatternError on invalid text.
 */
export function extractComparisons(pattern: PatternAst | string): EqualityComparison[] {
  const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  const out: EqualityComparison[] = [];
  const seen = new Set<string>();
  const add = (type: string, steps: PathStep[], lit: Literal) => {
    const value = plain(lit);
    if (value === undefined) return;
    const path = formatPropertyPath(steps);
    const key = JSON.stringify([type, path, value]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ type, path, steps, value });
  };
  forEachComparison(ast, (c) => {
    if (c.kind !== 'comparison' || c.negated) return;
    if (c.operator === '=' && !Array.isArray(c.value)) add(c.path.objectType, c.path.steps, c.value);
    else if (c.operator === 'IN' && Array.isArray(c.value)) for (const v of c.value) add(c.path.objectType, c.path.steps, v);
  });
  return out;
}

/** A one-comparison pattern `[type:path = value]` with every part quoted and escaped as the grammar requires. */
export function equalityPattern(type: string, path: string | readonly string[], value: string | number | boolean): string {
  if (!isValidTypeName(type)) throw new TypeError(`equalityPattern: invalid type '${type}'`);
  const names = typeof path === 'string' ? path.split('.') : path;
  if (names.length === 0 || names.some((n) => n.length === 0)) throw new TypeError('equalityPattern: empty path component');
  const steps: PathStep[] = names.map((name) => ({ kind: 'property', name }));
  let literal: string;
  if (typeof value === 'string') literal = quoteString(value);
  else if (typeof value === 'boolean') literal = String(value);
  else if (Number.isSafeInteger(value)) literal = String(value);
  else if (Number.isFinite(value) && !/e/i.test(String(value))) literal = String(value);
  else throw new TypeError('equalityPattern: number cannot be written as a pattern literal');
  return `[${type}:${formatPropertyPath(steps)} = ${literal}]`;
}
