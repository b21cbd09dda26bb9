import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newGroup, newTenant } from '../factories/tenancy.factory';
import { bundleOf } from '../factories/stix.factory';

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const T = '2025-05-01T00:00:00.000Z';
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const indicator = (extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: T,
  modified: T,
  pattern: `[domain-name:value = '${randomUUID()}.example']`,
  pattern_type: 'stix',
  valid_from: T,
  ...extra,
});
const relationship = (source: string, target: string) => ({
  type: 'relationship',
  spec_version: '2.1',
  id: `relationship--${randomUUID()}`,
  created: T,
  modified: T,
  relationship_type: 'related-to',
  source_ref: source,
  target_ref: target,
});
type Issue = { objectId: string | null; path: string; code: string; message: string };

describe('publishing reports every problem of a bundle at once, and stores nothing', () => {
  let api: TestApp;
  let pub: TenantEntity;
  let tech: TenantEntity;
  let groupId: string;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const publish = (t: TenantEntity, s: Record<string, unknown>, ...objects: unknown[]) =>
    gql(api.baseUrl, PUBLISH, { b: bundleOf(...objects), s }, as(t));
  const stored = async (t: TenantEntity) => {
    const db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    try {
      const [row] = (await db.query('SELECT count(*)::int AS n FROM stix_object WHERE publisher_tenant_id = $1', [t.id])).rows;
      return row.n as number;
    } finally {
      await db.end();
    }
  };

  let groupOnly: ReturnType<typeof indicator>;
  let sectorOnly: ReturnType<typeof indicator>;
  let othersIndicator: ReturnType<typeof indicator>;

  beforeAll(async () => {
    api = await startTestApp();
    pub = await newTenant(api.app, { country: 'DE', sectors: ['technology'] });
    tech = await newTenant(api.app, { country: 'DE', sectors: ['technology'] });
    for (const t of [pub, tech]) key.set(t.id, await newApiKey(api.app, t));
    groupId = await newGroup(api.app, pub, [tech]);
    groupOnly = indicator();
    sectorOnly = indicator();
    othersIndicator = indicator();
    for (const [s, o] of [
      [{ distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' }, groupOnly],
      [{ distribution: 'SECTOR', sectors: ['technology'], tlp: 'GREEN' }, sectorOnly],
      [{ distribution: 'COMMUNITY', tlp: 'GREEN' }, othersIndicator],
    ] as const) {
      const res = await publish(pub, s, o);
      expect(res.errors).toBeUndefined();
    }
  }, 60_000);
  afterAll(() => api.close());

  it('one problem of each phase comes back in one response, each naming object and property with a stable code', async () => {
    const before = await stored(tech);
    const badTimestamp = indicator({ created: 'yesterday' });
    const badPattern = indicator({ pattern: "[domain-name:value = 'x.example'" });
    const tooRed = indicator({ object_marking_refs: [RED] });
    const unknownRef = relationship(groupOnly.id, `indicator--${randomUUID()}`);
    const notMine = { ...othersIndicator, modified: '2025-06-01T00:00:00.000Z' };
    const unrepresentable = relationship(groupOnly.id, sectorOnly.id);
    const twin = indicator();
    const twinChanged = { ...twin, name: 'different content, same version' };
    const fine = indicator();
    const objects = [badTimestamp, badPattern, tooRed, unknownRef, notMine, unrepresentable, twin, twinChanged, fine];

    const res = await publish(tech, { distribution: 'COMMUNITY', tlp: 'GREEN' }, ...objects);
    expect(res.errors).toHaveLength(1);
    const ext = res.errors![0].extensions!;
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_BUNDLE' });
    const issues = (ext.issues as Issue[]).map((i) => [i.objectId, i.path, i.code]);
    expect(issues).toEqual(
      expect.arrayContaining([
        [badTimestamp.id, '$.objects[0].created', 'INVALID_TIMESTAMP'],
        [badPattern.id, '$.objects[1].pattern', 'INVALID_PATTERN'],
        [tooRed.id, '$.objects[2].object_marking_refs', 'TLP_ABOVE_SHARING'],
        [unknownRef.id, '$.objects[3].target_ref', 'UNKNOWN_REFERENCE'],
        [notMine.id, '$.objects[4].id', 'NOT_OWNER'],
        [unrepresentable.id, '$.objects[5].target_ref', 'AUDIENCE_NOT_REPRESENTABLE'],
        [twinChanged.id, '$.objects[7]', 'DUPLICATE_VERSION'],
      ]),
    );
    // Bundle order: one object's problems read together.
    const indices = (ext.issues as Issue[]).map((i) => Number(/\[(\d+)\]/.exec(i.path)?.[1]));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(JSON.stringify(res.errors)).not.toMatch(/stack|\.ts:\d+|SELECT |violates|duplicate key/);
    expect(await stored(tech)).toBe(before);
  });

  it('references of an object that fails validation are still checked against what the publisher may see', async () => {
    const broken = { ...relationship(`indicator--${randomUUID()}`, sectorOnly.id), created: 'not a time' };
    const res = await publish(tech, { distribution: 'COMMUNITY', tlp: 'GREEN' }, broken);
    const codes = (res.errors?.[0]?.extensions?.issues as Issue[]).map((i) => [i.path, i.code]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['$.objects[0].created', 'INVALID_TIMESTAMP'],
        ['$.objects[0].source_ref', 'UNKNOWN_REFERENCE'],
      ]),
    );
  });

  it('after fixing every reported problem the same bundle is stored, and the other tenant sees what it may', async () => {
    const rel = relationship(othersIndicator.id, sectorOnly.id);
    const own = indicator();
    const res = await publish(tech, { distribution: 'COMMUNITY', tlp: 'GREEN' }, own, rel);
    expect(res.errors).toBeUndefined();
    const seen = await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(
      api.baseUrl,
      'query($f: ObjectFilterInput) { objects(filter: $f) { edges { node { id } } } }',
      { f: { ids: [own.id, rel.id] } },
      as(pub),
    );
    expect(seen.data!.objects.edges.map((e) => e.node.id).sort()).toEqual([own.id, rel.id].sort());
  });
});
