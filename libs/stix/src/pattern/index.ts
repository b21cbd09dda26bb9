export * from './ast';
export { StixPatternError, lineColumn } from './errors';
export { tokenize, MAX_PATTERN_LENGTH } from './lexer';
export type { Token, TokenKind } from './lexer';
export { parsePattern, tryParsePattern, MAX_PATTERN_DEPTH } from './parser';
export type { PatternParseResult } from './parser';
export { formatPattern, formatObjectPath, formatPropertyPath, formatLiteral, quoteString } from './printer';
export { extractComparisons, equalityPattern } from './extract';
export type { EqualityComparison } from './extract';
