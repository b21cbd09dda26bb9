import { randomBytes, randomUUID } from 'node:crypto';
import { PublishService } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { wsClient } from '../support/ws';
import { wsRun } from '../support/ws-ops';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';

/**
 * A protected e-mail is served to every viewer as `<HMAC>@protected.invalid` (pattern and SCO
 * value). previewIndicators / previewBundle, and publishing ORGANISATION-only then reading one's own
 * object back, answer the very same HMAC for any value the caller submits: a keyed-hash oracle. So
 * every distinct personal value a member submits through a preview or a publish (GraphQL over HTTP
 * and WebSocket, TAXII POST) is charged to the tenant's lookup quota, as checkIdentifiers charges it,
 * before anything is rendered or stored; over quota it is RATE_LIMITED and nothing is stored.
 */
const QUOTA = 5;
const ENV = { LOOKUP_QUOTA_PER_MINUTE: String(QUOTA), LOOKUP_QUOTA_PER_DAY: String(QUOTA), MAX_CHECK_IDENTIFIERS: String(QUOTA) };
const TAXII = 'application/taxii+json;version=2.1';
const OBJECTS = `query($f: ObjectFilterInput) { objects(first: 100, filter: $f) { edges { node { id object } } } }`;
const PREVIEW = `mutation($i: [IndicatorInput!]!) { previewIndicators(indicators: $i) { valid objects { type document } } }`;
const PREVIEW_BUNDLE = `mutation($b: JSON!) { previewBundle(bundle: $b, sharing: { distribution: ORGANISATION }) { valid objects { type document } } }`;
const PUBLISH = `mutation($i: [IndicatorInput!]!) { publishIndicators(indicators: $i, sharing: { distribution: ORGANISATION, tlp: AMBER }) { created } }`;
const CHECK = `query($v: [String!]!) { checkIdentifiers(values: $v) { value known } }`;
const HEX = /([0-9a-f]{64})@protected\.invalid/;

type GqlErrors = Array<{ message: string; extensions?: Record<string, unknown> }> | undefined;
type Docs = { objects: { edges: Array<{ node: { id: string; object: { type: string; pattern?: string; value?: string } } }> } };

const rateLimited = (errors: GqlErrors) => errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
const emailAddr = (value: string) => ({ type: 'email-addr', spec_version: '2.1', id: `email-addr--${randomUUID()}`, value });
const bundleOf = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });

describe('adversary: publish previews are an unmetered oracle for protected identifiers', () => {
  let api: TestApp;
  let victim: TenantEntity;
  const secretEmail = `k.${randomBytes(2).toString('hex')}.rivera@mail.example`;
  let target: string;

  /** A fresh attacking member (its own quota), and its API key. */
  const attacker = async () => {
    const tenant = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    return { tenant, key: { authorization: await newApiKey(api.app, tenant) } };
  };
  /** 40 guesses (8× the day's quota), the right one near the end. */
  const dictionary = () => {
    const d = Array.from({ length: 39 }, (_, i) => `k.${i.toString(16).padStart(4, '0')}.rivera@mail.example`);
    d.splice(33, 0, secretEmail);
    return d;
  };
  /** What `auth` may see of its own and others' objects, as documents. */
  const visible = async (auth: Record<string, string>) => {
    const res = await gql<Docs>(api.baseUrl, OBJECTS, {}, auth);
    expect(res.errors).toBeUndefined();
    return res.data!.objects.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    api = await startTestApp({ env: ENV });
    victim = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    const res = await gql<{ publishIndicators: { objects: Array<{ id: string }> } }>(
      api.baseUrl,
      `mutation($i: [IndicatorInput!]!) { publishIndicators(indicators: $i, sharing: { distribution: COMMUNITY, tlp: GREEN }) { objects { id } } }`,
      { i: [{ type: 'EMAIL', value: secretEmail }] },
      { authorization: await newApiKey(api.app, victim) },
    );
    expect(res.errors).toBeUndefined();
    const id = res.data!.publishIndicators.objects.find((o) => o.id.startsWith('indicator--'))!.id;
    const seen = await gql<Docs>(api.baseUrl, OBJECTS, { f: { ids: [id] } }, (await attacker()).key);
    target = HEX.exec(seen.data!.objects.edges[0].node.object.pattern!)![1];
  }, 60_000);
  afterAll(async () => api?.close());

  it('previewIndicators: each guess is charged like a lookup, refused past the quota with the same answer as checkIdentifiers', async () => {
    const { key } = await attacker();
    const words = dictionary();
    const answers: Array<{ refused: boolean; errors: GqlErrors }> = [];
    let recovered: string | undefined;
    for (let i = 0; i < words.length; i += 4) {
      const batch = words.slice(i, i + 4);
      const res = await gql<{ previewIndicators: { objects: Array<{ type: string; document: { pattern?: string } }> } }>(
        api.baseUrl,
        PREVIEW,
        { i: batch.map((value) => ({ type: 'EMAIL', value })) },
        key,
      );
      answers.push({ refused: !!rateLimited(res.errors), errors: res.errors });
      const indicators = res.data?.previewIndicators.objects.filter((o) => o.type === 'indicator') ?? [];
      indicators.forEach((o, j) => HEX.exec(o.document.pattern ?? '')?.[1] === target && (recovered = batch[j]));
    }
    // The first 4 guesses fit the quota of 5 (and are rendered); every later call is refused whole.
    expect(answers.map((a) => a.refused)).toEqual([false, ...Array<boolean>(answers.length - 1).fill(true)]);
    expect(rateLimited(answers[1].errors)!.extensions).toMatchObject({
      reason: 'QUOTA_EXCEEDED',
      quota: 'per-day',
      limit: QUOTA,
      used: 4,
      resetsAt: expect.any(String),
    });
    expect(recovered).toBeUndefined();
  });

  it('previewBundle with 40 email-addr SCOs in one call: refused whole, nothing rendered', async () => {
    const { key } = await attacker();
    const res = await gql<{ previewBundle: { objects: Array<{ document: { value?: string } }> } }>(
      api.baseUrl,
      PREVIEW_BUNDLE,
      { b: bundleOf(dictionary().map(emailAddr)) },
      key,
    );
    expect(rateLimited(res.errors)?.extensions).toMatchObject({ quota: 'per-day', limit: QUOTA, used: 0 });
    expect(JSON.stringify(res.data ?? null)).not.toContain(target);
  });

  it('previewBundle: a value repeated (in any form) counts once, as in checkIdentifiers; the same quota as checkIdentifiers', async () => {
    const { key } = await attacker();
    const same = ['Ann.Lee@Mail.Example', 'ann.lee@mail.example', 'ANN.LEE@MAIL.EXAMPLE'].map(emailAddr);
    const once = await gql(api.baseUrl, PREVIEW_BUNDLE, { b: bundleOf(same) }, key);
    expect(once.errors).toBeUndefined();
    // 1 (the preview) + 4 (the lookup) = the quota: a fifth distinct guess anywhere is refused.
    const looked = await gql(api.baseUrl, CHECK, { v: ['a1@mail.example', 'a2@mail.example', 'a3@mail.example', 'a4@mail.example'] }, key);
    expect(looked.errors).toBeUndefined();
    const more = await gql(api.baseUrl, PREVIEW_BUNDLE, { b: bundleOf([emailAddr('a5@mail.example')]) }, key);
    expect(rateLimited(more.errors)?.extensions).toMatchObject({ quota: 'per-day', used: QUOTA });
  });

  it('publishIndicators ORGANISATION (then reading one’s own object back): charged, and over quota nothing is stored', async () => {
    const { key } = await attacker();
    const words = dictionary();
    const first = await gql<{ publishIndicators: { created: number } }>(
      api.baseUrl,
      PUBLISH,
      { i: words.slice(0, 4).map((value) => ({ type: 'EMAIL', value })) },
      key,
    );
    expect(first.errors).toBeUndefined();
    const storedBefore = (await visible(key)).length;
    const second = await gql(api.baseUrl, PUBLISH, { i: words.slice(4, 8).map((value) => ({ type: 'EMAIL', value })) }, key);
    expect(rateLimited(second.errors)?.extensions).toMatchObject({ quota: 'per-day', limit: QUOTA, used: 4 });
    expect(await visible(key)).toHaveLength(storedBefore);
  });

  it('over the WebSocket door: the same charge, the same refusal', async () => {
    const { key } = await attacker();
    const ws = wsClient(api.baseUrl, key.authorization);
    try {
      const res = await wsRun(ws, PREVIEW_BUNDLE, {
        b: bundleOf(
          dictionary()
            .slice(0, QUOTA + 1)
            .map(emailAddr),
        ),
      });
      expect(rateLimited(res.errors)?.extensions).toMatchObject({ quota: 'per-day', limit: QUOTA });
      expect(JSON.stringify(res.data ?? null)).not.toMatch(HEX);
    } finally {
      await ws.dispose();
    }
  });

  it('TAXII POST to its own collection: 429 over quota, nothing stored', async () => {
    const { key } = await attacker();
    const headers = { ...key, accept: TAXII };
    const root = `${api.baseUrl}/taxii2/api`;
    const collections = (await (await fetch(`${root}/collections/`, { headers })).json()) as {
      collections: Array<{ alias: string; id: string }>;
    };
    const own = collections.collections.find((c) => c.alias === 'own')!.id;
    const before = (await visible(key)).length;
    const res = await fetch(`${root}/collections/${own}/objects/`, {
      method: 'POST',
      headers: { ...headers, 'content-type': TAXII },
      body: JSON.stringify({
        objects: dictionary()
          .slice(0, QUOTA + 1)
          .map(emailAddr),
      }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await visible(key)).toHaveLength(before);
  });

  it('the operator’s own runs (CLI import, demo seed: PublishOptions.operatorRun) are not charged; a member’s call right after still is', async () => {
    const { tenant, key } = await attacker();
    const publishing = api.app.get(PublishService);
    const summary = await publishing.publishBundle(
      machineViewer(tenant),
      bundleOf(
        dictionary()
          .slice(0, 3 * QUOTA)
          .map(emailAddr),
      ),
      { distribution: 'ORGANISATION', tlp: 'AMBER' },
      { operatorRun: true },
    );
    expect(summary.created).toBe(3 * QUOTA);
    const member = await gql(api.baseUrl, PREVIEW_BUNDLE, { b: bundleOf(dictionary().slice(0, QUOTA).map(emailAddr)) }, key);
    expect(member.errors).toBeUndefined();
    await expect(
      publishing.publishBundle(machineViewer(tenant), bundleOf([emailAddr('one.more@mail.example')]), { distribution: 'ORGANISATION' }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
