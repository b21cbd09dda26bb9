import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { cellIdentityId, cellLabel, ladder, type TenantEntity } from '@cairn/tenancy';
import { IntelService } from '@cairn/intel';
import { CellIdentitiesReserved1766001100000 } from '../../libs/database/src/migrations/1766001100000-cell-identities-reserved';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';

// Every sighting's where_sighted_refs points at the identity of its sector + area cell, whose id
// anyone can compute (crowd.ts cellIdentityId, the public directory and ladder()). The exchange
// stores that identity when the first sighting in the cell is reported. A member that publishes its
// own identity under the id of a cell nobody has reported in yet, with a later `modified`, must not
// have readers served its document (a named company) in place of the exchange's anonymous one:
// publishing skips such an identity, and rows stored before it did are deleted by a migration.

const PUBLISH = `mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created objects { id status reason } } }`;
const SIGHT = `mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id reportedAs { sector area identityId } } }`;
const OBJECT = `query($id: String!) { object(id: $id) { modified object } }`;
const OBJECTS = `query($f: ObjectFilterInput) { objects(filter: $f, first: 50) { edges { node { id modified object } } } }`;
const T = '2025-06-02T09:00:00.000Z';

describe('adversary: a member publishes under the id of a crowd cell’s identity before the exchange does', () => {
  let api: TestApp;
  let db: Client;
  let hostile: TenantEntity;
  let members: TenantEntity[];
  let reader: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  // Every cell a healthcare member in DE may be reported under (the ladder is public: crowd.ts).
  const squatted = ladder('healthcare', 'DE').map((c) => ({ cell: c, id: cellIdentityId(c) }));
  let cellId = '';
  let label = '';
  let squat: Array<{ status: string }> | undefined;
  const forged = squatted.map(({ id }) => ({
    type: 'identity',
    spec_version: '2.1',
    id,
    created: '2021-01-01T00:00:00.000Z',
    modified: '2025-01-01T00:00:00.000Z',
    name: 'Klinikum Musterstadt GmbH (HR department)',
    identity_class: 'organization',
    sectors: ['healthcare'],
    contact_information: 'recruiting@klinikum-musterstadt.example',
  }));
  const cellAsReadBy = async (t: TenantEntity) => {
    const one = await gql<{ object: { modified: string; object: Record<string, unknown> } }>(api.baseUrl, OBJECT, { id: cellId }, as(t));
    expect(one.errors).toBeUndefined();
    return one.data!.object.object;
  };
  const hostileRows = async () =>
    (
      await db.query(`SELECT count(*)::int AS n FROM stix_object WHERE id = ANY($1::text[]) AND publisher_tenant_id = $2`, [
        squatted.map((s) => s.id),
        hostile.id,
      ])
    ).rows[0].n as number;

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    hostile = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    members = [];
    for (let i = 0; i < 3; i++) members.push(await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] }));
    reader = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    for (const t of [hostile, reader, ...members]) key.set(t.id, await newApiKey(api.app, t));

    // The hostile member squats the cell's identity id, before anyone has reported in that cell.
    const res = await gql<{ publishBundle: { objects: Array<{ status: string }> } }>(
      api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: forged }, s: { distribution: 'COMMUNITY', tlp: 'CLEAR' } },
      as(hostile),
    );
    squat = res.data?.publishBundle.objects;

    // Later, a healthcare member in DE publishes an indicator and reports a sighting in that cell.
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: T,
      modified: T,
      pattern: "[ipv4-addr:value = '198.51.100.88']",
      pattern_type: 'stix',
      valid_from: T,
    };
    const pub = await gql(
      api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [ind] }, s: { distribution: 'COMMUNITY', tlp: 'CLEAR' } },
      as(members[0]),
    );
    expect(pub.errors).toBeUndefined();
    const sighted = await gql<{ reportSighting: { reportedAs: { sector: string; area: string; identityId: string } } }>(
      api.baseUrl,
      SIGHT,
      { i: { sightingOf: ind.id, firstSeen: T } },
      as(members[0]),
    );
    expect(sighted.errors).toBeUndefined();
    // The premise: the cell the attacker predicted is the one the sighting points at.
    const reported = sighted.data!.reportSighting.reportedAs;
    cellId = reported.identityId;
    label = cellLabel(reported);
    expect(squatted.map((s) => s.id)).toContain(cellId);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('the sighting’s cell identity, as any member reads it, is the exchange’s anonymous class identity, not the squatter’s document', async () => {
    for (const t of [reader, members[1]]) {
      expect(await cellAsReadBy(t)).toMatchObject({ identity_class: 'class', name: label });
      const listed = await gql<{ objects: { edges: Array<{ node: { object: Record<string, unknown> } }> } }>(
        api.baseUrl,
        OBJECTS,
        { f: { ids: [cellId] } },
        as(t),
      );
      expect(listed.errors).toBeUndefined();
      for (const e of listed.data!.objects.edges) expect(JSON.stringify(e.node.object)).not.toContain('Musterstadt');
    }
  });

  it('publishing under a crowd cell’s identity id is skipped: nothing of the squatter is stored under it', async () => {
    expect(squat?.map((o) => o.status)).toEqual(squatted.map(() => 'SKIPPED'));
    expect(await hostileRows()).toBe(0);
  });

  it('every other write path skips them too: preview, repair mode, TAXII POST', async () => {
    const bundle = () => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: structuredClone(forged) });
    const sharing = { distribution: 'COMMUNITY', tlp: 'CLEAR' };
    const preview = await gql<{ previewBundle: { valid: boolean; outcomes: Array<{ status: string }>; objects: unknown[] } }>(
      api.baseUrl,
      `mutation($b: JSON!, $s: SharingInput) { previewBundle(bundle: $b, sharing: $s) { valid outcomes { status } objects { id } } }`,
      { b: bundle(), s: sharing },
      as(hostile),
    );
    expect(preview.errors).toBeUndefined();
    expect(preview.data!.previewBundle).toMatchObject({ valid: true, outcomes: forged.map(() => ({ status: 'SKIPPED' })), objects: [] });
    const repaired = await gql<{ publishBundle: { objects: Array<{ status: string }> } }>(
      api.baseUrl,
      `mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s, repair: true) { objects { status } } }`,
      { b: bundle(), s: sharing },
      as(hostile),
    );
    expect(repaired.errors).toBeUndefined();
    expect(repaired.data!.publishBundle.objects.map((o) => o.status)).toEqual(forged.map(() => 'SKIPPED'));
    const taxii = { accept: 'application/taxii+json;version=2.1', authorization: key.get(hostile.id)! };
    const listed = await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: taxii });
    const { collections } = (await listed.json()) as { collections: Array<{ alias: string; id: string }> };
    const community = collections.find((c) => c.alias === 'community')!.id;
    const posted = await fetch(`${api.baseUrl}/taxii2/api/collections/${community}/objects/`, {
      method: 'POST',
      headers: { ...taxii, 'content-type': 'application/taxii+json;version=2.1' },
      body: JSON.stringify({ objects: forged }),
    });
    expect(posted.status).toBe(202);
    expect(await hostileRows()).toBe(0);
  });

  it('what a member stored under a cell identity id before publishing skipped it is deleted by the migration; the exchange’s copy stays', async () => {
    // The old way in: stored as the publishing pipeline stored it, without the skip.
    await api.app.get(IntelService).storeObjects(machineViewer(hostile), forged, { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    expect(await cellAsReadBy(reader)).toMatchObject({ name: forged.find((f) => f.id === cellId)!.name });
    const before = await db.query(`SELECT count(*)::int AS n FROM stix_object WHERE id <> ALL($1::text[])`, [squatted.map((s) => s.id)]);

    const runner = { query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows };
    await new CellIdentitiesReserved1766001100000().up(runner as never);

    expect(await hostileRows()).toBe(0);
    expect(await cellAsReadBy(reader)).toMatchObject({ identity_class: 'class', name: label });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM stix_object WHERE id <> ALL($1::text[])`, [squatted.map((s) => s.id)]);
    expect(rows[0].n).toBe(before.rows[0].n);
    const orphans = await db.query(
      `SELECT count(*)::int AS n FROM stix_object_audience a WHERE NOT EXISTS (SELECT 1 FROM stix_object o WHERE o.feed_seq = a.feed_seq)`,
    );
    expect(orphans.rows[0].n).toBe(0);
  });
});
