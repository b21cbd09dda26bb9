import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { CAIRN_IDENTITY_ID, scoId } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';
import { bundleOf as bundle } from './factories/stix.factory';

// previewBundle / previewIndicators: the console shows a publisher what other members will see
// before anything is stored. A preview must be exactly the publish pipeline, and store nothing.
const T = '2025-06-02T09:00:00.000Z';
const PREVIEW = `mutation($bundle: JSON!, $sharing: SharingInput) {
  previewBundle(bundle: $bundle, sharing: $sharing) { valid issues { objectId path code message } outcomes { index id status correctedFrom } objects { id type document tlp distribution narrowedBy } } }`;
const PREVIEW_INDICATORS = `mutation($i: [IndicatorInput!]!) { previewIndicators(indicators: $i) { valid issues { path code } objects { id type document } } }`;
const PUBLISH = 'mutation($bundle: JSON!) { publishBundle(bundle: $bundle) { created objects { id } } }';

type Obj = Record<string, unknown> & { id: string; type: string };
interface Preview {
  valid: boolean;
  issues: Array<{ objectId: string | null; path: string; code: string; message: string }>;
  outcomes: Array<{ index: number; id: string; status: string; correctedFrom: string | null }>;
  objects: Array<{ id: string; type: string; document: Obj; tlp: string; distribution: string; narrowedBy: string | null }>;
}
const sdo = (type: string, props: Record<string, unknown> = {}): Obj => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T,
  modified: T,
  ...props,
});

describe('publish preview (previewBundle, previewIndicators): what others will see, nothing stored', () => {
  let api: TestApp;
  let db: Client;
  let pub: TenantEntity;
  let other: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const preview = async (t: TenantEntity, b: unknown, sharing?: Record<string, unknown>) => {
    const res = await gql<{ previewBundle: Preview }>(api.baseUrl, PREVIEW, { bundle: b, sharing }, as(t));
    expect(res.errors).toBeUndefined();
    return res.data!.previewBundle;
  };
  const stored = async () => Number((await db.query('SELECT count(*) AS n FROM stix_object')).rows[0].n);
  const audited = async () => Number((await db.query("SELECT count(*) AS n FROM audit_log WHERE action = 'intel.published'")).rows[0].n);

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
    other = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    for (const t of [pub, other]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it('shows the documents anonymised, redacted and with personal data protected — and stores, audits nothing', async () => {
    const before = { rows: await stored(), audit: await audited() };
    const email = { type: 'email-addr', spec_version: '2.1', value: 'jane.doe@mail.example' };
    const ind = sdo('indicator', {
      name: 'Applicant seen by Umbrella Pharma',
      description: 'Project Hive: contact soc@umbrella-pharma.example',
      pattern: "[email-addr:value = 'jane.doe@mail.example']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const p = await preview(pub, bundle({ ...email, id: scoId(email) }, ind));
    expect(p.issues).toEqual([]);
    expect(p.valid).toBe(true);
    const text = JSON.stringify(p.objects);
    expect(text).not.toMatch(/umbrella/i);
    expect(text).not.toMatch(/project hive/i);
    expect(text).not.toContain('jane.doe@mail.example');
    const shown = p.objects.find((o) => o.type === 'indicator')!;
    expect(shown.document.created_by_ref).toBe(CAIRN_IDENTITY_ID);
    expect(shown.distribution).toBe('SECTOR');
    // The e-mail address gets the id derived from its keyed hash, reported as a correction.
    expect(p.outcomes.find((o) => o.index === 0)!.correctedFrom).toBe(scoId(email));
    expect({ rows: await stored(), audit: await audited() }).toEqual(before);

    // Publishing the same bundle afterwards stores what the preview showed (ids as previewed).
    const res = await gql<{ publishBundle: { created: number; objects: Array<{ id: string }> } }>(
      api.baseUrl,
      PUBLISH,
      { bundle: bundle({ ...email, id: scoId(email) }, { ...ind }) },
      as(pub),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.publishBundle.objects.map((o) => o.id).sort()).toEqual(p.objects.map((o) => o.id).sort());
  });

  it('lists every problem at once, by object and property, as data (not an error), and stores nothing', async () => {
    const before = await stored();
    const bad1 = sdo('indicator', { pattern: '[nonsense', pattern_type: 'stix', valid_from: 'yesterday' });
    const bad2 = sdo('malware', { is_family: 'yes', name: 'X', sample_refs: [`file--${randomUUID()}`] });
    const p = await preview(pub, bundle(bad1, bad2));
    expect(p.valid).toBe(false);
    const where = p.issues.map((i) => [i.objectId, i.path]);
    expect(where).toEqual(
      expect.arrayContaining([
        [bad1.id, '$.objects[0].valid_from'],
        [bad1.id, '$.objects[0].pattern'],
        [bad2.id, '$.objects[1].is_family'],
      ]),
    );
    expect(p.objects).toEqual([]);
    expect(await stored()).toBe(before);
  });

  it('refuses a reference to another tenant’s organisation-only object as unknown (no existence oracle)', async () => {
    const hidden = sdo('threat-actor', { name: 'Hidden actor' });
    const res = await gql(
      api.baseUrl,
      'mutation($bundle: JSON!) { publishBundle(bundle: $bundle, sharing: { distribution: ORGANISATION }) { created } }',
      { bundle: bundle(hidden) },
      as(other),
    );
    expect(res.errors).toBeUndefined();
    const rel = sdo('relationship', { relationship_type: 'related-to', source_ref: hidden.id, target_ref: hidden.id });
    const p = await preview(pub, bundle(rel));
    expect(p.valid).toBe(false);
    expect(p.issues.map((i) => i.code)).toContain('UNKNOWN_REFERENCE');
  });

  it('previews typed indicators with the value protected, and reports a bad value by its input', async () => {
    const ok = await gql<{ previewIndicators: { valid: boolean; objects: Array<{ type: string; document: Obj }> } }>(
      api.baseUrl,
      PREVIEW_INDICATORS,
      { i: [{ type: 'PHONE', value: '+49 30 1234567' }] },
      as(pub),
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.previewIndicators.valid).toBe(true);
    expect(JSON.stringify(ok.data!.previewIndicators.objects)).not.toMatch(/1234567/);
    const bad = await gql<{ previewIndicators: { valid: boolean; issues: Array<{ path: string }> } }>(
      api.baseUrl,
      PREVIEW_INDICATORS,
      { i: [{ type: 'EMAIL', value: 'not an address' }] },
      as(pub),
    );
    expect(bad.errors).toBeUndefined();
    expect(bad.data!.previewIndicators.valid).toBe(false);
    expect(bad.data!.previewIndicators.issues[0].path).toMatch(/indicators\[0\]/);
  });

  it('needs intel:write, like publishing', async () => {
    const reader = `${await newApiKey(api.app, pub, ['intel:read'])}`;
    const res = await gql(api.baseUrl, PREVIEW, { bundle: bundle(sdo('threat-actor', { name: 'x' })) }, { authorization: reader });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
