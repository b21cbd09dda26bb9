import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TEST_SECRETS } from '@cairn/common';
import type { TenantEntity } from '@cairn/tenancy';
import { runCli } from '../../apps/cli/src/cli-runner';
import { ALL_COMMANDS } from '../../apps/cli/src/commands';
import { fakeIo } from '../support/cli';
import { startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleCases } from './corpus';

// The path part is bounded: `.*` after each "at" of a megabyte-long one-line answer took 20 s of backtracking.
const STACK = /\bat [^\n]{0,300}\.[jt]s:\d+|node_modules|stacktrace/;
const TAXII = 'application/taxii+json;version=2.1';

describe('hostile input through TAXII and the CLI import', () => {
  let api: TestApp;
  let owner: Client;
  let tenant: TenantEntity;
  let basic: string;
  let objectsUrl: string;
  const counts = async () =>
    (await owner.query(`SELECT (SELECT count(*) FROM stix_object)::int AS objects, (SELECT count(*) FROM observable_index)::int AS idx`))
      .rows[0];

  beforeAll(async () => {
    api = await startTestApp({ env: { RATE_LIMIT_PRINCIPAL_PER_MINUTE: '1000000', RATE_LIMIT_TENANT_PER_MINUTE: '1000000' } });
    owner = new Client({ connectionString: api.databaseUrl });
    await owner.connect();
    tenant = await newTenant(api.app, { sectors: ['technology'] });
    const key = (await newApiKey(api.app, tenant)).replace(/^Bearer /, '');
    basic = `Basic ${Buffer.from(`siem:${key}`).toString('base64')}`;
    const collections = (await (
      await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: basic } })
    ).json()) as { collections: unknown };
    const own = (collections.collections as Array<{ id: string; can_write: boolean; title: string }>).find((c) => c.can_write)!;
    objectsUrl = `${api.baseUrl}/taxii2/api/collections/${own.id}/objects/`;
  });
  afterAll(async () => {
    await owner.end();
    await api.close();
  });

  const cases = bundleCases();

  it.each(cases.filter((c) => !c.bundleOnly).map((c) => [c.name, c] as const))(
    'TAXII POST refuses: %s — nothing stored, a TAXII error or an all-failed status',
    async (_name, c) => {
      const before = await counts();
      const b = c.bundle as { objects?: unknown } | null;
      const envelope = b && typeof b === 'object' && !Array.isArray(b) && 'objects' in b ? { objects: b.objects } : c.bundle;
      const res = await fetch(objectsUrl, {
        method: 'POST',
        headers: { 'content-type': TAXII, accept: TAXII, authorization: basic },
        body: JSON.stringify(envelope),
      });
      const text = await res.text();
      expect(text).not.toMatch(STACK);
      const body = JSON.parse(text);
      if (res.status === 202) {
        expect(body.success_count).toBe(0);
        expect(body.failure_count).toBeGreaterThan(0);
        expect(body.failures[0].message.length).toBeGreaterThan(5);
      } else {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(body).toEqual(expect.objectContaining({ title: expect.any(String), http_status: String(res.status) }));
      }
      expect(await counts()).toEqual(before);
      expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
    },
  );

  describe('CLI import', () => {
    const saved = { ...process.env };
    const dir = mkdtempSync(join(tmpdir(), 'cairn-hostile-cli-'));
    beforeAll(() => {
      Object.assign(process.env, {
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        DATABASE_URL: api.databaseUrl,
        DATABASE_APP_URL: api.appDatabaseUrl,
        SEED_DEMO: 'false',
        ...TEST_SECRETS,
      });
    });
    afterAll(() => {
      process.env = saved;
    });

    // Every 20th case: the CLI builds an application per run, so the whole corpus would be slow here.
    const sample = cases.filter((_, i) => i % 20 === 0);
    it.each(sample.map((c) => [c.name, c] as const))(
      'rejects %s with exit 1 and the issues, storing nothing',
      async (_name, c) => {
        const before = await counts();
        const file = join(dir, 'bundle.json');
        writeFileSync(file, JSON.stringify(c.bundle));
        const { io, err } = fakeIo();
        const code = await runCli(ALL_COMMANDS, ['import', file, '--tenant', tenant.slug], io);
        expect(code).toBe(1);
        expect(err.join('\n').length).toBeGreaterThan(10);
        expect(err.join('\n')).not.toMatch(STACK);
        expect(await counts()).toEqual(before);
      },
      30_000,
    );

    it('rejects a file that is not JSON, giving the position', async () => {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{"type": "bundle", "objects": [ }');
      const err: string[] = [];
      const code = await runCli(ALL_COMMANDS, ['import', file, '--tenant', tenant.slug], {
        out: () => undefined,
        err: (l) => err.push(l),
        readStdin: async () => '',
      });
      expect(code).toBe(1);
      expect(err.join('\n')).toMatch(/1:\d+|position|line/i);
    });
  });
});
