import { TEST_SECRETS } from '@cairn/common';
import { expectedScoId, uuidV5 } from '@cairn/stix';
import { mayHoldRaw, personalDataOfVersions, reprotectVersions, type RepairableVersion } from './repair';

const SECRET = TEST_SECRETS.IDENTIFIER_HMAC_SECRET!;
const T = '2026-01-05T00:00:00.000Z';
const version = (pk: string, doc: Record<string, unknown>, tlp = 'GREEN', distribution = 'COMMUNITY'): RepairableVersion => ({
  pk,
  doc: { spec_version: '2.1', created: T, modified: T, ...doc },
  tlp,
  distribution,
});
const PUBLISHER = '5b0c7a52-3f1e-4d6a-9b8c-2e4f6a8b0c1d';
const repair = (versions: RepairableVersion[]) => reprotectVersions(versions, SECRET, personalDataOfVersions(versions, SECRET), PUBLISHER);

describe('protection repair of stored versions (pure part)', () => {
  it('leaves raw only where a publisher may keep it raw: AMBER or stricter, to a group or recipients', () => {
    const allowed = [];
    for (const tlp of ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'])
      for (const distribution of ['COMMUNITY', 'SECTOR', 'ORGANISATION', 'SHARING_GROUP', 'RECIPIENTS'])
        if (mayHoldRaw({ tlp, distribution })) allowed.push(`${tlp} ${distribution}`);
    expect(allowed).toEqual([
      'AMBER SHARING_GROUP',
      'AMBER RECIPIENTS',
      'AMBER+STRICT SHARING_GROUP',
      'AMBER+STRICT RECIPIENTS',
      'RED SHARING_GROUP',
      'RED RECIPIENTS',
    ]);
  });

  it('replaces a value that does not normalise, and lists a pattern it cannot protect', () => {
    const pattern = "[email-addr:value LIKE 'kim.cholsu@%']";
    const r = repair([
      version('1', {
        type: 'identity',
        id: 'identity--6f1c5a0e-8f5e-4a43-9d0a-0c3f3f1d2b11',
        name: 'Kim Chol-su',
        identity_class: 'INDIVIDUAL',
        x_phone: 'ask HR',
      }),
      version('2', {
        type: 'indicator',
        id: 'indicator--0d8a3f51-6c3e-4a5e-8d44-4f6f2b0b9a10',
        pattern,
        pattern_type: 'stix',
        valid_from: T,
      }),
    ]);
    // The pattern's literal loses the name (redaction), but what it tests stays personal: listed.
    expect(r.changed.map((c) => c.pk)).toEqual(['1', '2']);
    for (const c of r.changed) expect(JSON.stringify(c.doc)).not.toMatch(/kim|chol|ask HR/i);
    expect(r.unrepairable).toEqual([
      {
        pk: '2',
        id: 'indicator--0d8a3f51-6c3e-4a5e-8d44-4f6f2b0b9a10',
        path: '$.pattern',
        message: expect.stringContaining('may only be compared with ='),
      },
    ]);
  });

  it("redacts a publisher's personal data from its other versions, but not from versions that may hold it raw", () => {
    const shared = version(
      '3',
      { type: 'note', id: 'note--1b0c2d3e-4f50-4a61-8b72-9c8d7e6f5a41', content: 'Kim Chol-su', object_refs: [] },
      'AMBER',
      'RECIPIENTS',
    );
    const r = repair([
      version('1', {
        type: 'identity',
        id: 'identity--6f1c5a0e-8f5e-4a43-9d0a-0c3f3f1d2b11',
        name: 'Kim Chol-su',
        identity_class: 'Individual',
      }),
      version('2', { type: 'note', id: 'note--2b0c2d3e-4f50-4a61-8b72-9c8d7e6f5a42', content: 'applicant kim chol-su', object_refs: [] }),
      shared,
    ]);
    expect(r.changed.map((c) => c.pk)).toEqual(['1', '2']);
    expect(r.changed[1].doc.content).toBe('applicant [protected]');
  });

  it('lists a version whose id is derived from the raw value it held: protected in place, the id would still give the value away', () => {
    // An observable's deterministic id is UUIDv5 of its value: anyone can test a guessed address against it offline.
    const email = { type: 'email-addr', value: 'kim.cholsu@example.com' };
    // OpenCTI names an identity uuidv5(namespace, {"name": …, "identity_class": …}): the same, for a name.
    const opencti = `identity--${uuidV5('00abedb4-aa42-466c-9c01-fed23315a9b7', '{"identity_class":"individual","name":"kim chol-su"}')}`;
    const r = repair([
      version('1', { ...email, id: expectedScoId(email)! }),
      version('2', { type: 'identity', id: opencti, name: 'Kim Chol-su', identity_class: 'Individual' }),
      // A random (v4) id tells nothing of what the object held: repaired in place, not listed.
      version('3', {
        type: 'identity',
        id: 'identity--6f1c5a0e-8f5e-4a43-9d0a-0c3f3f1d2b11',
        name: 'Pak Yong-ho',
        identity_class: 'Individual',
      }),
    ]);
    expect(r.changed.map((c) => c.pk)).toEqual(['1', '2', '3']);
    expect(r.unrepairable).toEqual([
      { pk: '1', id: expectedScoId(email), path: '$.id', message: expect.stringContaining('derived from') },
      { pk: '2', id: opencti, path: '$.id', message: expect.stringContaining('derived from') },
    ]);
  });

  it("guard: what today's publishing stored (keyed ids, ids of protected renderings) is not listed", () => {
    const stored = reprotectVersions(
      [version('1', { type: 'email-addr', id: 'email-addr--00000000-0000-4000-8000-000000000000', value: 'kim.cholsu@example.com' })],
      SECRET,
      { rawValues: new Set(), phones: new Set() },
      PUBLISHER,
    ).changed[0].doc;
    const today = { ...stored, id: expectedScoId(stored as { type: string })! };
    expect(repair([version('1', today)])).toEqual({ changed: [], unrepairable: [] });
  });
});
