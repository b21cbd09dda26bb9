/** A pattern syntax error with the place it was found (1-based line and column). */
export class StixPatternError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(reason: string, source: string, offset: number) {
    const { line, column } = lineColumn(source, offset);
    super(`${reason} at ${line}:${column}`);
    this.name = 'StixPatternError';
    this.reason = reason;
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

/** 1-based line and column of a UTF-16 offset in `source`. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
