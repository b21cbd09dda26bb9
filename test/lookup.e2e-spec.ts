import { randomUUID } from 'node:crypto';
import { IntelService, protectedKey } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { machineViewer, newApiKey, newTenant } from './factories/tenancy.factory';
import { newIndicator as indicator, publishIndexed as publish, T0 } from './factories/lookup.factory';

const CHECK = `query($v: [String!]!) { checkIdentifiers(values: $v) {
  value type normalised known reporters cells { sector area label } firstSeen lastSeen linkedActors maxConfidence latestTlp error } }`;

interface Check {
  value: string;
  type: string;
  normalised: string | null;
  known: boolean;
  reporters: number | null;
  cells: Array<{ sector: string; area: string; label: string }>;
  firstSeen: string | null;
  lastSeen: string | null;
  linkedActors: string[];
  maxConfidence: number | null;
  latestTlp: string | null;
  error: string | null;
}

let ipCounter = 0;
/** A fresh documentation-range address per use, so tests never see each other's data. */
const freshIp = () => `203.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

describe('checkIdentifiers: what each tenant may learn about an identifier', () => {
  let api: TestApp;
  let a: TenantEntity; // healthcare, DE
  let b: TenantEntity; // healthcare, DE
  let c: TenantEntity; // financial-services, US
  let g: TenantEntity; // financial-services, US
  let lone: TenantEntity; // the only insurer, the only member in JP
  const key = new Map<TenantEntity, string>();

  const check = async (viewer: TenantEntity, values: string[]) => {
    const res = await gql<{ checkIdentifiers: Check[] }>(api.baseUrl, CHECK, { v: values }, { authorization: key.get(viewer)! });
    expect(res.errors).toBeUndefined();
    return res.data!.checkIdentifiers;
  };
  const one = async (viewer: TenantEntity, value: string) => (await check(viewer, [value]))[0];

  beforeAll(async () => {
    api = await startTestApp();
    a = await newTenant(api.app, { name: 'Alpha Klinik', country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { name: 'Beta Praxis', country: 'DE', sectors: ['healthcare'] });
    await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    c = await newTenant(api.app, { name: 'Gamma Bank', country: 'US', sectors: ['financial-services'] });
    g = await newTenant(api.app, { name: 'Golf Credit Union', country: 'US', sectors: ['financial-services'] });
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    lone = await newTenant(api.app, { name: 'Lone Insurer KK', country: 'JP', sectors: ['insurance'] });
    // The two newest US members: the spare ones moved up to "any sector, worldwide" to keep the lone insurer company (k = 3).
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    for (const t of [a, b, c, g, lone]) key.set(t, await newApiKey(api.app, t, ['intel:read']));
  }, 60_000);
  afterAll(async () => {
    await api.close();
  });

  it('an ORGANISATION value is known to its publisher only', async () => {
    const ip = freshIp();
    await publish(api, a, [indicator(`[ipv4-addr:value = '${ip}']`)], { distribution: 'ORGANISATION', tlp: 'AMBER' });
    expect(await one(a, ip)).toMatchObject({ known: true, reporters: 1, type: 'IPV4' });
    for (const viewer of [b, c, lone]) {
      expect(await one(viewer, ip)).toMatchObject({
        value: ip,
        known: false,
        reporters: 0,
        cells: [],
        firstSeen: null,
        latestTlp: null,
        linkedActors: [],
      });
    }
  });

  it('a SECTOR value is known in that sector only; RECIPIENTS only to the recipients', async () => {
    const sectorIp = freshIp();
    const recipientIp = freshIp();
    await publish(api, a, [indicator(`[ipv4-addr:value = '${sectorIp}']`)], { distribution: 'SECTOR', tlp: 'GREEN' });
    await publish(api, a, [indicator(`[ipv4-addr:value = '${recipientIp}']`)], {
      distribution: 'RECIPIENTS',
      tlp: 'RED',
      recipientTenantIds: [c.id],
    });
    // Known, but a count that stands for one other member is not shown (small-count protection).
    expect(await one(b, sectorIp)).toMatchObject({ known: true, reporters: null, latestTlp: 'GREEN' });
    expect(await one(c, sectorIp)).toMatchObject({ known: false, reporters: 0 });
    expect(await one(c, recipientIp)).toMatchObject({ known: true, latestTlp: 'RED' });
    expect(await one(b, recipientIp)).toMatchObject({ known: false });
  });

  it('counts distinct reporters and places them only in cells that k members report under; the lone one goes to a global cell', async () => {
    const ip = freshIp();
    const doc = (conf: number, validFrom: string) => indicator(`[ipv4-addr:value = '${ip}']`, { confidence: conf, valid_from: validFrom });
    await publish(api, a, [doc(40, '2025-01-05T00:00:00Z'), doc(55, '2025-02-01T00:00:00Z')], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    await publish(api, c, [doc(90, '2025-04-01T00:00:00Z')], { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    await publish(api, lone, [{ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value: ip }], {
      distribution: 'COMMUNITY',
      tlp: 'AMBER',
    });
    const res = await one(b, ip);
    expect(res).toMatchObject({ known: true, reporters: 3, maxConfidence: 90, latestTlp: 'AMBER', firstSeen: '2025-01-05T00:00:00.000Z' });
    expect(res.cells.map((x) => `${x.sector}/${x.area}`)).toEqual(['any-sector/global', 'financial-services/US', 'healthcare/DE']);
    expect(res.cells.find((x) => x.area === 'global')!.label).toBe('Cairn members worldwide');
    // Nothing that names a member: no ids, slugs, names, nor the lone member's own country or sector.
    const text = JSON.stringify(res);
    for (const t of [a, c, lone]) for (const s of [t.id, t.slug, t.name]) expect(text).not.toContain(s);
    expect(text).not.toMatch(/JP|insurance|asia/);
  });

  it('finds a protected e-mail by its raw value; the raw value appears only in the caller’s own echo', async () => {
    const secret = api.config.identifierHmacSecret;
    const raw = `victim.${randomUUID().slice(0, 8)}@example.com`;
    const email = {
      type: 'email-addr',
      spec_version: '2.1',
      id: `email-addr--${randomUUID()}`,
      value: '[protected]',
      x_cairn_protected: { algorithm: 'HMAC-SHA256', value: protectedKey('email', raw, secret) },
    };
    await publish(api, lone, [email], { distribution: 'COMMUNITY', tlp: 'AMBER' });

    const asked = `  ${raw.toUpperCase()} `;
    const res = await gql<{ checkIdentifiers: Check[] }>(api.baseUrl, CHECK, { v: [asked] }, { authorization: key.get(b)! });
    expect(res.data!.checkIdentifiers[0]).toMatchObject({ value: asked, type: 'EMAIL', normalised: raw, known: true, reporters: null });
    // What anyone can read of the stored object carries no trace of the raw value.
    const objects = await gql(api.baseUrl, '{ objects(first: 1000) { edges { node { object } } } }', {}, { authorization: key.get(b)! });
    expect(JSON.stringify(objects)).toContain('[protected]');
    expect(JSON.stringify(objects).toLowerCase()).not.toContain(raw);
    // Another address in the same domain is not known.
    expect(await one(b, `other.${raw}`)).toMatchObject({ known: false, type: 'EMAIL' });
  });

  it('answers every value in input order, duplicates and garbage included, without failing the call', async () => {
    const ip = freshIp();
    await publish(api, c, [indicator(`[ipv4-addr:value = '${ip}']`)], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const values = [
      'hello world',
      ip,
      '202-555-0147',
      ` ${ip} `,
      '',
      'github:someone-unknown',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ];
    const res = await check(g, values);
    expect(res.map((r) => r.value)).toEqual(values);
    expect(res.map((r) => r.type)).toEqual(['UNKNOWN', 'IPV4', 'UNKNOWN', 'IPV4', 'UNKNOWN', 'HANDLE', 'SHA256']);
    expect(res.map((r) => r.known)).toEqual([false, true, false, true, false, false, false]);
    expect(res[0].error).toMatch(/not a recognised identifier/);
    expect(res[2].error).toMatch(/phone number.*country code/);
    expect(res[1].error).toBeNull();
  });

  it('refuses more than MAX_CHECK_IDENTIFIERS values with BAD_USER_INPUT, and accepts exactly that many', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `10.1.${Math.floor(i / 250)}.${i % 250}`);
    const refused = await gql(api.baseUrl, CHECK, { v: many }, { authorization: key.get(a)! });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_VALUES', field: 'values' });
    expect(refused.data).toBeNull();
    expect(await check(a, many.slice(0, 1000))).toHaveLength(1000);
  });

  it('links visible threat actors (and only visible ones) and counts sighting reporters', async () => {
    const ip = freshIp();
    const ind = indicator(`[ipv4-addr:value = '${ip}']`);
    const actor = (name: string) => ({
      type: 'threat-actor',
      spec_version: '2.1',
      id: `threat-actor--${randomUUID()}`,
      created: T0,
      modified: T0,
      name,
    });
    const rel = (src: string, tgt: string) => ({
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${randomUUID()}`,
      created: T0,
      modified: T0,
      relationship_type: 'indicates',
      source_ref: src,
      target_ref: tgt,
    });
    const shared = actor('Famous Chollima');
    const secret = actor('Internal Codename');
    await publish(api, a, [ind, shared, rel(ind.id as string, shared.id)], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    await publish(api, a, [secret, rel(ind.id as string, secret.id)], { distribution: 'ORGANISATION', tlp: 'AMBER' });
    const sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${randomUUID()}`,
      created: T0,
      modified: T0,
      sighting_of_ref: ind.id,
      first_seen: '2025-06-02T09:00:00Z',
      last_seen: '2025-06-20T17:00:00Z',
    };
    await api.app.get(IntelService).storeObjects(machineViewer(g), [sighting], { distribution: 'COMMUNITY', tlp: 'GREEN' });

    // a published it and g sighted it: two members other than b, fewer than k, so no count.
    expect(await one(b, ip)).toMatchObject({ linkedActors: ['Famous Chollima'], reporters: null, lastSeen: '2025-06-20T17:00:00.000Z' });
    expect(await one(a, ip)).toMatchObject({ reporters: null }); // a's own and g's: one other
    expect((await one(a, ip)).linkedActors).toEqual(['Famous Chollima', 'Internal Codename']);
  });

  it('only the newest version speaks: a corrected pattern forgets the old value, a revocation forgets the object', async () => {
    const [oldIp, newIp] = [freshIp(), freshIp()];
    const v1 = indicator(`[ipv4-addr:value = '${oldIp}']`);
    await publish(api, c, [v1], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    expect(await one(b, oldIp)).toMatchObject({ known: true });
    await publish(api, c, [{ ...v1, modified: '2025-03-02T00:00:00.000Z', pattern: `[ipv4-addr:value = '${newIp}']` }], {
      distribution: 'COMMUNITY',
      tlp: 'GREEN',
    });
    expect((await check(b, [oldIp, newIp])).map((r) => r.known)).toEqual([false, true]);
    await publish(api, c, [{ ...v1, modified: '2025-03-03T00:00:00.000Z', pattern: `[ipv4-addr:value = '${newIp}']`, revoked: true }], {
      distribution: 'COMMUNITY',
      tlp: 'GREEN',
    });
    expect((await one(b, newIp)).known).toBe(false);
  });

  it('needs intel:read, and a credential', async () => {
    const sightingsOnly = await newApiKey(api.app, a, ['sightings:write']);
    expect((await gql(api.baseUrl, CHECK, { v: ['198.51.100.1'] }, { authorization: sightingsOnly })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await gql(api.baseUrl, CHECK, { v: ['198.51.100.1'] })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
