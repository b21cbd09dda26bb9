import { CAIRN_IDENTITY_ID } from '@cairn/stix';
import type { StoredObject } from '../object-store';
import { buildExportBundle, identitiesToAdd } from './export-bundle';

const MEMBER_A = 'identity--0c9e4a3e-8f2a-4c55-9d43-1f1b0f1a0a01';
const MEMBER_B = 'identity--0c9e4a3e-8f2a-4c55-9d43-1f1b0f1a0a02';

let seq = 0;
function stored(doc: Record<string, unknown>): StoredObject {
  seq += 1;
  return {
    pk: String(seq),
    id: doc.id as string,
    type: doc.type as string,
    modified: '2026-01-01T00:00:00.000Z',
    tlp: 'GREEN',
    revoked: false,
    feedSeq: String(seq),
    dateAdded: '2026-01-01T00:00:00.000000Z',
    publishedByViewer: false,
    doc,
  };
}

const indicator = (n: number, createdBy?: string) =>
  stored({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--0c9e4a3e-8f2a-4c55-9d43-1f1b0f1a0b${String(n).padStart(2, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    ...(createdBy ? { created_by_ref: createdBy } : {}),
  });

const member = (id: string, name: string) => ({
  stixIdentityId: id,
  name,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-02T00:00:00Z'),
});

describe('identitiesToAdd', () => {
  it('names the creators a page credits that it does not carry, each once, never the exchange', () => {
    const rows = [indicator(1, MEMBER_A), indicator(2, MEMBER_A), indicator(3, CAIRN_IDENTITY_ID), indicator(4)];
    expect(identitiesToAdd(rows, [])).toEqual([MEMBER_A]);
  });

  it('leaves out a creator whose identity is on the page or among the referenced objects', () => {
    const identityB = stored({ type: 'identity', spec_version: '2.1', id: MEMBER_B, name: 'B' });
    expect(identitiesToAdd([indicator(1, MEMBER_A), indicator(2, MEMBER_B)], [identityB])).toEqual([MEMBER_A]);
    expect(identitiesToAdd([indicator(1, MEMBER_B), identityB], [])).toEqual([]);
  });

  it('names the creator of a referenced object too (a victim identity a named member published)', () => {
    const victim = stored({ type: 'identity', spec_version: '2.1', id: MEMBER_B, name: 'Victim', created_by_ref: MEMBER_A });
    expect(identitiesToAdd([], [victim])).toEqual([MEMBER_A]);
  });

  it('is empty for an anonymised page, so that no directory is read for it', () => {
    expect(identitiesToAdd([indicator(1, CAIRN_IDENTITY_ID), indicator(2, CAIRN_IDENTITY_ID)], [])).toEqual([]);
  });
});

describe('buildExportBundle', () => {
  it("adds a named member's identity that the page credits, and only that one", () => {
    const rows = [indicator(1, MEMBER_A)];
    const exported = buildExportBundle(rows, [], false, [member(MEMBER_A, 'A Bank'), member(MEMBER_B, 'B Bank')]);
    const objects = exported.bundle.objects;
    const identities = objects.filter((o) => o.type === 'identity');
    expect(identities.map((o) => [o.id, o.name])).toEqual([[MEMBER_A, 'A Bank']]);
    expect(objects.find((o) => o.type === 'indicator')).toEqual(rows[0].doc);
    expect(exported.objectCount).toBe(1);
  });

  it('adds no member identity when the page credits none', () => {
    const objects = buildExportBundle([indicator(1, CAIRN_IDENTITY_ID)], [], false, [member(MEMBER_A, 'A Bank')]).bundle.objects;
    expect(objects.map((o) => o.id)).not.toContain(MEMBER_A);
    expect(objects.map((o) => o.id)).toContain(CAIRN_IDENTITY_ID);
  });
});
