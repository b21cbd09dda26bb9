import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CairnError } from '@cairn/common';
import { CliArgs, CliCommand, CliIO, CliUsageError } from './cli-command';

/** Picks the command whose words match the longest prefix of argv, parses its flags, runs it. Returns the exit code. */
export async function runCli(commands: CliCommand[], argv: string[], io: CliIO): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(helpText(commands));
    return argv.length === 0 ? 2 : 0;
  }
  const command = [...commands].sort((a, b) => b.path.length - a.path.length).find((c) => c.path.every((word, i) => argv[i] === word));
  if (!command) {
    // A group word ('tenant', 'user' …) alone or with --help lists that group's commands.
    const group = commands.filter((c) => c.path.length > 1 && c.path[0] === argv[0]);
    const asksHelp = argv.length === 1 || argv.slice(1).every((a) => a === '--help' || a === '-h' || a === 'help');
    if (group.length && asksHelp) {
      io.out(groupHelp(argv[0], group));
      return argv.length === 1 ? 2 : 0;
    }
    io.err(
      `Unknown command: ${
        argv
          .filter((a) => !a.startsWith('-'))
          .slice(0, 2)
          .join(' ') || argv[0]
      }`,
    );
    io.err(group.length ? groupHelp(argv[0], group) : helpText(commands));
    return 2;
  }
  const rest = argv.slice(command.path.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  let args: CliArgs;
  try {
    args = parseCommandArgs(rest, command);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.err(err.message);
      io.err(commandHelp(command));
      return 2;
    }
    throw err;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.err(err.message);
      io.err(commandHelp(command));
      return 2;
    }
    // A rule of the domain was broken (unknown tenant, taken e-mail …): say which, exit 1.
    if (err instanceof CairnError) {
      io.err(`Error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/**
 * The command's flags with node's parseArgs (strict: only the command's own flags), its errors
 * turned into usage errors that name the flag and, for an unknown one, the command.
 */
export function parseCommandArgs(rest: string[], command: CliCommand): CliArgs {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, spec] of Object.entries(command.flags ?? {})) options[name] = { type: spec.boolean ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const flag = /'(-[^'\s<]*)/.exec((err as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CliUsageError(`Unknown flag ${flag} for '${command.path.join(' ')}'`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new CliUsageError(
        command.flags?.[flag.replace(/^-+/, '')]?.boolean ? `Flag ${flag} takes no value` : `Flag ${flag} needs a value`,
      );
    }
    throw err;
  }
  return { positional: parsed.positionals, flags: { ...(parsed.values as Record<string, string | boolean>) } };
}

/** How the README invokes the CLI; every usage line starts with it. */
export const INVOCATION = 'npm run cli --';

function commandHelp(c: CliCommand): string {
  const lines = [`Usage: ${INVOCATION} ${c.path.join(' ')}${c.usage ? ' ' + c.usage : ''}`, `  ${c.description}`];
  for (const [name, spec] of Object.entries(c.flags ?? {})) {
    lines.push(`  --${name}${spec.boolean ? '' : ' <value>'}  ${spec.description}`);
  }
  return lines.join('\n');
}

function commandList(commands: CliCommand[]): string[] {
  const width = Math.max(...commands.map((c) => `${c.path.join(' ')} ${c.usage}`.length));
  return commands.map((c) => `  ${`${c.path.join(' ')} ${c.usage}`.padEnd(width)}  ${c.description}`);
}

function groupHelp(word: string, group: CliCommand[]): string {
  return [
    `Usage: ${INVOCATION} ${word} <${group.map((c) => c.path[1]).join('|')}> [arguments] [--flags]`,
    '',
    'Commands:',
    ...commandList(group),
    '',
    `Run '${INVOCATION} ${word} <command> --help' for a command's flags.`,
  ].join('\n');
}

function helpText(commands: CliCommand[]): string {
  return [
    'Cairn operator CLI',
    '',
    `Usage: ${INVOCATION} <command> [arguments] [--flags]`,
    '',
    'Commands:',
    ...commandList(commands),
    '',
    `Run '${INVOCATION} <command> --help' for a command's flags, '${INVOCATION} <group> --help' for a group's commands.`,
    `Redirecting output to a file: '${INVOCATION.replace('npm run', 'npm run --silent')} …' keeps npm's banner out of it.`,
  ].join('\n');
}

/** Reads a flag as a number, or throws a usage error naming it. */
export function numberFlag(args: CliArgs, name: string, fallback: number): number {
  const v = args.flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) throw new CliUsageError(`--${name} must be a number (got "${String(v)}")`);
  return n;
}

/** A flag's value, or a usage error naming the flag. */
export function requireFlag(args: CliArgs, name: string): string {
  const v = args.flags[name];
  if (typeof v !== 'string' || v.trim() === '') throw new CliUsageError(`--${name} is required`);
  return v.trim();
}

export function optionalFlag(args: CliArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A comma-separated flag as a list (empty when absent). */
export function listFlag(args: CliArgs, name: string): string[] {
  return (optionalFlag(args, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function noPositional(args: CliArgs): void {
  if (args.positional.length) throw new CliUsageError(`Unexpected argument: ${args.positional[0]}`);
}
