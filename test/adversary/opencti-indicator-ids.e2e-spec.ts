import { randomBytes, randomUUID } from 'node:crypto';
import { canonicalJson, uuidV5 } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';
import { IntelService } from '@cairn/intel';

/**
 * OpenCTI (the peer members run next to Cairn, pycti Indicator.generate_id) names an indicator
 * `indicator--uuidv5(00abedb4-…, canonical({"pattern": pattern}))`: the id is a hash of the raw pattern.
 * Cairn rewrites a protected pattern to `<HMAC>@protected.invalid`; it must not keep the id, or
 *  (a) anyone who may see the indicator recovers the raw e-mail from its id offline, no quota, no request;
 *  (b) anyone at all learns that some member holds an indicator on an e-mail it may NOT see: a
 *      preview with the candidate's OpenCTI id was refused NOT_OWNER only for the right one.
 * An object that held personal data is stored under an id keyed for its publisher instead
 * (reported as correctedFrom), which its publisher reaches again with the id it submitted.
 * (c) Any name-based (non-random) id is keyed the same way, so a guess never meets another member's id;
 * (d) an id a publisher already holds under its name-based id keeps it, so its versions go on.
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

  it('(c) an object without personal data under a name-based id: the guess meets no other member’s id, so NOT_OWNER says nothing', async () => {
    const [victim, attacker] = [await member(), await member()];
    const ip = `[ipv4-addr:value = '198.51.100.${(parseInt(tag, 16) % 250) + 1}']`;
    const [outcome] = await publish(victim, bundleOf(indicatorOf(ip)), 'ORGANISATION');
    // Keyed for its publisher like an object that held personal data: reported as corrected.
    expect(outcome).toMatchObject({ status: 'CREATED', correctedFrom: openctiId(ip) });
    expect(outcome.id).not.toBe(openctiId(ip));
    // The attacker's preview of the guess answers exactly as for a guess nobody holds.
    const preview = async (pattern: string) =>
      (
        await gql<{ previewBundle: { valid: boolean; issues: Array<{ code: string }> } }>(
          api.baseUrl,
          PREVIEW,
          { b: bundleOf(indicatorOf(pattern)) },
          as(attacker),
        )
      ).data!.previewBundle;
    const nobody = `[ipv4-addr:value = '203.0.113.${(parseInt(tag, 16) % 250) + 1}']`;
    expect(await preview(ip)).toEqual(await preview(nobody));
    expect(await preview(ip)).toEqual({ valid: true, issues: [] });
    // And a second member publishing the same OpenCTI object (both sync one feed) is no longer refused.
    const [again] = await publish(attacker, bundleOf(indicatorOf(ip)), 'ORGANISATION');
    expect(again).toMatchObject({ status: 'CREATED', correctedFrom: openctiId(ip) });
    expect(again.id).not.toBe(outcome.id);
    // The victim reaches its object by the id it submitted: a new version lines up, a sighting in a later bundle resolves.
    const [v2] = await publish(victim, bundleOf(indicatorOf(ip, T2)), 'ORGANISATION');
    expect(v2).toMatchObject({ id: outcome.id, status: 'NEW_VERSION' });
  });

  it('(d) an id its publisher already holds under the name-based id (stored before ids were keyed) keeps it: its versions go on', async () => {
    const legacy = await member();
    const ip = `[ipv4-addr:value = '192.0.2.${(parseInt(tag, 16) % 250) + 1}']`;
    const first = indicatorOf(ip);
    // Stored the way every write path stored it before (the exchange's internal store takes ids as given).
    await api.app.get(IntelService).storeObjects(machineViewer(legacy), [first], { distribution: 'ORGANISATION', tlp: 'AMBER' });
    const [v2] = await publish(legacy, bundleOf(indicatorOf(ip, T2)), 'ORGANISATION');
    expect(v2).toMatchObject({ id: openctiId(ip), status: 'NEW_VERSION', correctedFrom: null });
  });

  // An e-mail that redaction blanks as free text (a phishing URL carrying the address, a LIKE on a
  // login) is keyed nowhere, but the OpenCTI id is a hash of the raw pattern all the same.
  const urlPattern = (e: string) => `[url:value = 'https://login.evil.example/reset?u=${e}']`;
  const likePattern = (e: string) => `[user-account:account_login LIKE '${e}']`;
  for (const [label, pattern] of [
    ['url', urlPattern],
    ['LIKE login', likePattern],
  ] as const) {
    it(`(e) ${label}: an e-mail redacted as text is not recovered from the id served`, async () => {
      const [victim, viewer] = [await member(), await member()];
      const email = `a${label.length}.${tag}.kim@mail.example`;
      await publish(victim, bundleOf(indicatorOf(pattern(email))));
      const prefix = pattern('@@').split('@@')[0];
      const served = (await indicators(viewer)).find((n) => String(n.object.pattern).startsWith(prefix));
      expect(served).toBeDefined();
      expect(served!.object.pattern).not.toContain(email);
      expect(dictionary(email, 7).find((g) => openctiId(pattern(g)) === served!.id)).toBeUndefined();
    });
  }

  it('(f) url: a preview of each guess’s id does not single out the e-mail of an indicator the attacker may not see', async () => {
    const [victim, attacker] = [await member(), await member()];
    const hidden = `b.${tag}.lee@mail.example`;
    await publish(victim, bundleOf(indicatorOf(urlPattern(hidden))), 'ORGANISATION');
    const answers = new Set<string>();
    for (const guess of dictionary(hidden, 9)) {
      const res = await gql<{ previewBundle: { valid: boolean; issues: Array<{ code: string }> } }>(
        api.baseUrl,
        PREVIEW,
        { b: bundleOf(indicatorOf(urlPattern(guess))) },
        as(attacker),
      );
      answers.add(JSON.stringify(res.errors?.[0]?.extensions?.code ?? res.data!.previewBundle.issues.map((i) => i.code)));
    }
    expect([...answers]).toEqual(['[]']);
  });
});
