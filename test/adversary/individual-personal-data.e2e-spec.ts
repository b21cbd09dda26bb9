import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { scoId } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { stixObject } from '../factories/stix.factory';

/**
 * Hostile review: raw personal data of individuals stored where the rules protect it (README
 * "Personal data").
 *
 * - identity_class is an open vocabulary and validation takes any case, but protection, the wipe of
 *   contact details and describesPublisher compared it with 'individual' exactly: an identity of class
 *   `Individual` or `INDIVIDUAL` was stored with the person's name and contact details raw.
 * - Of an individual only `name` and `contact_information` were protected: its `description` and
 *   `x_home_address` (which a location would have hashed) were stored as given.
 * - Repair mode: a personal value that fails normalisation (a phone without country code) sets its
 *   object aside but never reached redaction, so an indicator repeating it was stored with it raw.
 */
const T = '2025-06-02T09:00:00.000Z';
const PUBLISH = `mutation($b: JSON!, $s: SharingInput, $r: Boolean) { publishBundle(bundle: $b, sharing: $s, repair: $r) {
  created skipped objects { index id status reason } } }`;
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known } }';
const sdo = (type: string, props: Record<string, unknown>) => stixObject(type, props, T);
const ind = (props: Record<string, unknown>) =>
  sdo('indicator', { name: 'Applicant', pattern: "[ipv4-addr:value = '198.51.100.77']", pattern_type: 'stix', valid_from: T, ...props });
type Res = {
  data?: { publishBundle: { objects: Array<{ id: string; status: string; reason?: string }> } };
  errors?: Array<{ extensions?: Record<string, unknown> }>;
};

describe('adversary: raw personal data of individuals stored', () => {
  let api: TestApp;
  let db: Client;
  let pub: TenantEntity;
  let auth = '';
  const rowsWith = async (needle: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM stix_object WHERE doc::text ILIKE $1`, [`%${needle}%`])).rows[0].n as number;
  const submit = (objects: unknown[], repair: boolean) =>
    gql(
      api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects }, s: { distribution: 'COMMUNITY', tlp: 'CLEAR' }, r: repair },
      { authorization: auth },
    ) as Promise<Res>;
  const publish = async (objects: unknown[], repair: boolean) => {
    const res = await submit(objects, repair);
    expect(res.errors).toBeUndefined();
    return res.data!.publishBundle.objects.map((o) => o.status);
  };

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    pub = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    auth = await newApiKey(api.app, pub);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  it.each(['Individual', 'INDIVIDUAL', ' individual'])(
    'an individual identity whose identity_class is written %p has its name and contact details protected',
    async (cls) => {
      const name = `Octavia Pemberwick ${randomUUID().slice(0, 8)}`;
      const contact = `+49 30 1234567, ${randomUUID().slice(0, 8)} Mockingbird Lane`;
      const mention = ind({ description: `Applicant used the stolen identity of ${name}` });
      expect(await publish([sdo('identity', { name, identity_class: cls, contact_information: contact }), mention], false)).toEqual([
        'CREATED',
        'CREATED',
      ]);
      expect({ cls, name: await rowsWith(name), contact: await rowsWith(contact.slice(-25)) }).toEqual({ cls, name: 0, contact: 0 });
      expect(await rowsWith(mention.id)).toBe(1); // guard: the indicator is stored, with the name redacted
    },
  );

  it('an individual’s description and custom personal properties are not stored raw, as contact_information is not', async () => {
    const person = sdo('identity', {
      name: 'Bartholomew Quince',
      identity_class: 'individual',
      description: 'Real person whose identity was stolen; lives at 77 Larkspur Close, Leeds',
      x_home_address: '77 Larkspur Close, Leeds',
      x_private_email: 'b.quince@larkspur-mail.example',
    });
    const mention = ind({ description: 'Résumé gives 77 Larkspur Close, Leeds as home' });
    const res = await submit([person, mention], false);
    expect(res.errors).toBeUndefined();
    const [stored] = res.data!.publishBundle.objects;
    expect(res.data!.publishBundle.objects.map((o) => o.status)).toEqual(['CREATED', 'CREATED']);
    expect(await rowsWith('Larkspur')).toBe(0);
    expect(await rowsWith('Quince')).toBe(0);
    // Guard: stored (under an id keyed for its publisher, since it held personal data).
    expect(stored.id).not.toBe(person.id);
    expect(await rowsWith(stored.id)).toBe(1);
    // Hashed, not dropped: the e-mail address is still found by a lookup.
    const check = await gql<{ checkIdentifiers: Array<{ known: boolean }> }>(
      api.baseUrl,
      CHECK,
      { v: ['B.Quince@larkspur-mail.example'] },
      { authorization: auth },
    );
    expect(check.data?.checkIdentifiers[0].known).toBe(true);
  });

  it('an individual’s custom phone that cannot be normalised is refused naming it (strict), skipped (repair), and stored nowhere', async () => {
    const person = () => sdo('identity', { name: 'Cornelius Vapp', identity_class: 'Individual', x_mobile_phone: '0151 2345678' });
    const strict = await submit([person()], false);
    expect(strict.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(strict.errors)).toMatch(/objects\[0\]\.x_mobile_phone/);
    expect(await publish([person(), ind({ description: 'Callback 0151 2345678' })], true)).toEqual(['SKIPPED', 'CREATED']);
    expect(await rowsWith('2345678')).toBe(0);
    expect(await rowsWith('Vapp')).toBe(0);
  });

  it('identity_class unknown or missing: a personal-looking name is stored as given (it may be an organisation)', async () => {
    const name = `Hargreaves Pemberton ${randomUUID().slice(0, 8)}`;
    expect(await publish([sdo('identity', { name, identity_class: 'unknown' }), sdo('identity', { name: `${name} Ltd` })], false)).toEqual([
      'CREATED',
      'CREATED',
    ]);
    expect(await rowsWith(name)).toBe(2);
  });

  it('repair mode: a phone-number refused because it cannot be normalised is not kept raw in the indicator that repeats it', async () => {
    const phone = { type: 'phone-number', spec_version: '2.1', value: '030 98765432' };
    const statuses = await publish(
      [{ ...phone, id: scoId(phone) }, ind({ description: 'The applicant gave 030 98765432 as a callback number' })],
      true,
    );
    expect(statuses).toEqual(['SKIPPED', 'CREATED']); // premise
    expect(await rowsWith('98765432')).toBe(0);
  });

  it('repair mode: nor one in an indicator pattern that is skipped for it', async () => {
    const bad = ind({ pattern: "[phone-number:value = '040 55512399']" });
    const statuses = await publish([bad, ind({ description: 'Same caller as 040 55512399' })], true);
    expect(statuses).toEqual(['SKIPPED', 'CREATED']); // premise
    expect(await rowsWith('55512399')).toBe(0);
  });
});
