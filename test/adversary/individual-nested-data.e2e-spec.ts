import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { stixObject } from '../factories/stix.factory';

/**
 * An individual's x_ strings named after an address, e-mail, phone or name are hashed only as
 * top-level strings. The same data as a list, in a nested x_ object, or in a property extension
 * (how STIX 2.1 says custom properties should be carried) was stored raw.
 */
const T = '2025-06-02T09:00:00.000Z';
const ADDRESS = '221B Baker Street, London NW1 6XE';
const PHONE = '+44 20 7946 0958';
const OBJECTS = `query($f: ObjectFilterInput) { objects(first: 100, filter: $f) { edges { node { id object } } } }`;
const PUBLISH = `mutation($b: JSON!) { publishBundle(bundle: $b, sharing: { distribution: COMMUNITY, tlp: GREEN }) { objects { id status } } }`;

describe('adversary: an individual’s address and phone outside top-level x_ strings', () => {
  let api: TestApp;
  const keys = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: keys.get(t.id)! });
  const member = async () => {
    const t = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    keys.set(t.id, await newApiKey(api.app, t));
    return t;
  };
  beforeAll(async () => {
    api = await startTestApp();
  }, 60_000);
  afterAll(async () => api?.close());

  it.each([
    ['list', { x_home_addresses: [ADDRESS], x_phone_numbers: [PHONE] }],
    ['nested object', { x_contact: { home_address: ADDRESS, mobile_phone: PHONE } }],
    [
      'property extension',
      {
        extensions: {
          'extension-definition--3f6e2d3a-55f1-4b0e-9d3c-0c1f6f0b2a11': {
            extension_type: 'property-extension',
            home_address: ADDRESS,
            phone: PHONE,
          },
        },
      },
    ],
  ])('%s', async (_label, extra) => {
    const [publisher, reader] = [await member(), await member()];
    const person = stixObject('identity', { name: 'Ann Example', identity_class: 'individual', ...extra }, T);
    const pub = await gql(api.baseUrl, PUBLISH, { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [person] } }, as(publisher));
    expect(pub.errors).toBeUndefined();
    const res = await gql<{ objects: { edges: Array<{ node: { object: Record<string, unknown> } }> } }>(
      api.baseUrl,
      OBJECTS,
      { f: { types: ['identity'] } },
      as(reader),
    );
    const served = JSON.stringify(res.data!.objects.edges.map((e) => e.node.object));
    expect(served).toContain('individual');
    expect(served).not.toContain('Baker Street');
    expect(served).not.toContain('7946');
  });
});
