import { randomUUID } from 'node:crypto';
import { LookupService } from '@cairn/lookup';
import { runCli } from '../cli-runner';
import { demoCommands } from './demo.commands';
import { lookupCommands } from './lookup.commands';
import { createTestDatabase } from '../../../../test/support/database';
import { fakeIo, sqlOn, cliEnv } from '../../../../test/support/cli';

type Row = { pk: string; doc: Record<string, unknown> };

/**
 * `protect repair` on a database that holds what older rules stored raw: an individual written
 * `identity_class: "Individual"` (its name, contact details and description kept as written), and an
 * indicator of the same publisher whose description repeats the name.
 */
describe('protect repair rewrites what older rules stored raw, and nothing else', () => {
  const saved = { ...process.env };
  let databaseUrl: string;
  const sql = sqlOn(() => databaseUrl);
  const docs = () => sql<Row>(`SELECT pk::text AS pk, doc FROM stix_object ORDER BY pk`);
  const doc = async (pk: string) => (await sql<Row>(`SELECT pk::text AS pk, doc FROM stix_object WHERE pk = $1`, [pk]))[0].doc;
  const run = async (...args: string[]) => {
    const io = fakeIo();
    const code = await runCli(lookupCommands, ['protect', 'repair', ...args], io.io);
    return { code, out: io.out.join('\n') };
  };

  /** Stores a version as the superuser, as an older release's publish path would have left it. */
  async function storeRaw(
    publisher: string,
    doc: Record<string, unknown>,
    sharing: { tlp: string; distribution: string; recipients?: string[] },
  ) {
    const [row] = await sql<{ pk: string }>(
      `INSERT INTO stix_object (id, type, modified, publisher_tenant_id, tlp, distribution, audience_recipients, doc, feed_seq, date_added)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, max(feed_seq) + 1, max(date_added) + interval '1 ms' FROM stix_object
       RETURNING pk::text AS pk`,
      [doc.id, doc.type, doc.modified, publisher, sharing.tlp, sharing.distribution, sharing.recipients ?? [], JSON.stringify(doc)],
    );
    return row.pk;
  }
  const individual = (extra: Record<string, unknown> = {}) => ({
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${randomUUID()}`,
    created: '2026-01-05T00:00:00.000Z',
    modified: '2026-01-05T00:00:00.000Z',
    name: 'Kim Chol-su',
    identity_class: 'Individual',
    contact_information: 'kim.cholsu@example.com, +1 202 555 0147',
    description: 'Kim Chol-su interviewed twice',
    ...extra,
  });

  let publisher: string;
  let other: string;
  let before: Row[];
  const raw: Record<string, string> = {};

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    Object.assign(process.env, cliEnv(databaseUrl));
    expect(await runCli(demoCommands, ['seed-demo', '--scale', '0.05', '--anchor', '2026-03-01'], fakeIo().io)).toBe(0);
    [{ id: publisher }, { id: other }] = await sql<{ id: string }>(`SELECT id FROM tenant WHERE kind = 'member' ORDER BY slug LIMIT 2`);
  });
  afterAll(() => {
    process.env = saved;
  });

  it("finds nothing to do in what today's publishing stored (the demo data), and writes nothing", async () => {
    before = await docs();
    expect(before.length).toBeGreaterThan(100);
    const r = await run();
    expect(r).toEqual({ code: 0, out: expect.stringContaining(`0 of ${before.length} object versions`) });
    expect(await docs()).toEqual(before);
  });

  it("protects the raw individual and redacts its name from the publisher's other versions; a dry run first writes nothing", async () => {
    raw.individual = await storeRaw(publisher, individual(), { tlp: 'GREEN', distribution: 'COMMUNITY' });
    raw.note = await storeRaw(
      publisher,
      {
        type: 'note',
        spec_version: '2.1',
        id: `note--${randomUUID()}`,
        created: '2026-01-05T00:00:00.000Z',
        modified: '2026-01-05T00:00:00.000Z',
        content: 'Applicant KIM CHOL-SU again, call +1 (202) 555-0147',
        object_refs: [`identity--${randomUUID()}`],
      },
      { tlp: 'AMBER', distribution: 'ORGANISATION' },
    );
    // Shared raw on purpose (AMBER, named recipients): allowed, and left as it is.
    raw.kept = await storeRaw(publisher, individual(), { tlp: 'AMBER', distribution: 'RECIPIENTS', recipients: [other] });
    const stored = { individual: await doc(raw.individual), note: await doc(raw.note), kept: await doc(raw.kept) };
    expect(JSON.stringify(stored.individual)).toContain('kim.cholsu@example.com');

    const dry = await run('--dry-run');
    expect(dry).toEqual({ code: 0, out: expect.stringContaining(`2 of ${before.length + 3} object versions of`) });
    expect(dry.out).toContain('would be rewritten');
    expect(await doc(raw.individual)).toEqual(stored.individual);

    expect(await run()).toEqual({ code: 0, out: expect.stringContaining(`2 of ${before.length + 3} object versions`) });
    const individualNow = await doc(raw.individual);
    const noteNow = await doc(raw.note);
    for (const d of [individualNow, noteNow]) expect(JSON.stringify(d)).not.toMatch(/kim|chol|cholsu|555.?0147/i);
    expect(individualNow).toMatchObject({ identity_class: 'Individual', id: stored.individual.id, modified: stored.individual.modified });
    expect(noteNow.content).toBe('Applicant [protected] again, call [protected]');
    expect(await doc(raw.kept)).toEqual(stored.kept);
    // Everything else is as it was.
    const now = new Map((await docs()).map((r) => [r.pk, r.doc]));
    for (const r of before) expect(now.get(r.pk)).toEqual(r.doc);
    // The index was rebuilt from what is stored now: the name is found by its keyed hash only.
    const keys = await sql<{ kind: string; key: string }>(`SELECT kind, key FROM observable_index WHERE object_pk = $1`, [raw.individual]);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.key).toMatch(/^hmac:/);
  });

  it('is idempotent', async () => {
    const after = await docs();
    const r = await run();
    expect(r).toEqual({ code: 0, out: expect.stringContaining(`0 of ${after.length} object versions`) });
    expect(await docs()).toEqual(after);
  });

  it('rebuilds the index on a run after one that rewrote versions and stopped before its reindex', async () => {
    const pk = await storeRaw(publisher, individual(), { tlp: 'GREEN', distribution: 'COMMUNITY' });
    // The first run commits its rewrites per publisher, then dies in the reindex (a dropped connection, ^C).
    const reindex = jest.spyOn(LookupService.prototype, 'reindexAll').mockRejectedValueOnce(new Error('connection lost'));
    try {
      await expect(run()).rejects.toThrow('connection lost');
    } finally {
      reindex.mockRestore();
    }
    expect(JSON.stringify(await doc(pk))).not.toMatch(/kim|chol/i);
    // Nothing is left to rewrite, yet the repaired version must still be found by its keyed hash.
    expect(await run()).toEqual({ code: 0, out: expect.stringContaining('0 of ') });
    const keys = await sql<{ key: string }>(`SELECT key FROM observable_index WHERE object_pk = $1`, [pk]);
    expect(keys.length).toBeGreaterThan(0);
  });
});
