import { randomBytes, randomUUID } from 'node:crypto';
import { canonicalJson, uuidV5 } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

/**
 * OpenCTI (the peer members run next to Cairn, pycti Indicator.generate_id) names an indicator
 * `indicator--uuidv5(00abedb4-…, canonical({"pattern": pattern}))`: the id is a hash of the raw pattern.
 * Cairn rewrites a protected pattern to `<HMAC>@protected.invalid`; it must not keep the id, or
 *  (a) anyone who may see the indicator recovers the raw e-mail from its id offline, no quota, no request;
 *  (b) anyone at all learns that some member holds an indicator on an e-mail it may NOT see: a
 *      preview with the candidate's OpenCTI id was refused NOT_OWNER only for the right one.
 * An object that held personal data is stored under an id keyed for its publisher instead
 * (reported as correctedFrom), which its publisher reaches again with the id it submitted.
 * (c) documents what remains (README "Known limits"): deterministic ids of objects without personal data.
 */
const NS = '00abedb4-aa42-466c-9c01-fed23315a9b7';
const QUOTA = 5;
const openctiId = (pattern: string) => `indicator--${uuidV5(NS, canonicalJson({ pattern }))}`;
const emailPattern = (e: string) => `[email-addr:value = '${e}']`;
const T = '2025-06-02T09:00:00.000Z';
const T2 = '2025-06-03T09:00:00.000Z';
const indicatorOf = (pattern: string, modified = T) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: openctiId(pattern),
  created: T,
  modified,
  name: 'Applicant e-mail',
  pattern,
  pattern_type: 'stix',
  valid_from: T,
});
const indicatorFor = (email: string, modified = T) => indicatorOf(emailPattern(email), modified);
const bundleOf = (...objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
const PUBLISH = `mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created objects { id type status correctedFrom reason } } }`;
const PREVIEW = `mutation($b: JSON!) { previewBundle(bundle: $b, sharing: { distribution: ORGANISATION }) { valid issues { code path } } }`;
const OBJECTS = `query($f: ObjectFilterInput) { objects(first: 100, filter: $f) { edges { node { id object } } } }`;
const REVOKE = `mutation($id: String!) { revoke(id: $id) { id revoked } }`;

type Outcome = { id: string; type: string; status: string; correctedFrom: string | null; reason: string | null };
type Published = { publishBundle: { created: number; objects: Outcome[] } };
type Docs = { objects: { edges: Array<{ node: { id: string; object: Record<string, unknown> } }> } };

describe('adversary: OpenCTI-style indicator ids carry the raw protected value', () => {
  let api: TestApp;
  const keys = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: keys.get(t.id)! });
  const tag = randomBytes(2).toString('hex');
  const dictionary = (right: string, at: number) => {
    const d = Array.from({ length: 30 }, (_, i) => right.replace(tag, i.toString(16).padStart(4, 'f')));
    d.splice(at, 0, right);
    return d;
  };
  const member = async () => {
    const t = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    keys.set(t.id, await newApiKey(api.app, t));
    return t;
  };
  const publish = async (t: TenantEntity, bundle: unknown, distribution = 'COMMUNITY') => {
    const res = await gql<Published>(
      api.baseUrl,
      PUBLISH,
      { b: bundle, s: { distribution, tlp: distribution === 'COMMUNITY' ? 'GREEN' : 'AMBER' } },
      as(t),
    );
    expect(res.errors).toBeUndefined();
    return res.data!.publishBundle.objects;
  };
  const indicators = async (t: TenantEntity) => {
    const res = await gql<Docs>(api.baseUrl, OBJECTS, { f: { types: ['indicator'] } }, as(t));
    expect(res.errors).toBeUndefined();
    return res.data!.objects.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    api = await startTestApp({
      env: { LOOKUP_QUOTA_PER_MINUTE: String(QUOTA), LOOKUP_QUOTA_PER_DAY: String(QUOTA), MAX_CHECK_IDENTIFIERS: String(QUOTA) },
    });
    await member(); // a third member of the cell
  }, 60_000);
  afterAll(async () => api?.close());

  it('(a) a member that sees the indicator cannot find the raw e-mail from its id', async () => {
    const [victim, attacker] = [await member(), await member()];
    const shared = `a.${tag}.kim@mail.example`;
    const [outcome] = await publish(victim, bundleOf(indicatorFor(shared)));
    expect(outcome).toMatchObject({ status: 'CREATED', correctedFrom: openctiId(emailPattern(shared)) });
    const served = await indicators(attacker);
    expect(served).toHaveLength(1);
    expect(served[0].id).toBe(outcome.id);
    expect(served[0].object.pattern).not.toContain(shared); // the pattern itself is protected …
    const recovered = dictionary(shared, 17).find((guess) => openctiId(emailPattern(guess)) === served[0].id);
    expect(recovered).toBeUndefined(); // … and the id does not give it back
  });

  it('(b) a preview with each guess’s id no longer singles out the e-mail of an indicator the attacker may not see', async () => {
    const [victim, attacker] = [await member(), await member()];
    const hidden = `b.${tag}.lee@mail.example`;
    await publish(victim, bundleOf(indicatorFor(hidden)), 'ORGANISATION');
    const answers: string[] = [];
    // The right guess comes second: within the quota, so the preview answers it in full.
    for (const guess of dictionary(hidden, 1).slice(0, QUOTA + 2)) {
      const res = await gql<{ previewBundle: { issues: Array<{ code: string }> } }>(
        api.baseUrl,
        PREVIEW,
        { b: bundleOf(indicatorFor(guess)) },
        as(attacker),
      );
      const refused = res.errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
      answers.push(refused ? 'RATE_LIMITED' : res.data!.previewBundle.issues.some((i) => i.code === 'NOT_OWNER') ? 'NOT_OWNER' : 'ok');
    }
    // No NOT_OWNER for the right one; and each guess is a lookup, charged to the quota.
    expect(answers).toEqual([...Array<string>(QUOTA).fill('ok'), 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('the publisher keeps one object: new versions by the submitted id or by the id served, references in the bundle, revocation', async () => {
    const publisher = await member();
    const email = `c.${tag}.park@mail.example`;
    const v1 = indicatorFor(email);
    const note = {
      type: 'note',
      spec_version: '2.1',
      id: `note--${randomUUID()}`,
      created: T,
      modified: T,
      content: 'seen twice',
      object_refs: [v1.id],
    };
    const first = await publish(publisher, bundleOf(v1, note), 'ORGANISATION');
    const keyed = first[0].id;
    expect(keyed).not.toBe(v1.id);
    expect(first[0]).toMatchObject({
      type: 'indicator',
      status: 'CREATED',
      correctedFrom: v1.id,
      reason: expect.stringContaining('personal data'),
    });
    const notes = await gql<Docs>(api.baseUrl, OBJECTS, { f: { types: ['note'] } }, as(publisher));
    expect(notes.data!.objects.edges[0].node.object.object_refs).toEqual([keyed]);

    // The connector sends the next version under the same OpenCTI id; a client sends the one after under the id it was served.
    const [v2] = await publish(publisher, bundleOf(indicatorFor(email, T2)), 'ORGANISATION');
    expect(v2).toMatchObject({ id: keyed, status: 'NEW_VERSION', correctedFrom: v1.id });
    const [v3] = await publish(publisher, bundleOf({ ...indicatorFor(email, '2025-06-04T09:00:00.000Z'), id: keyed }), 'ORGANISATION');
    expect(v3).toMatchObject({ id: keyed, status: 'NEW_VERSION', correctedFrom: null });
    const own = await gql<Docs>(api.baseUrl, OBJECTS, { f: { types: ['indicator'], mine: true } }, as(publisher));
    expect(own.data!.objects.edges.map((e) => e.node.id)).toEqual([keyed, keyed, keyed]); // three versions of one object

    // A later bundle referencing the indicator by its OpenCTI id points at the keyed object.
    const later = { ...note, id: `note--${randomUUID()}`, content: 'seen again' };
    const [laterOutcome] = await publish(publisher, bundleOf(later), 'ORGANISATION');
    expect(laterOutcome.status).toBe('CREATED');
    const stored = await gql<Docs>(api.baseUrl, OBJECTS, { f: { ids: [later.id] } }, as(publisher));
    expect(stored.data!.objects.edges[0].node.object.object_refs).toEqual([keyed]);

    // Another member submitting the same OpenCTI id gets its own keyed id: no NOT_OWNER, no link.
    const other = await member();
    const [theirs] = await publish(other, bundleOf(v1), 'ORGANISATION');
    expect(theirs.status).toBe('CREATED');
    expect(theirs.id).not.toBe(keyed);

    const revoked = await gql<{ revoke: { id: string; revoked: boolean } }>(api.baseUrl, REVOKE, { id: v1.id }, as(publisher));
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revoke).toEqual({ id: keyed, revoked: true });
  });

  it('(c) known limit (README "Known limits"): an object without personal data keeps its deterministic id, and NOT_OWNER confirms it exists', async () => {
    const [victim, attacker] = [await member(), await member()];
    const ip = `[ipv4-addr:value = '198.51.100.${(parseInt(tag, 16) % 250) + 1}']`;
    const [outcome] = await publish(victim, bundleOf(indicatorOf(ip)), 'ORGANISATION');
    expect(outcome).toMatchObject({ id: openctiId(ip), correctedFrom: null });
    const res = await gql<{ previewBundle: { issues: Array<{ code: string }> } }>(
      api.baseUrl,
      PREVIEW,
      { b: bundleOf(indicatorOf(ip)) },
      as(attacker),
    );
    expect(res.data!.previewBundle.issues.map((i) => i.code)).toEqual(['NOT_OWNER']);
  });
});
