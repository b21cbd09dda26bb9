import { CliCommand } from './cli-command';
import { runCli } from './cli-runner';
import { fakeIo } from '../../../test/support/cli';

const seen: unknown[] = [];
const commands: CliCommand[] = [
  {
    path: ['tenant', 'create'],
    usage: '<slug>',
    description: 'make one',
    flags: { country: { description: 'c' }, named: { description: 'n', boolean: true } },
    run: async (a) => (seen.push(a), 0),
  },
  { path: ['tenant', 'list'], usage: '', description: 'list them', run: async () => 0 },
  { path: ['migrate'], usage: '', description: 'migrate', run: async () => 3 },
];

describe('runCli', () => {
  beforeEach(() => (seen.length = 0));

  it('runs the matching command with its positional arguments and flags', async () => {
    const { io } = fakeIo();
    expect(await runCli(commands, ['tenant', 'create', 'acme', '--country', 'DE', '--named'], io)).toBe(0);
    expect(seen).toEqual([{ positional: ['acme'], flags: { country: 'DE', named: true } }]);
  });

  it('returns the command exit code', async () => {
    expect(await runCli(commands, ['migrate'], fakeIo().io)).toBe(3);
  });

  it('prints usage and exits 2 for an unknown command', async () => {
    const { io, err } = fakeIo();
    expect(await runCli(commands, ['frobnicate'], io)).toBe(2);
    expect(err.join('\n')).toContain('Unknown command: frobnicate');
    expect(err.join('\n')).toContain('tenant create <slug>');
  });

  it('exits 2 for an unknown flag or a flag missing its value, without running', async () => {
    expect(await runCli(commands, ['tenant', 'create', 'x', '--colour', 'red'], fakeIo().io)).toBe(2);
    expect(await runCli(commands, ['tenant', 'create', 'x', '--country'], fakeIo().io)).toBe(2);
    expect(seen).toEqual([]);
  });

  it.each([
    [['--colour', 'red'], "Unknown flag --colour for 'tenant create'"],
    [['--colour=red'], "Unknown flag --colour for 'tenant create'"],
    [['--country'], 'Flag --country needs a value'],
    [['--country', '--named'], 'Flag --country needs a value'],
  ])("%j is a usage error that names the flag, followed by the command's help", async (flags, message) => {
    const { io, err } = fakeIo();
    expect(await runCli(commands, ['tenant', 'create', 'x', ...flags], io)).toBe(2);
    expect(err[0]).toBe(message);
    expect(err[1]).toContain('Usage: npm run cli -- tenant create <slug>');
    expect(seen).toEqual([]);
  });

  it('takes a value inline (--flag=value) and positionals between flags', async () => {
    expect(await runCli(commands, ['tenant', 'create', '--country=DE', 'acme', '--named'], fakeIo().io)).toBe(0);
    expect(seen).toEqual([{ positional: ['acme'], flags: { country: 'DE', named: true } }]);
  });

  it('lists every command for --help and exits 0', async () => {
    const { io, out } = fakeIo();
    expect(await runCli(commands, ['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/tenant create[\s\S]*migrate/);
  });

  // The issue: 'tenant --help' answered "Unknown command".
  it.each([
    [['tenant', '--help'], 0],
    [['tenant', '-h'], 0],
    [['tenant'], 2],
  ])("%j lists the group's commands (exit %i)", async (argv, code) => {
    const { io, out, err } = fakeIo();
    expect(await runCli(commands, argv as string[], io)).toBe(code);
    expect(err.join('\n')).not.toContain('Unknown command');
    const text = out.join('\n');
    expect(text).toContain('Usage: npm run cli -- tenant <create|list>');
    expect(text).toMatch(/tenant create <slug>[\s\S]*tenant list/);
    expect(text).not.toContain('migrate');
  });

  it('an unknown subcommand of a group names it and lists the group', async () => {
    const { io, err } = fakeIo();
    expect(await runCli(commands, ['tenant', 'frob'], io)).toBe(2);
    expect(err.join('\n')).toContain('Unknown command: tenant frob');
    expect(err.join('\n')).toContain('tenant list');
  });
});
