import type { NewTenant, TenantEntity } from '@cairn/tenancy';
import { bundleOf } from '../factories/stix.factory';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { gql, startTestApp, type TestApp } from './test-app';

/** The anonymous publisher of the redaction attacks: a name, a domain, and whatever terms a test adds. */
export const UMBRELLA_PHARMA: Partial<NewTenant> = {
  name: 'Umbrella Pharma',
  country: 'DE',
  sectors: ['healthcare'],
  domains: ['umbrella-pharma.example'],
};

const OBJECT = 'query($id: String!) { object(id: $id) { object } }';

/** The publisher, a member who reads what it shares, their API keys and the app: filled in by beforeAll. */
export interface RedactionExchange {
  api: TestApp;
  pub: TenantEntity;
  peer: TenantEntity;
  as(t: TenantEntity): { authorization: string };
  /** Publishes `objects` as one bundle of the publisher (COMMUNITY, TLP:GREEN unless told), selecting `fields` of the result. */
  publish<T = { publishBundle: { created: number } }>(
    objects: unknown[],
    opts?: { fields?: string; sharing?: Record<string, unknown> },
  ): ReturnType<typeof gql<T>>;
  /** The object as the reader is served it. */
  read(id: string): Promise<Record<string, unknown>>;
  /** A TAXII GET as the reader (with a key of its own, as a SIEM has): the parsed answer. */
  taxii<T = Record<string, unknown>>(path: string): Promise<T>;
  /** The id of one of the reader's TAXII collections, by alias. */
  collectionId(alias: string): Promise<string>;
}

/**
 * For a describe block of redaction attacks: starts the app and the two members before its tests
 * (the publisher `publisher`, Umbrella Pharma unless told; the reader in another country, same
 * sector) and closes the app after them.
 */
export function redactionExchange(publisher: Partial<NewTenant> = UMBRELLA_PHARMA): RedactionExchange {
  const key = new Map<string, string>();
  const ex = {
    as: (t: TenantEntity) => ({ authorization: key.get(t.id)! }),
    publish: (objects: unknown[], opts: { fields?: string; sharing?: Record<string, unknown> } = {}) =>
      gql(
        ex.api.baseUrl,
        `mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { ${opts.fields ?? 'created'} } }`,
        { b: bundleOf(...objects), s: opts.sharing ?? { distribution: 'COMMUNITY', tlp: 'GREEN' } },
        ex.as(ex.pub),
      ),
    taxii: async (path: string) => {
      const headers = { accept: 'application/taxii+json;version=2.1', authorization: key.get(ex.peer.id)! };
      return (await fetch(`${ex.api.baseUrl}/taxii2/api/${path}`, { headers })).json();
    },
    collectionId: async (alias: string) =>
      (await ex.taxii<{ collections: Array<{ id: string; alias: string }> }>('collections/')).collections.find((c) => c.alias === alias)!
        .id,
    read: async (id: string) => {
      const res = await gql<{ object: { object: Record<string, unknown> } | null }>(ex.api.baseUrl, OBJECT, { id }, ex.as(ex.peer));
      expect(res.errors).toBeUndefined();
      return res.data!.object!.object;
    },
  } as RedactionExchange;
  beforeAll(async () => {
    ex.api = await startTestApp();
    ex.pub = await newTenant(ex.api.app, publisher);
    ex.peer = await newTenant(ex.api.app, { country: publisher.country === 'FR' ? 'DE' : 'FR', sectors: publisher.sectors });
    for (const t of [ex.pub, ex.peer]) key.set(t.id, await newApiKey(ex.api.app, t));
  });
  afterAll(() => ex.api?.close());
  return ex;
}
