import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { CAIRN_PROTECTION_EXTENSION_ID, STIX_SCO_NAMESPACE, canonicalJson, scoId, uuidV5 } from '@cairn/stix';
import { IntelService } from '@cairn/intel';
import { CairnExtensions1766000200000 } from '../libs/database/src/migrations/1766000200000-cairn-extensions';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';
import { bundleOf } from './factories/stix.factory';
import { strictViolations } from './support/strict-stix';

type Json = Record<string, unknown>;
const T = '2025-06-02T09:00:00.000Z';
const OBJECTS = 'query { objects(first: 1000) { edges { node { object } } } }';
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known } }';

// Documents stored before issue 16 (x_cairn_protected, "[protected]", patterns on
// x_cairn_protected paths, an email-message that kept its submitted id) are rewritten by the
// migration into exactly what the current pipeline stores for the same bundle.
describe('migration CairnExtensions1766000200000: stored documents in the legacy form are served in the extension form', () => {
  let api: TestApp;
  let db: Client;

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    await api.app.get(IntelService).publishExchangeDefinitions();
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('rewrites protected values, patterns, ids and references (and the index) of legacy documents; two members read them strict-valid', async () => {
    const [a, b] = [await newTenant(api.app), await newTenant(api.app)];
    const [keyA, keyB] = [await newApiKey(api.app, a), await newApiKey(api.app, b)];
    const sco = (o: Json) => ({ ...o, id: scoId(o as Json & { type: string }) });
    const from = sco({ type: 'email-addr', spec_version: '2.1', value: 'victim.person@mail.example' });
    const to = sco({ type: 'email-addr', spec_version: '2.1', value: 'hr@acme.example' });
    const msg = sco({
      type: 'email-message',
      spec_version: '2.1',
      is_multipart: false,
      from_ref: from.id,
      to_refs: [to.id],
      subject: 'Application',
    });
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--6f1b7a52-2f0e-4c2a-9b1e-3b4f7e0b1c01',
      created: T,
      modified: T,
      valid_from: T,
      pattern_type: 'stix',
      pattern: "[email-addr:value = 'victim.person@mail.example']",
    };
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--6f1b7a52-2f0e-4c2a-9b1e-3b4f7e0b1c02',
      created: T,
      modified: T,
      relationship_type: 'related-to',
      source_ref: ind.id,
      target_ref: msg.id,
    };
    const res = await gql<{ publishBundle: { objects: Array<{ id: string }> } }>(
      api.baseUrl,
      'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { objects { id } } }',
      { b: bundleOf(from, to, msg, ind, rel), s: { distribution: 'COMMUNITY', tlp: 'GREEN' } },
      { authorization: keyA },
    );
    expect(res.errors).toBeUndefined();
    const ids = res.data!.publishBundle.objects.map((o) => o.id);
    const current = async () =>
      (
        await db.query(`SELECT pk::text, id, doc FROM stix_object WHERE id = ANY ($1::text[]) ORDER BY array_position($1::text[], id)`, [
          ids,
        ])
      ).rows as Array<{ pk: string; id: string; doc: Json }>;
    const stored = await current();
    expect(stored.map((r) => r.id)).toEqual(ids);

    // The same documents as the code before this change stored them.
    const legacy = structuredClone(stored.map((r) => r.doc));
    const legacyAddr = (d: Json) => {
      const key = (d.extensions as Record<string, Json>)[CAIRN_PROTECTION_EXTENSION_ID].value as string;
      delete d.extensions;
      Object.assign(d, {
        value: '[protected]',
        x_cairn_protected: { algorithm: 'HMAC-SHA256', value: key },
        id: `email-addr--${uuidV5(STIX_SCO_NAMESPACE, canonicalJson({ value: key }))}`,
      });
      return key;
    };
    const fromKey = legacyAddr(legacy[0]);
    legacyAddr(legacy[1]);
    Object.assign(legacy[2], { id: msg.id, from_ref: legacy[0].id, to_refs: [legacy[1].id] });
    legacy[3].pattern = `[email-addr:x_cairn_protected.value = '${fromKey}']`;
    legacy[4].target_ref = msg.id;
    for (const [i, r] of stored.entries())
      await db.query(`UPDATE stix_object SET id = $2, doc = $3::jsonb WHERE pk = $1::bigint`, [
        r.pk,
        legacy[i].id,
        JSON.stringify(legacy[i]),
      ]);
    await db.query(`UPDATE observable_index SET key = $2 WHERE object_pk = $1::bigint AND kind = 'REL_TARGET'`, [stored[4].pk, msg.id]);
    expect(strictViolations(legacy).length).toBeGreaterThan(0);

    await new CairnExtensions1766000200000().up({
      query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows,
    } as unknown as QueryRunner);

    const migrated = await current();
    expect(migrated.map((r) => r.doc)).toEqual(stored.map((r) => r.doc));
    const [{ key }] = (
      await db.query(`SELECT key FROM observable_index WHERE object_pk = $1::bigint AND kind = 'REL_TARGET'`, [stored[4].pk])
    ).rows;
    expect(key).toBe(ids[2]);

    for (const auth of [keyA, keyB]) {
      const seen = await gql<{ objects: { edges: Array<{ node: { object: Json } }> } }>(api.baseUrl, OBJECTS, {}, { authorization: auth });
      expect(seen.errors).toBeUndefined();
      const served = seen.data!.objects.edges.map((e) => e.node.object);
      expect(served.map((o) => o.id)).toEqual(expect.arrayContaining(ids));
      expect(strictViolations(served)).toEqual([]);
      const checked = await gql<{ checkIdentifiers: Array<{ known: boolean }> }>(
        api.baseUrl,
        CHECK,
        { v: ['Victim.Person@mail.example'] },
        { authorization: auth },
      );
      expect(checked.data!.checkIdentifiers[0].known).toBe(true);
    }
  });
});
