import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { CAIRN_IDENTITY_ID, CAIRN_PROTECTION_EXTENSION_ID, expectedScoId, scoId, tlpMarkingRef } from '@cairn/stix';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { newApiKey, newGroup, newTenant } from './factories/tenancy.factory';
import { bundleOf as bundle } from './factories/stix.factory';

const T = '2025-06-02T09:00:00.000Z';
const PUBLISH = `mutation($bundle: JSON!, $sharing: SharingInput) {
  publishBundle(bundle: $bundle, sharing: $sharing) { created newVersions unchanged skipped corrected objects { index id type status modified correctedFrom reason } } }`;
const OBJECTS =
  'query($f: ObjectFilterInput) { objects(filter: $f, first: 1000) { edges { node { id type modified tlp revoked mine object } } } }';

type Obj = Record<string, unknown> & { id: string; type: string };
const sdo = (type: string, props: Record<string, unknown> = {}): Obj => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T,
  modified: T,
  ...props,
});
const sco = (type: string, props: Record<string, unknown>): Obj => {
  const o = { type, spec_version: '2.1', ...props };
  return { ...o, id: scoId(o) };
};
const indicator = (pattern: string, props: Record<string, unknown> = {}) =>
  sdo('indicator', { pattern, pattern_type: 'stix', valid_from: T, ...props });

describe('publishing (publishBundle, revoke) over HTTP with three tenants', () => {
  let api: TestApp;
  let db: Client;
  let pub: TenantEntity; // publisher, healthcare DE
  let peer: TenantEntity; // same sector
  let outsider: TenantEntity; // other sector
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const publish = (t: TenantEntity, b: unknown, sharing?: Record<string, unknown>) =>
    gql<{
      publishBundle: {
        created: number;
        newVersions: number;
        unchanged: number;
        skipped: number;
        corrected: number;
        objects: Array<Record<string, string>>;
      };
    }>(api.baseUrl, PUBLISH, { bundle: b, sharing }, as(t));
  const list = async (t: TenantEntity, f: Record<string, unknown> = {}) => {
    const res = await gql<{ objects: { edges: Array<{ node: Record<string, unknown> & { id: string; object: Obj } }> } }>(
      api.baseUrl,
      OBJECTS,
      { f },
      as(t),
    );
    expect(res.errors).toBeUndefined();
    return res.data!.objects.edges.map((e) => e.node);
  };
  const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    pub = await newTenant(api.app, {
      name: 'Umbrella Pharma',
      country: 'DE',
      sectors: ['healthcare'],
      domains: ['umbrella-pharma.example'],
      redactionTerms: ['Project Hive'],
    });
    peer = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    outsider = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    for (const t of [pub, peer, outsider]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('stores a bundle anonymised: another member sees no trace of the publisher in objects, object or exportBundle', async () => {
    const own = sdo('identity', {
      name: 'Umbrella Pharma',
      identity_class: 'organization',
      contact_information: 'soc@umbrella-pharma.example',
    });
    const ip = sco('ipv4-addr', { value: '198.51.100.77' });
    const ind = indicator("[ipv4-addr:value = '198.51.100.77']", {
      created_by_ref: own.id,
      name: 'VPN exit seen by Umbrella Pharma SOC',
      description: 'Reported by soc@umbrella-pharma.example for Project Hive',
      labels: ['umbrella-pharma', 'vpn'],
      external_references: [
        { source_name: 'ticket', description: 'UMBRELLA PHARMA case', url: 'https://jira.umbrella-pharma.example/X-1' },
      ],
      x_reporter: { team: 'Umbrella Pharma CSIRT' },
    });
    const rel = sdo('relationship', { relationship_type: 'based-on', source_ref: ind.id, target_ref: ip.id, created_by_ref: own.id });
    const res = await publish(pub, bundle(own, ip, ind, rel), { distribution: 'SECTOR', tlp: 'GREEN' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.publishBundle).toMatchObject({ created: 3, skipped: 1 });

    const seen = await list(peer, { ids: [ind.id, ip.id, rel.id, own.id] });
    expect(seen.map((n) => n.id).sort()).toEqual([ind.id, ip.id, rel.id].sort());
    const one = await gql(api.baseUrl, 'query($id: String!) { object(id: $id) { id mine object } }', { id: ind.id }, as(peer));
    const exported = await gql<{ exportBundle: { bundle: { objects: Obj[] } } }>(
      api.baseUrl,
      'query { exportBundle { bundle objectCount truncated } }',
      {},
      as(peer),
    );
    expect(exported.data!.exportBundle.bundle.objects.map((o) => o.id)).toEqual(
      expect.arrayContaining([ind.id, CAIRN_IDENTITY_ID, tlpMarkingRef('GREEN')]),
    );
    for (const body of [seen, one, exported]) {
      const text = JSON.stringify(body).toLowerCase();
      for (const secret of ['umbrella', 'project hive', pub.id, pub.slug, own.id]) expect(text).not.toContain(secret.toLowerCase());
    }
    const stored = seen.find((n) => n.id === ind.id)!;
    expect(stored.mine).toBe(false);
    expect(stored.object).toMatchObject({
      created_by_ref: CAIRN_IDENTITY_ID,
      object_marking_refs: [tlpMarkingRef('GREEN')],
      name: 'VPN exit seen by [redacted] SOC',
      labels: ['[redacted]', 'vpn'],
    });
    // The publisher itself sees its own objects as its own.
    expect((await list(pub, { ids: [ind.id] }))[0].mine).toBe(true);
    // An outsider (other sector) sees nothing.
    expect(await list(outsider, { ids: [ind.id, ip.id, rel.id] })).toEqual([]);
  });

  it('rejects a bad bundle as a whole, naming object and property, and stores nothing (row counts as the owner)', async () => {
    // The key's first use is audited in the background (apikey.used, once an hour): wait for it, so
    // that it cannot land between the two counts below.
    await publish(pub, bundle());
    await waitFor(
      async () => (await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'apikey.used' AND tenant_id = '${pub.id}'`)) > 0,
      { what: 'the key’s first use to be audited' },
    );
    const before = [await count('SELECT count(*) AS n FROM stix_object'), await count('SELECT count(*) AS n FROM audit_log')];
    const good = indicator("[ipv4-addr:value = '198.51.100.1']");
    const bad = indicator('[ipv4-addr:value = ', { valid_from: 'last tuesday' });
    const res = await publish(pub, bundle(good, bad));
    expect(res.data).toBeNull();
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_BUNDLE', moreIssues: 0 });
    const issues = res.errors![0].extensions!.issues as Array<Record<string, string>>;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ objectId: bad.id, path: '$.objects[1].pattern', code: 'INVALID_PATTERN' }),
        expect.objectContaining({ objectId: bad.id, path: '$.objects[1].valid_from', code: 'INVALID_TIMESTAMP' }),
      ]),
    );
    // A reference to nothing the publisher may see, and a TLP marking stricter than the sharing.
    const dangling = sdo('relationship', {
      relationship_type: 'indicates',
      source_ref: good.id,
      target_ref: `threat-actor--${randomUUID()}`,
    });
    const red = indicator("[ipv4-addr:value = '198.51.100.2']", { object_marking_refs: [tlpMarkingRef('RED')] });
    const res2 = await publish(pub, bundle(good, dangling, red), { distribution: 'COMMUNITY', tlp: 'GREEN' });
    // Both at once, in bundle order (issue 15: no more fixing one phase to meet the next).
    expect((res2.errors![0].extensions!.issues as Array<{ code: string }>).map((i) => i.code)).toEqual([
      'UNKNOWN_REFERENCE',
      'TLP_ABOVE_SHARING',
    ]);
    const res3 = await publish(pub, bundle(good, dangling), { distribution: 'COMMUNITY', tlp: 'GREEN' });
    expect(res3.errors![0].extensions!.issues).toEqual([
      expect.objectContaining({ objectId: dangling.id, path: '$.objects[1].target_ref', code: 'UNKNOWN_REFERENCE' }),
    ]);
    // Many problems: capped list, the rest counted.
    const many = Array.from({ length: 120 }, () => indicator('not a pattern'));
    const res4 = await publish(pub, bundle(...many));
    expect((res4.errors![0].extensions!.issues as unknown[]).length).toBe(100);
    expect(res4.errors![0].extensions!.moreIssues).toBeGreaterThan(0);
    expect([await count('SELECT count(*) AS n FROM stix_object'), await count('SELECT count(*) AS n FROM audit_log')]).toEqual(before);
  });

  it('never lets a protected e-mail address reach the database: every text column of every table is scanned', async () => {
    const raw = 'Jane.Applicant+hr@proton-mail.example';
    const addr = sco('email-addr', { value: raw, display_name: 'Jane Applicant' });
    const persona = sco('persona', { persona_name: 'Jane Applicant', persona_type: 'job-applicant' });
    const ind = indicator(`[email-addr:value = '${raw}'] OR [persona:persona_name = 'Jane Applicant']`, {
      name: `Applicant ${raw}`,
      description: `Jane Applicant wrote from ${raw.toUpperCase()} and +1 (202) 555-0147`,
    });
    const phone = sco('phone-number', { value: '+12025550147' });
    const rel = sdo('relationship', { relationship_type: 'based-on', source_ref: ind.id, target_ref: addr.id });
    const res = await publish(pub, bundle(addr, persona, phone, ind, rel), { distribution: 'COMMUNITY', tlp: 'GREEN' });
    expect(res.errors).toBeUndefined();
    const outcome = res.data!.publishBundle.objects[0];
    expect(outcome).toMatchObject({ correctedFrom: addr.id, reason: expect.stringContaining('keyed hash') });
    expect(outcome.id).not.toBe(addr.id);
    // The indicator held personal data: its id is keyed for the publisher too (the submitted one might be derived from the raw pattern).
    const indOutcome = res.data!.publishBundle.objects[3];
    expect(indOutcome).toMatchObject({
      type: 'indicator',
      correctedFrom: ind.id,
      reason: expect.stringContaining('keyed for this publisher'),
    });

    const { rows: columns } = await db.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'character varying', 'ARRAY', 'character')`,
    );
    expect(columns.length).toBeGreaterThan(10);
    for (const needle of [raw.toLowerCase(), 'jane applicant', '555-0147', '2025550147']) {
      for (const c of columns) {
        const hit = await db.query(`SELECT 1 FROM "${c.table_name}" WHERE lower("${c.column_name}"::text) LIKE $1 LIMIT 1`, [
          `%${needle}%`,
        ]);
        expect([c.table_name, c.column_name, needle, hit.rowCount]).toEqual([c.table_name, c.column_name, needle, 0]);
      }
    }
    // What others get: placeholder, key, rewritten pattern and references.
    const seen = await list(peer, { ids: [outcome.id, indOutcome.id, rel.id] });
    const storedAddr = seen.find((n) => n.id === outcome.id)!.object;
    expect(storedAddr).toMatchObject({
      value: expect.stringMatching(/^[0-9a-f]{64}@protected\.invalid$/),
      display_name: expect.stringMatching(/^protected:[0-9a-f]{64}$/),
      extensions: {
        [CAIRN_PROTECTION_EXTENSION_ID]: {
          extension_type: 'property-extension',
          algorithm: 'HMAC-SHA256',
          value: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      },
    });
    expect(storedAddr.x_cairn_protected).toBeUndefined();
    const storedInd = seen.find((n) => n.id === indOutcome.id)!.object;
    expect(storedInd.pattern).toMatch(
      /^\[email-addr:value = '[0-9a-f]{64}@protected\.invalid'\] OR \[persona:persona_name = 'protected:[0-9a-f]{64}'\]$/,
    );
    expect(storedInd.description).toBe('[protected] wrote from [protected] and [protected]');
    expect(seen.find((n) => n.id === rel.id)!.object).toMatchObject({ source_ref: indOutcome.id, target_ref: outcome.id });
  });

  it('versions: same version UNCHANGED, later modified NEW_VERSION, another member cannot version it (NOT_OWNER)', async () => {
    const actor = sdo('threat-actor', { name: 'Versioned actor' });
    expect((await publish(pub, bundle(actor), { distribution: 'COMMUNITY', tlp: 'CLEAR' })).data!.publishBundle.objects[0].status).toBe(
      'CREATED',
    );
    expect((await publish(pub, bundle(actor), { distribution: 'COMMUNITY', tlp: 'CLEAR' })).data!.publishBundle.objects[0].status).toBe(
      'UNCHANGED',
    );
    const v2 = { ...actor, modified: '2025-07-01T00:00:00.000Z', name: 'Versioned actor v2' };
    expect((await publish(pub, bundle(v2), { distribution: 'COMMUNITY', tlp: 'CLEAR' })).data!.publishBundle).toMatchObject({
      newVersions: 1,
      created: 0,
    });
    const newest = await gql<{ object: { modified: string; object: Obj } }>(
      api.baseUrl,
      'query($id: String!, $v: String) { object(id: $id, version: $v) { modified object } }',
      { id: actor.id },
      as(peer),
    );
    expect(newest.data!.object).toMatchObject({ modified: '2025-07-01T00:00:00.000Z', object: { name: 'Versioned actor v2' } });
    const old = await gql<{ object: { modified: string } }>(
      api.baseUrl,
      'query($id: String!, $v: String) { object(id: $id, version: $v) { modified } }',
      { id: actor.id, v: T },
      as(peer),
    );
    expect(old.data!.object.modified).toBe(T);

    const hijack = { ...actor, modified: '2025-08-01T00:00:00.000Z', name: 'Hijacked' };
    const res = await publish(peer, bundle(hijack), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    expect(res.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [expect.objectContaining({ objectId: actor.id, code: 'NOT_OWNER' })],
    });
    expect(JSON.stringify(res)).not.toContain(pub.id);
  });

  it('observables with deterministic ids come from many publishers and are listed once', async () => {
    const domain = sco('domain-name', { value: 'laptop-farm.example' });
    await publish(pub, bundle(domain), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    const res = await publish(peer, bundle(domain), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    expect(res.data!.publishBundle.created).toBe(1);
    for (const t of [pub, peer, outsider]) {
      const seen = await list(t, { ids: [domain.id] });
      expect(seen).toHaveLength(1);
      // The earliest copy stands for the version (so cursors never meet it twice): the first publisher's.
      expect(seen[0].mine).toBe(t.id === pub.id);
    }
  });

  it('corrects a wrong observable id and rewrites the references to it', async () => {
    const wrong = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value: '203.0.113.9' };
    const obs = sdo('observed-data', { first_observed: T, last_observed: T, number_observed: 1, object_refs: [wrong.id] });
    const res = await publish(pub, bundle(wrong, obs), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    const right = expectedScoId(wrong)!;
    expect(res.data!.publishBundle.objects[0]).toMatchObject({
      id: right,
      correctedFrom: wrong.id,
      reason: expect.stringContaining('deterministic'),
    });
    expect(res.data!.publishBundle.corrected).toBe(1);
    const stored = await list(peer, { ids: [obs.id] });
    expect(stored[0].object.object_refs).toEqual([right]);
  });

  it('TLP:RED only with ORGANISATION or RECIPIENTS', async () => {
    const ind = indicator("[ipv4-addr:value = '198.51.100.9']");
    const wide = await publish(pub, bundle(ind), { distribution: 'COMMUNITY', tlp: 'RED' });
    expect(wide.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sharing.tlp' });
    const ok = await publish(pub, bundle(ind), { distribution: 'RECIPIENTS', tlp: 'RED', recipientTenantIds: [peer.id] });
    expect(ok.errors).toBeUndefined();
    expect((await list(peer, { ids: [ind.id] }))[0]).toMatchObject({ tlp: 'RED', object: { object_marking_refs: [tlpMarkingRef('RED')] } });
    expect(await list(outsider, { ids: [ind.id] })).toEqual([]);
  });

  it('shareProtectedRaw: only at AMBER or stricter to a group or recipients; then the group sees the raw value', async () => {
    const addr = () => sco('email-addr', { value: 'raw.share@proton-mail.example' });
    for (const sharing of [
      { distribution: 'COMMUNITY', tlp: 'AMBER', shareProtectedRaw: true },
      { distribution: 'RECIPIENTS', tlp: 'GREEN', recipientTenantIds: [peer.id], shareProtectedRaw: true },
    ]) {
      const res = await publish(pub, bundle(addr()), sharing);
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sharing.shareProtectedRaw' });
    }
    const groupId = await newGroup(api.app, pub, [peer]);
    const a = addr();
    const res = await publish(pub, bundle(a), { distribution: 'SHARING_GROUP', tlp: 'AMBER', groupId, shareProtectedRaw: true });
    expect(res.data!.publishBundle.objects[0]).toMatchObject({ id: a.id, status: 'CREATED' });
    expect((await list(peer, { ids: [a.id] }))[0].object).toMatchObject({
      value: 'raw.share@proton-mail.example',
      extensions: { [CAIRN_PROTECTION_EXTENSION_ID]: { value: expect.any(String) } },
    });
    expect(await list(outsider, { ids: [a.id] })).toEqual([]);
  });

  it('revoke: NOT_FOUND for what the viewer cannot see, FORBIDDEN for what it sees but did not publish; the publisher gets a new revoked version', async () => {
    const REVOKE = 'mutation($id: String!) { revoke(id: $id) { id modified revoked mine } }';
    const secret = indicator("[ipv4-addr:value = '198.51.100.10']");
    const shared = indicator("[ipv4-addr:value = '198.51.100.11']");
    await publish(pub, bundle(secret), { distribution: 'ORGANISATION', tlp: 'AMBER' });
    await publish(pub, bundle(shared), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    const before = await count('SELECT count(*) AS n FROM stix_object');
    const hidden = await gql(api.baseUrl, REVOKE, { id: secret.id }, as(outsider));
    expect(hidden.errors![0].extensions!.code).toBe('NOT_FOUND');
    const missing = await gql(api.baseUrl, REVOKE, { id: `indicator--${randomUUID()}` }, as(outsider));
    expect(missing.errors![0]).toMatchObject({ message: hidden.errors![0].message, extensions: { code: 'NOT_FOUND' } });
    expect((await gql(api.baseUrl, REVOKE, { id: shared.id }, as(outsider))).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await count('SELECT count(*) AS n FROM stix_object')).toBe(before);

    const done = await gql<{ revoke: { id: string; modified: string; revoked: boolean; mine: boolean } }>(
      api.baseUrl,
      REVOKE,
      { id: shared.id },
      as(pub),
    );
    expect(done.data!.revoke).toMatchObject({ id: shared.id, revoked: true, mine: true });
    expect(done.data!.revoke.modified > T).toBe(true);
    const again = await gql<{ revoke: { modified: string } }>(api.baseUrl, REVOKE, { id: shared.id }, as(pub));
    expect(again.data!.revoke.modified).toBe(done.data!.revoke.modified);
    expect((await list(peer, { ids: [shared.id] })).map((n) => n.revoked)).toEqual([false, true]);
    expect(await list(peer, { ids: [shared.id], revoked: false })).toHaveLength(1);
    const later = { ...shared, modified: '2030-01-01T00:00:00.000Z' };
    const res = await publish(pub, bundle(later), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    expect(res.errors![0].extensions!.issues).toEqual([expect.objectContaining({ code: 'REVOKED' })]);
    const audit = await db.query(`SELECT details FROM audit_log WHERE action = 'intel.revoked' AND target_id = $1`, [shared.id]);
    expect(audit.rowCount).toBe(1);
  });

  it('audits publications with counts', async () => {
    const { rows } = await db.query(`SELECT details FROM audit_log WHERE action = 'intel.published' AND tenant_id = $1 ORDER BY id`, [
      pub.id,
    ]);
    expect(rows[0].details).toMatchObject({ created: 3, skipped: 1, distribution: 'SECTOR', tlp: 'GREEN' });
  });

  it('publishIndicators builds observables, indicators and relationships to an actor named by alias', async () => {
    const actor = sdo('intrusion-set', { name: 'Indicator Test Set', aliases: ['ITS Alias'] });
    await publish(pub, bundle(actor), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    const MUT = `mutation($i: [IndicatorInput!]!, $s: SharingInput) { publishIndicators(indicators: $i, sharing: $s) { created objects { id type status } } }`;
    const res = await gql<{ publishIndicators: { created: number; objects: Array<{ id: string; type: string }> } }>(
      api.baseUrl,
      MUT,
      {
        i: [
          { type: 'EMAIL', value: 'Worker@Proton-Mail.example', threatActor: 'its alias', labels: ['dprk'], confidence: 70 },
          { type: 'GITHUB', value: 'https://github.com/Dev-Kim-9', threatActor: actor.id },
          { type: 'PHONE', value: '+44 20 7946 0958' },
          { type: 'FILE_HASH', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
        ],
        s: { distribution: 'COMMUNITY', tlp: 'GREEN' },
      },
      as(peer),
    );
    expect(res.errors).toBeUndefined();
    const types = res.data!.publishIndicators.objects.map((o) => o.type);
    expect(types.filter((t) => t === 'indicator')).toHaveLength(4);
    expect(types.filter((t) => t === 'relationship')).toHaveLength(6);
    const linked = await list(outsider, { actor: 'Indicator Test Set', types: ['indicator'] });
    expect(linked).toHaveLength(2);
    expect(JSON.stringify(linked).toLowerCase()).not.toContain('worker@');
    const bad = await gql(
      api.baseUrl,
      MUT,
      {
        i: [
          { type: 'PHONE', value: '555' },
          { type: 'EMAIL', value: 'a@b.example', threatActor: 'Nobody Known' },
        ],
      },
      as(peer),
    );
    expect((bad.errors![0].extensions!.issues as Array<{ path: string; code: string }>).map((i) => [i.path, i.code])).toEqual([
      ['$.indicators[0].value', 'INVALID_IDENTIFIER'],
      ['$.indicators[1].threatActor', 'UNKNOWN_ACTOR'],
    ]);
  });

  it('a named tenant is attributed by its own identity, served in exports', async () => {
    const created = await newTenant(api.app, { name: 'Openly Named Bank', country: 'GB', sectors: ['healthcare'], attribution: 'NAMED' });
    const named = await api.app.get(TenancyService).getTenant(created.id); // with its database-assigned identity id
    key.set(named.id, await newApiKey(api.app, named));
    const ind = indicator("[ipv4-addr:value = '198.51.100.12']");
    await publish(named, bundle(ind), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    const exported = await gql<{ exportBundle: { bundle: { objects: Obj[] } } }>(
      api.baseUrl,
      'query($f: ObjectFilterInput) { exportBundle(filter: $f) { bundle } }',
      { f: { ids: [ind.id] } },
      as(peer),
    );
    const objects = exported.data!.exportBundle.bundle.objects;
    expect(objects.find((o) => o.id === ind.id)!.created_by_ref).toBe(named.stixIdentityId);
    expect(objects.find((o) => o.id === named.stixIdentityId)).toMatchObject({ type: 'identity', name: 'Openly Named Bank' });
  });
});
