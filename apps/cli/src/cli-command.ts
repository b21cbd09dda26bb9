/** One operator CLI command. `run` returns the process exit code. */
export interface CliCommand {
  /** Words that select the command, e.g. ['stix', 'validate']. */
  path: string[];
  /** Argument synopsis shown in --help, e.g. '<file.json|->'. */
  usage: string;
  description: string;
  /** Flags the command accepts (without leading dashes); anything else is a usage error. */
  flags?: Record<string, { description: string; boolean?: boolean }>;
  run(args: CliArgs, io: CliIO): Promise<number>;
}

export interface CliArgs {
  positional: string[];
  flags: Record<string, string | boolean>;
}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  readStdin(): Promise<string>;
}

export class CliUsageError extends Error {}
