import 'reflect-metadata';
import { ConfigError } from '@cairn/common';
import { CliIO } from './cli-command';
import { runCli } from './cli-runner';
import { ALL_COMMANDS } from './commands';

const io: CliIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

runCli(ALL_COMMANDS, process.argv.slice(2), io)
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    io.err(err instanceof ConfigError ? err.message : `Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
