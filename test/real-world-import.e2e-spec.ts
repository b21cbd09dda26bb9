import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { TenantEntity } from '@cairn/tenancy';
import { runCli } from '../apps/cli/src/cli-runner';
import { ALL_COMMANDS } from '../apps/cli/src/commands';
import { cliEnv, fakeIo } from './support/cli';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';

/**
 * Real-world releases (test/fixtures/real-world: ATT&CK-shaped, made here) through all three doors:
 * CLI import, GraphQL publishBundle and TAXII POST. Strict refuses with every reason and stores
 * nothing; repair mode repairs what is safe, skips what is not with its reason, stores the rest.
 */
const FIXTURES = join(__dirname, 'fixtures/real-world');
const N = join(FIXTURES, 'attack-ics-release-n.json');
const N1 = join(FIXTURES, 'attack-ics-release-n1.json');
/**
 * Release objects belong to the tenant that first publishes them (NOT_OWNER for anyone else), so
 * each scenario loads the corpus under its own ids: `seg` replaces the UUIDs' second group.
 */
const load = (file: string, seg: string) =>
  JSON.parse(readFileSync(file, 'utf8').replaceAll('-7a1e-', `-${seg}-`).replaceAll('-7A1E-', `-${seg.toUpperCase()}-`)) as {
    objects: Array<Record<string, any>>;
  } & Record<string, unknown>;
let segments = 0;
/** A scenario's release files and the ids the tests name. */
function corpus() {
  const seg = (0xb000 + ++segments).toString(16);
  const dir = mkdtempSync(join(tmpdir(), 'cairn-real-world-'));
  const file = (name: string, source: string) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(load(source, seg)));
    return path;
  };
  const uuid = (n: number) => `${n.toString(16).padStart(8, '0')}-${seg}-4c0d-9b2a-${(n * 7919).toString(16).padStart(12, '0')}`;
  return {
    seg,
    n: file('n.json', N),
    n1: file('n1.json', N1),
    bundle: (source: string) => load(source, seg),
    G1: `intrusion-set--${uuid(8)}`,
    G2: `intrusion-set--${uuid(9)}`,
    G3: `intrusion-set--${uuid(10)}`,
    AP1: `attack-pattern--${uuid(6)}`,
    AP1_UPPER: `attack-pattern--${uuid(6).toUpperCase()}`,
    R1: `relationship--${uuid(11)}`,
    DC2: `x-mitre-data-component--${uuid(18)}`,
    DC3: `x-mitre-data-component--${uuid(19)}`,
    C2: `course-of-action--${uuid(20)}`,
    R5: `relationship--${uuid(21)}`,
  };
}
const TAXII = 'application/taxii+json;version=2.1';

const PUBLISH = `mutation($b: JSON!, $s: SharingInput, $r: Boolean) { publishBundle(bundle: $b, sharing: $s, repair: $r) {
  created newVersions unchanged skipped repaired repairs { objectId path code }
  objects { index id status correctedFrom reason errors { objectId path code } repairs { path code } } } }`;
const OBJECT = 'query($id: String!) { object(id: $id) { id modified object } }';

describe('importing real-world releases (repair mode)', () => {
  const saved = { ...process.env };
  let api: TestApp;

  async function cli(...argv: string[]) {
    Object.assign(process.env, cliEnv(api.databaseUrl));
    const { io, out, err } = fakeIo();
    const code = await runCli(ALL_COMMANDS, argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function storedCount(t: TenantEntity): Promise<number> {
    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) AS n FROM stix_object WHERE publisher_tenant_id = $1', [t.id])).rows[0].n);
    } finally {
      await client.end();
    }
  }

  const summaryOf = (out: string) => {
    const m = /(\d+) created, (\d+) new versions, (\d+) unchanged, (\d+) repaired, (\d+) skipped/.exec(out);
    expect(m).not.toBeNull();
    const [created, newVersions, unchanged, repaired, skipped] = m!.slice(1).map(Number);
    return { created, newVersions, unchanged, repaired, skipped };
  };

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    process.env = saved;
    await api.close();
  });

  describe('CLI: release N, then N+1, then N+1 again', () => {
    const { n: N, n1: N1, G1, G2, G3, AP1, AP1_UPPER, R1, DC2, DC3, C2, R5 } = corpus();
    let a: TenantEntity;
    let b: TenantEntity;

    beforeAll(async () => {
      a = await newTenant(api.app, { country: 'DE', sectors: ['energy'] });
      b = await newTenant(api.app, { country: 'FR', sectors: ['energy'] });
    });

    it('strict: the 2.0-shaped release N is refused with every reason, nothing stored', async () => {
      const run = await cli('import', N, '--tenant', a.slug, '--distribution', 'COMMUNITY');
      expect(run.code).toBe(1);
      expect(run.err).toContain('Rejected, nothing stored');
      expect(run.err).toContain('$.spec_version  FORBIDDEN_PROPERTY');
      expect(run.err).toMatch(/\$\.objects\[14\]\.spec_version {2}REQUIRED_PROPERTY/);
      expect(run.err).toMatch(/\$\.objects\[0\]\.created {2}INVALID_TIMESTAMP/);
      expect(await storedCount(a)).toBe(0);
    });

    it('repair: N is stored whole, every repair reported', async () => {
      const run = await cli('import', N, '--tenant', a.slug, '--distribution', 'COMMUNITY', '--repair');
      expect(run.code).toBe(0);
      expect(summaryOf(run.out)).toEqual({ created: 15, newVersions: 0, unchanged: 0, repaired: 15, skipped: 0 });
      expect(run.out).toContain('$.spec_version  BUNDLE_SPEC_VERSION');
      expect(run.out).toContain(`${G1}  $.objects[7].spec_version  OBJECT_SPEC_VERSION`);
      expect(run.out).toContain(`${G1}  $.objects[7].created  TIMESTAMP_PRECISION`);
      expect(run.err).toMatch(/import: 15\/15 objects \(100\.0 %\), \d+ objects\/s, batch 1\/1/);
      expect(await storedCount(a)).toBe(15);
    });

    it('strict: N+1 after N is refused — revoked ids re-issued, empty refs, an empty list, a broken object — nothing stored', async () => {
      const run = await cli('import', N1, '--tenant', a.slug, '--distribution', 'COMMUNITY');
      expect(run.code).toBe(1);
      for (const line of [
        `${G1}  $.objects[7].aliases  EMPTY_VALUE`,
        `${G2}  $.objects[8].modified  REVOKED`,
        `${G3}  $.objects[9].modified  REVOKED`,
        `${DC2}  $.objects[17].x_mitre_data_source_ref  INVALID_REFERENCE`,
        `${DC3}  $.objects[18].x_mitre_data_source_ref  INVALID_REFERENCE`,
        `${C2}  $.objects[19].modified  MODIFIED_BEFORE_CREATED`,
      ])
        expect(run.err).toContain(line);
      expect(await storedCount(a)).toBe(15);
    });

    it('repair: N+1 gives new versions once, skips what cannot be repaired with its reason; again: nothing new', async () => {
      const first = await cli('import', N1, '--tenant', a.slug, '--distribution', 'COMMUNITY', '--repair');
      expect(first.code).toBe(0);
      expect(summaryOf(first.out)).toEqual({ created: 7, newVersions: 3, unchanged: 10, repaired: 3, skipped: 4 });
      expect(first.out).toContain(`${DC2}  $.objects[17].x_mitre_data_source_ref  EMPTY_OPTIONAL_PROPERTY`);
      expect(first.out).toContain(`${G1}  $.objects[7].aliases  EMPTY_OPTIONAL_PROPERTY`);
      expect(first.out).toMatch(new RegExp(`${G2} {2}\\$\\.objects\\[8\\] {2}repair mode: not stored \\(REVOKED\\)`));
      expect(first.out).toMatch(new RegExp(`${G3} {2}\\$\\.objects\\[9\\] {2}repair mode: not stored \\(REVOKED\\)`));
      expect(first.out).toContain(`${C2}  $.objects[19]  repair mode: not stored (MODIFIED_BEFORE_CREATED)`);
      // It mitigates the broken object, which is not stored: its reference would dangle.
      expect(first.out).toContain(`${R5}  $.objects[20]  repair mode: not stored (UNKNOWN_REFERENCE)`);
      expect(await storedCount(a)).toBe(15 + 7 + 3);

      const again = await cli('import', N1, '--tenant', a.slug, '--distribution', 'COMMUNITY', '--repair');
      expect(again.code).toBe(0);
      expect(summaryOf(again.out)).toEqual({ created: 0, newVersions: 0, unchanged: 20, repaired: 3, skipped: 4 });
      expect(await storedCount(a)).toBe(25);
    });

    it('an upper-case UUID is one object with its lower-case form, found whichever case is asked, by both tenants', async () => {
      for (const t of [a, b]) {
        const key = await newApiKey(api.app, t);
        for (const id of [AP1_UPPER, AP1]) {
          const res = await gql<{ object: { id: string; modified: string; object: any } }>(
            api.baseUrl,
            OBJECT,
            { id },
            { authorization: key },
          );
          expect(res.errors).toBeUndefined();
          expect(res.data!.object.id).toBe(AP1);
          expect(res.data!.object.modified).toBe('2022-05-06T21:20:41.211Z');
        }
        const rel = await gql<{ object: { object: any } }>(api.baseUrl, OBJECT, { id: R1 }, { authorization: key });
        expect(rel.data!.object.object.target_ref).toBe(AP1);

        const collections = await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: key } }).then(
          (r) => r.json() as Promise<{ collections: Array<{ id: string; alias: string }> }>,
        );
        const community = collections.collections.find((c) => c.alias === 'community')!.id;
        const base = `${api.baseUrl}/taxii2/api/collections/${community}/objects`;
        const byMatch = await fetch(`${base}/?match[id]=${AP1_UPPER}&match[version]=all`, {
          headers: { accept: TAXII, authorization: key },
        }).then((r) => r.json() as Promise<{ objects: Array<{ id: string }> }>);
        expect(byMatch.objects.map((o) => o.id)).toEqual([AP1, AP1]); // release N's version and N+1's: one object
        const versions = await fetch(`${base}/${AP1_UPPER}/versions/`, { headers: { accept: TAXII, authorization: key } }).then(
          (r) => r.json() as Promise<{ versions: string[] }>,
        );
        expect(versions.versions).toHaveLength(2);
        // A sighting of the upper-case form is of the same object: the id and the subject check pass,
        // and only the small crowd (two members here, fewer than k) stops the report.
        const sighted = await gql(
          api.baseUrl,
          'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }',
          { i: { sightingOf: AP1_UPPER, firstSeen: '2026-01-02T03:04:05Z' } },
          { authorization: key },
        );
        expect(sighted.errors?.[0]?.extensions?.reason).toBe('NO_CELL');
      }
    });
  });

  it('CLI: a release larger than MAX_BUNDLE_OBJECTS goes in batches (each all or nothing), with progress and a summary that says so', async () => {
    const { n1: N1 } = corpus();
    const t = await newTenant(api.app);
    process.env.MAX_BUNDLE_OBJECTS = '10';
    try {
      const run = await cli('import', N1, '--tenant', t.slug, '--repair');
      expect(run.code).toBe(0);
      // A fresh tenant: the intrusion sets are not revoked here, so only the broken object and what references it are skipped.
      expect(summaryOf(run.out)).toEqual({ created: 22, newVersions: 0, unchanged: 0, repaired: 3, skipped: 2 });
      expect(run.out).toContain('3 of 3 batches stored (each all or nothing)');
      expect(run.err).toMatch(/import: 10\/24 objects \(41\.7 %\), \d+ objects\/s, batch 1\/3/);
      expect(run.err).toMatch(/import: 24\/24 objects \(100\.0 %\), \d+ objects\/s, batch 3\/3/);
      expect(await storedCount(t)).toBe(22);

      const strict = await cli('import', corpus().n1, '--tenant', (await newTenant(api.app)).slug, '--batch-size', '5');
      expect(strict.code).toBe(1);
      expect(strict.err).toMatch(/Rejected batch \d\/5, nothing of it stored/);
    } finally {
      delete process.env.MAX_BUNDLE_OBJECTS;
    }
  });

  describe('GraphQL publishBundle', () => {
    it('strict refuses N+1 with every reason and stores nothing; repair: true stores the rest and reports each repaired or skipped object', async () => {
      const { bundle, G1, AP1, AP1_UPPER, DC2, DC3, C2, R5 } = corpus();
      const load = (source: string) => bundle(source);
      const t = await newTenant(api.app);
      const other = await newTenant(api.app);
      const key = await newApiKey(api.app, t);
      const strict = await gql(api.baseUrl, PUBLISH, { b: load(N1), s: { distribution: 'COMMUNITY' } }, { authorization: key });
      expect(strict.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const issues = (strict.errors![0].extensions!.issues as Array<{ objectId: string; path: string; code: string }>).map(
        (i) => `${i.objectId} ${i.path} ${i.code}`,
      );
      expect(issues).toEqual([
        `${G1} $.objects[7].aliases EMPTY_VALUE`,
        `${DC2} $.objects[17].x_mitre_data_source_ref INVALID_REFERENCE`,
        `${DC3} $.objects[18].x_mitre_data_source_ref INVALID_REFERENCE`,
        `${C2} $.objects[19].modified MODIFIED_BEFORE_CREATED`,
      ]);
      expect(await storedCount(t)).toBe(0);

      const res = await gql<{ publishBundle: any }>(
        api.baseUrl,
        PUBLISH,
        { b: load(N1), s: { distribution: 'COMMUNITY' }, r: true },
        { authorization: key },
      );
      expect(res.errors).toBeUndefined();
      const r = res.data!.publishBundle;
      expect({ created: r.created, newVersions: r.newVersions, unchanged: r.unchanged, skipped: r.skipped, repaired: r.repaired }).toEqual({
        created: 22,
        newVersions: 0,
        unchanged: 0,
        skipped: 2,
        repaired: 3,
      });
      expect(r.repairs.map((p: any) => `${p.objectId} ${p.path} ${p.code}`)).toEqual([
        `${G1} $.objects[7].aliases EMPTY_OPTIONAL_PROPERTY`,
        `${DC2} $.objects[17].x_mitre_data_source_ref EMPTY_OPTIONAL_PROPERTY`,
        `${DC3} $.objects[18].x_mitre_data_source_ref EMPTY_OPTIONAL_PROPERTY`,
      ]);
      const byIndex = new Map<number, any>(r.objects.map((o: any) => [o.index, o]));
      expect(byIndex.get(17)).toMatchObject({
        id: DC2,
        status: 'CREATED',
        repairs: [{ path: '$.objects[17].x_mitre_data_source_ref', code: 'EMPTY_OPTIONAL_PROPERTY' }],
      });
      expect(byIndex.get(19)).toMatchObject({
        id: C2,
        status: 'SKIPPED',
        errors: [{ objectId: C2, path: '$.objects[19].modified', code: 'MODIFIED_BEFORE_CREATED' }],
      });
      expect(byIndex.get(20)).toMatchObject({
        id: R5,
        status: 'SKIPPED',
        errors: [{ path: '$.objects[20].source_ref', code: 'UNKNOWN_REFERENCE' }],
      });
      expect(byIndex.get(5)).toMatchObject({ id: AP1, correctedFrom: AP1_UPPER, status: 'CREATED' });
      expect(r.objects).toHaveLength(24);
      expect(await storedCount(t)).toBe(22);
      // The other tenant sees what was stored (COMMUNITY), under the lower-case id only.
      const seen = await gql<{ object: { id: string; object: any } }>(
        api.baseUrl,
        OBJECT,
        { id: DC2 },
        { authorization: await newApiKey(api.app, other) },
      );
      expect(seen.data!.object.object).not.toHaveProperty('x_mitre_data_source_ref');
    });
  });

  describe('TAXII POST', () => {
    it('is strict unless the operator turns repair mode on for the collection; then skipped objects are failures with their reasons', async () => {
      const { bundle, AP1, AP1_UPPER, DC2, C2, R5 } = corpus();
      const load = (source: string) => bundle(source);
      const t = await newTenant(api.app);
      const key = await newApiKey(api.app, t);
      const call = async (path: string, body?: unknown) => {
        const res = await fetch(`${api.baseUrl}/taxii2/api${path}`, {
          method: body ? 'POST' : 'GET',
          headers: { accept: TAXII, 'content-type': TAXII, authorization: key },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      };
      const collections = (await call('/collections/')).body.collections as Array<{ id: string; alias: string }>;
      const own = collections.find((c) => c.alias === 'own')!.id;
      const community = collections.find((c) => c.alias === 'community')!.id;
      const envelope = () => ({ objects: load(N1).objects });

      const strict = await call(`/collections/${own}/objects/`, envelope());
      expect(strict.status).toBe(202);
      expect(strict.body.success_count).toBe(0);
      expect(strict.body.failure_count).toBe(24);
      expect(strict.body.failures.find((f: any) => f.id === DC2).message).toContain(
        'INVALID_REFERENCE at $.objects[17].x_mitre_data_source_ref',
      );
      expect(await storedCount(t)).toBe(0);

      const on = await cli('taxii', 'repair', 'on', '--tenant', t.slug, '--collection', 'own');
      expect(on.code).toBe(0);
      expect(on.out).toContain(`TAXII POSTs to own (${own}) of ${t.slug}: repair mode`);
      const client = new Client({ connectionString: api.databaseUrl });
      await client.connect();
      const audited = await client
        .query(`SELECT details FROM audit_log WHERE action = 'taxii.collection_repair' AND target_id = $1`, [own])
        .finally(() => client.end());
      expect(audited.rows.map((r) => r.details)).toEqual([{ alias: 'own', repairOnPost: true }]);

      // Only that collection: the community one stays strict.
      const elsewhere = await call(`/collections/${community}/objects/`, envelope());
      expect(elsewhere.body.success_count).toBe(0);
      expect(await storedCount(t)).toBe(0);

      const repaired = await call(`/collections/${own}/objects/`, envelope());
      expect(repaired.status).toBe(202);
      expect(repaired.body.success_count).toBe(22);
      expect(repaired.body.failure_count).toBe(2);
      expect(repaired.body.failures.map((f: any) => f.id).sort()).toEqual([C2, R5].sort());
      expect(repaired.body.failures.find((f: any) => f.id === C2).message).toContain('MODIFIED_BEFORE_CREATED at $.objects[19].modified');
      expect(repaired.body.successes.find((s: any) => s.id === DC2).message).toContain(
        'repaired: EMPTY_OPTIONAL_PROPERTY at $.objects[17].x_mitre_data_source_ref',
      );
      expect(repaired.body.successes.find((s: any) => s.id === AP1_UPPER).message).toContain(`stored as ${AP1}`);
      expect(await storedCount(t)).toBe(22);
      const c2 = new Client({ connectionString: api.databaseUrl });
      await c2.connect();
      const published = await c2
        .query(`SELECT details FROM audit_log WHERE action = 'intel.published' AND tenant_id = $1`, [t.id])
        .finally(() => c2.end());
      expect(published.rows.map((r) => r.details)).toEqual([
        expect.objectContaining({ created: 22, repairMode: true, repairedObjects: 3, skippedByRepair: 2 }),
      ]);

      expect((await cli('taxii', 'repair', 'off', '--tenant', t.slug, '--collection', own)).out).toContain(': strict');
      const offAgain = await call(`/collections/${own}/objects/`, envelope());
      expect(offAgain.body.success_count).toBe(0);
    });
  });
});
