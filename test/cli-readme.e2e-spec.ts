import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { validate } from '@cairn/stix';
import { runCli } from '../apps/cli/src/cli-runner';
import { ALL_COMMANDS } from '../apps/cli/src/commands';
import { createTestDatabase } from './support/database';
import { cliEnv, fakeIo } from './support/cli';

const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);

/** The README's export examples, exactly as documented (without their trailing comments). */
function documentedExportCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Operator CLI'), readme.indexOf('### Backup and restore'));
  return section
    .split('\n')
    .filter((l) => /^npm run .*cli -- export /.test(l))
    .map((l) => l.replace(/\s+#.*$/, '').trim());
}

// The issue: the README's `npm run cli -- export … > bundle.json` wrote npm's banner into the file.
describe('the README CLI export command, run as documented through a shell', () => {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'cairn-readme-export-'));
  const slug = `readme-${randomBytes(4).toString('hex')}`;
  const T = '2025-06-02T09:00:00.000Z';
  const indicator = {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: T,
    modified: T,
    pattern: "[ipv4-addr:value = '198.51.100.77']",
    pattern_type: 'stix',
    valid_from: T,
  };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    env = { ...process.env, ...cliEnv(databaseUrl) };
    Object.assign(process.env, env);
    const { io } = fakeIo();
    expect(
      await runCli(
        ALL_COMMANDS,
        ['tenant', 'create', slug, '--name', 'Readme Bank', '--country', 'DE', '--sectors', 'financial-services'],
        io,
      ),
    ).toBe(0);
    const bundleFile = join(dir, 'in.json');
    writeFileSync(bundleFile, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [indicator] }));
    expect(await runCli(ALL_COMMANDS, ['import', bundleFile, '--tenant', slug, '--distribution', 'ORGANISATION'], io)).toBe(0);
  });
  afterAll(() => {
    process.env = saved;
  });

  it('documents at least one export into a file', () => {
    expect(documentedExportCommands().length).toBeGreaterThan(0);
  });

  it.each(documentedExportCommands())(
    '%s writes a clean STIX bundle',
    async (documented) => {
      const file = join(dir, `${randomBytes(4).toString('hex')}.json`);
      const command = documented.replace('--tenant acme', `--tenant ${slug}`).replace(/\bbundle\.json\b/, file);
      expect(command).toContain(file);
      // Through a shell, as a reader pastes it; the first call may compile (its output goes to stderr).
      await run('sh', ['-c', command], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
      const bundle = JSON.parse(readFileSync(file, 'utf8'));
      expect(bundle.type).toBe('bundle');
      expect(validate(bundle)).toEqual([]);
      expect(bundle.objects.map((o: { id: string }) => o.id)).toContain(indicator.id);
    },
    300_000,
  );
});
