import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runCli } from '../cli-runner';
import { intelCommands } from './intel.commands';
import { createTestDatabase } from '../../../../test/support/database';
import { fakeIo, cliEnv } from '../../../../test/support/cli';

const T = '2025-06-02T09:00:00.000Z';
const indicator = (pattern: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: T,
  modified: T,
  pattern,
  pattern_type: 'stix',
  valid_from: T,
});

describe('intel CLI: usage errors (exit 2)', () => {
  it.each([
    [['import', '--tenant', 'x'], 'exactly one bundle file'],
    [['import', 'b.json'], '--tenant is required'],
    [['import', 'b.json', '--tenant', 'x', '--tlp', 'PURPLE'], '--tlp must be one of'],
    [['export'], '--tenant is required'],
    [['import', 'b.json', '--tenant', 'x', '--batch-size', '0'], '--batch-size must be a whole number'],
    [['import', 'b.json', '--tenant', 'x', '--batch-size', 'ten'], '--batch-size must be a whole number'],
    [['taxii', 'repair', 'maybe', '--tenant', 'x', '--collection', 'own'], 'Give on or off'],
    [['taxii', 'repair', 'on', '--tenant', 'x'], '--collection is required'],
  ])('%j', async (argv, message) => {
    const { io, err } = fakeIo();
    expect(await runCli(intelCommands, argv, io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });
});

describe('intel CLI import / export against a real database', () => {
  const saved = { ...process.env };
  let databaseUrl: string;
  let slug: string;
  const dir = mkdtempSync(join(tmpdir(), 'cairn-cli-intel-'));

  async function count(): Promise<number> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) AS n FROM stix_object')).rows[0].n);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    Object.assign(process.env, cliEnv(databaseUrl));
    slug = `cli-${randomBytes(4).toString('hex')}`;
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`INSERT INTO tenant (slug, name, country, sectors) VALUES ($1, 'CLI Member', 'DE', '{healthcare}')`, [slug]);
    await client.end();
  });
  afterAll(() => {
    process.env = saved;
  });

  it('imports a bundle through the publishing pipeline, then exports only the bundle JSON on stdout', async () => {
    const good = indicator("[email-addr:value = 'cli.person@proton-mail.example']");
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [good] }));
    const imported = fakeIo();
    expect(
      await runCli(intelCommands, ['import', file, '--tenant', slug, '--distribution', 'COMMUNITY', '--tlp', 'GREEN'], imported.io),
    ).toBe(0);
    expect(imported.out.join('\n')).toContain('1 created, 0 new versions, 0 unchanged');

    const exported = fakeIo();
    expect(await runCli(intelCommands, ['export', '--tenant', slug, '--types', 'indicator'], exported.io)).toBe(0);
    const text = exported.out.join('\n');
    const bundle = JSON.parse(text);
    expect(bundle.type).toBe('bundle');
    // It held personal data: stored under an id keyed for the tenant, not the one in the file.
    expect(imported.out.join('\n')).toContain('1 ids corrected');
    expect(bundle.objects.some((o: { id: string }) => o.id === good.id)).toBe(false);
    const indicators = bundle.objects.filter((o: { type: string }) => o.type === 'indicator');
    expect(indicators).toHaveLength(1);
    expect(indicators[0].pattern).toMatch(/value = '[0-9a-f]{64}@protected\.invalid'/);
    expect(text).not.toContain('cli.person');
  });

  it('exports everything page by page into one bundle, each object once, past MAX_BUNDLE_OBJECTS', async () => {
    const many = Array.from({ length: 7 }, (_, i) => indicator(`[ipv4-addr:value = '198.51.100.${i + 1}']`));
    const file = join(dir, 'many.json');
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: many }));
    expect(
      await runCli(intelCommands, ['import', file, '--tenant', slug, '--distribution', 'COMMUNITY', '--tlp', 'GREEN'], fakeIo().io),
    ).toBe(0);
    const out = join(dir, 'export.json');
    process.env.MAX_BUNDLE_OBJECTS = '3';
    try {
      const run = fakeIo();
      expect(await runCli(intelCommands, ['export', '--tenant', slug, '--types', 'indicator', '--out', out], run.io)).toBe(0);
      const bundle = JSON.parse(readFileSync(out, 'utf8')) as { type: string; objects: Array<{ id: string; type: string }> };
      const ids = bundle.objects.map((o) => o.id);
      expect(new Set(ids).size).toBe(ids.length);
      const indicators = bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.id);
      // The 7 here and the one of the first test: more than one page of 3.
      expect(indicators).toEqual(expect.arrayContaining(many.map((o) => o.id)));
      expect(indicators).toHaveLength(8);
      expect(run.err.join('\n')).toContain('Wrote 8 objects');
      expect(run.err.filter((l) => l.startsWith('…'))).toEqual(['… 3 objects', '… 6 objects']);
    } finally {
      delete process.env.MAX_BUNDLE_OBJECTS;
    }
  });

  it('exits 1 listing the issues when the bundle is rejected, and stores nothing', async () => {
    const before = await count();
    const bad = { ...indicator('[not a pattern'), valid_from: 'soon' };
    const run = fakeIo(JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [bad] }));
    expect(await runCli(intelCommands, ['import', '-', '--tenant', slug], run.io)).toBe(1);
    const text = run.err.join('\n');
    expect(text).toContain('Rejected, nothing stored');
    expect(text).toContain(`${bad.id}  $.objects[0].pattern  INVALID_PATTERN`);
    expect(await count()).toBe(before);
  });

  it('imported in batches, an object redacts the personal data that another batch protects', async () => {
    const person = {
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${randomUUID()}`,
      created: T,
      modified: T,
      name: 'Octavia Pemberwick',
      identity_class: 'individual',
    };
    const ind = { ...indicator("[ipv4-addr:value = '198.51.100.77']"), description: 'Interviewed as Octavia Pemberwick' };
    const file = join(dir, 'batched.json');
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [person, ind] }));
    const run = fakeIo();
    expect(await runCli(intelCommands, ['import', file, '--tenant', slug, '--batch-size', '1'], run.io)).toBe(0);
    expect(run.out.join('\n')).toContain('2 created');
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // The person is stored under an id keyed for the tenant (it held personal data); the indicator under its own.
      const { rows } = await client.query(
        `SELECT doc FROM stix_object o JOIN tenant t ON t.id = o.publisher_tenant_id WHERE t.slug = $1 AND (o.id = $2 OR o.type = 'identity')`,
        [slug, ind.id],
      );
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toContain('Pemberwick');
    } finally {
      await client.end();
    }
  });
});
