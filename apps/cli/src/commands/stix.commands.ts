import { readFile } from 'node:fs/promises';
import { lineColumn, tryParsePattern, validate, type StixIssue } from '@cairn/stix';
import { CliUsageError, type CliCommand, type CliIO } from '../cli-command';

/** What a command prints and returns; kept apart from I/O so it can be tested directly. */
export interface CommandResult {
  exitCode: number;
  out: string[];
  err: string[];
}

/**
 * Line and column of a JSON.parse failure: from node's "at position N" (node 20) or "(line L column C)" (node 22+);
 * node 20 omits the position for "Unexpected token" errors, so then the text is scanned for the first error.
 */
export function jsonErrorLocation(text: string, error: unknown): { line: number; column: number } | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  if (pos) return lineColumn(text, Number(pos[1]));
  const offset = jsonErrorOffset(text);
  return offset === undefined ? undefined : lineColumn(text, offset);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** Offset of the first JSON syntax error (iterative, so deep nesting is fine), or undefined if the text is valid JSON. */
export function jsonErrorOffset(s: string): number | undefined {
  const stack: string[] = [];
  let i = 0;
  let expect: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after' = 'value';
  const ws = () => {
    while (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r') i++;
  };
  const string = (): boolean => {
    for (i++; i < s.length; i++) {
      const c = s[i];
      if (c === '"') {
        i++;
        return true;
      }
      if (c < ' ') return false;
      if (c === '\\') {
        const e = s[i + 1];
        if (e === 'u' && HEX4.test(s.slice(i + 2, i + 6))) i += 5;
        else if (ESCAPES.has(e)) i++;
        else {
          i++;
          return false;
        }
      }
    }
    return false;
  };
  for (;;) {
    ws();
    const c = s[i];
    if (expect === 'after') {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < s.length ? i : undefined;
      if (c === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
      } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        stack.pop();
        i++;
      } else return i;
    } else if (expect === 'key' || expect === 'key-or-close') {
      if (c === '}' && expect === 'key-or-close') {
        stack.pop();
        i++;
        expect = 'after';
      } else if (c === '"') {
        if (!string()) return i;
        ws();
        if (s[i] !== ':') return i;
        i++;
        expect = 'value';
      } else return i;
    } else if (c === ']' && expect === 'value-or-close') {
      stack.pop();
      i++;
      expect = 'after';
    } else if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      expect = c === '{' ? 'key-or-close' : 'value-or-close';
    } else if (c === '"') {
      if (!string()) return i;
      expect = 'after';
    } else if (s.startsWith('true', i) || s.startsWith('null', i) || s.startsWith('false', i)) {
      i += s[i] === 'f' ? 5 : 4;
      expect = 'after';
    } else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(s)) return i;
      i = NUMBER.lastIndex;
      expect = 'after';
    }
  }
}

export function formatIssue(issue: StixIssue): string {
  return `${issue.objectId ?? '-'} ${issue.path} ${issue.code} ${issue.message}`;
}

/** Validates JSON text holding a bundle or a single STIX object. */
export function validateText(text: string, source: string): CommandResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = jsonErrorLocation(text, e);
    const where = at ? ` at ${at.line}:${at.column}` : '';
    return { exitCode: 1, out: [], err: [`${source}: not valid JSON${where}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const issues = validate(value);
  if (issues.length > 0) return { exitCode: 1, out: issues.map(formatIssue), err: [] };
  const record = value as Record<string, unknown>;
  const count = record.type === 'bundle' ? (Array.isArray(record.objects) ? record.objects.length : 0) : 1;
  return { exitCode: 0, out: [`OK ${count} objects`], err: [] };
}

/** Parses a pattern: the AST as pretty JSON, or the error with a caret under its position. */
export function patternText(pattern: string): CommandResult {
  const result = tryParsePattern(pattern);
  if (result.ok) return { exitCode: 0, out: [JSON.stringify(result.ast, null, 2)], err: [] };
  const { error } = result;
  const line = pattern.split('\n')[error.line - 1] ?? '';
  return { exitCode: 1, out: [], err: [`error: ${error.message}`, `  ${line}`, `  ${' '.repeat(Math.max(0, error.column - 1))}^`] };
}

async function readSource(arg: string, io: CliIO): Promise<{ text: string } | { error: string }> {
  if (arg === '-') return { text: await io.readStdin() };
  try {
    return { text: await readFile(arg, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${arg}: no such file` };
    if (code === 'EISDIR') return { error: `${arg}: is a directory` };
    if (code === 'EACCES') return { error: `${arg}: permission denied` };
    return { error: `${arg}: cannot read (${code ?? String(e)})` };
  }
}

function emit(result: CommandResult, io: CliIO): number {
  result.out.forEach((l) => io.out(l));
  result.err.forEach((l) => io.err(l));
  return result.exitCode;
}

export const stixCommands: CliCommand[] = [
  {
    path: ['stix', 'validate'],
    usage: '<file.json|->',
    description:
      'Validate a STIX 2.1 bundle or single object from a file or stdin (-); lists every problem with its object id, JSON path and code',
    async run(args, io) {
      const [arg] = args.positional;
      if (arg === undefined || args.positional.length > 1) throw new CliUsageError('stix validate takes one file name, or - for stdin');
      const source = await readSource(arg, io);
      if ('error' in source) {
        io.err(source.error);
        return 1;
      }
      return emit(validateText(source.text, arg === '-' ? 'stdin' : arg), io);
    },
  },
  {
    path: ['stix', 'pattern'],
    usage: "'<pattern>'",
    description: 'Parse a STIX 2.1 pattern and print its syntax tree as JSON, or the syntax error with its line:column',
    async run(args, io) {
      if (args.positional.length !== 1)
        throw new CliUsageError('stix pattern takes one quoted pattern, e.g. "[email-addr:value = \'a@b.example\']"');
      return emit(patternText(args.positional[0]), io);
    },
  },
];
