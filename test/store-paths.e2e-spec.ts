import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TEST_SECRETS } from '@cairn/common';
import type { TenantEntity } from '@cairn/tenancy';
import { runCli } from '../apps/cli/src/cli-runner';
import { intelCommands } from '../apps/cli/src/commands/intel.commands';
import type { CliIO } from '../apps/cli/src/cli-command';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';

const T = '2025-06-02T09:00:00.000Z';
const sdo = (type: string, props: Record<string, unknown>) => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T,
  modified: T,
  ...props,
});

/** Index rows and sighting facts of one publisher, without what names the publisher or the row's place in the feed. */
async function writtenBy(
  databaseUrl: string,
  tenant: TenantEntity,
  names: Record<string, string>,
): Promise<{ index: unknown[]; facts: unknown[] }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const index = await db.query(
      `SELECT o.id, to_jsonb(i) - 'object_pk' - 'publisher_tenant_id' AS row FROM observable_index i JOIN stix_object o ON o.pk = i.object_pk
        WHERE i.publisher_tenant_id = $1 ORDER BY i.kind, i.key`,
      [tenant.id],
    );
    const facts = await db.query(
      `SELECT to_jsonb(f) - 'feed_seq' - 'publisher_tenant_id' - 'date_added' AS row FROM sighting_fact f WHERE f.publisher_tenant_id = $1 ORDER BY sighting_id`,
      [tenant.id],
    );
    // Object ids by their part in the bundle, so that two bundles of the same content compare equal;
    // an object that held personal data is stored under an id keyed for its publisher, so it is
    // named by its (protected) pattern instead, which is the same for both.
    const stored = await db.query(`SELECT DISTINCT id, type, doc->>'pattern' AS pattern FROM stix_object WHERE publisher_tenant_id = $1`, [
      tenant.id,
    ]);
    const byContent = Object.fromEntries(stored.rows.map((r) => [r.id, `${r.type} ${r.pattern}`]));
    const named = (rows: unknown[]) =>
      JSON.parse(JSON.stringify(rows).replace(/[a-z0-9-]+--[0-9a-f-]{36}/g, (id) => names[id] ?? byContent[id] ?? id));
    return { index: named(index.rows), facts: named(facts.rows.map((r) => r.row)) };
  } finally {
    await db.end();
  }
}

describe('every path that stores objects leaves the same index rows and sighting facts', () => {
  const saved = { ...process.env };
  let api: TestApp;
  let viaCli: TenantEntity;
  let viaGraphql: TenantEntity;

  beforeAll(async () => {
    api = await startTestApp();
    // Three members in one cell (k = 3), so sightings are filed under healthcare/DE.
    viaCli = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    viaGraphql = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    // The CLI reads its database and secrets from the environment, as an operator's shell would give them.
    Object.assign(process.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: api.databaseUrl,
      DATABASE_APP_URL: api.appDatabaseUrl,
      SEED_DEMO: 'false',
      ...TEST_SECRETS,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await api.close();
  });

  it('a bundle imported with the CLI `import` command and the same bundle published over GraphQL', async () => {
    // The same content twice, with fresh ids (an id belongs to its first publisher).
    const make = () => {
      const ip = sdo('indicator', { pattern: "[ipv4-addr:value = '198.51.100.77']", pattern_type: 'stix', valid_from: T });
      const email = sdo('indicator', {
        pattern: "[email-addr:value = 'store.paths@proton-mail.example']",
        pattern_type: 'stix',
        valid_from: T,
      });
      const address = {
        type: 'ipv4-addr',
        spec_version: '2.1',
        id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
        value: '198.51.100.3',
      };
      const sighting = sdo('sighting', {
        sighting_of_ref: ip.id,
        first_seen: '2025-06-02T08:00:00Z',
        count: 2,
        x_cairn_interview_stage: 'offer',
        x_cairn_role_category: 'payroll-accounting',
      });
      const names = { [ip.id]: 'ip', [email.id]: 'email', [sighting.id]: 'sighting' };
      return { bundle: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [ip, email, address, sighting] }, names, ip };
    };
    const first = make();
    const second = make();
    const bundle = first.bundle;
    const file = join(mkdtempSync(join(tmpdir(), 'cairn-store-paths-')), 'bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const err: string[] = [];
    const io: CliIO = { out: () => undefined, err: (l) => err.push(l), readStdin: async () => '' };
    expect(await runCli(intelCommands, ['import', file, '--tenant', viaCli.slug], io)).toBe(0);

    const published = await gql(
      api.baseUrl,
      'mutation($b: JSON!) { publishBundle(bundle: $b) { created } }',
      { b: second.bundle },
      { authorization: await newApiKey(api.app, viaGraphql) },
    );
    expect(published.errors).toBeUndefined();

    const cli = await writtenBy(api.databaseUrl, viaCli, first.names);
    const graphql = await writtenBy(api.databaseUrl, viaGraphql, second.names);
    expect(cli.index.length).toBeGreaterThanOrEqual(3);
    expect(cli.facts).toHaveLength(1);
    expect(cli.facts[0]).toMatchObject({ cell_sector: 'healthcare', cell_area: 'DE', subject_id: 'ip', interview_stage: 'offer' });
    expect(cli).toEqual(graphql);
  });
});
