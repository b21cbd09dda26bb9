import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { scoId } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

// The invariant of item 3: after a member publishes personal identifiers in every place a member
// can put them — over publishBundle, publishIndicators and TAXII — no table, no column and no
// server log line holds any of them raw (as written, lower-case or normalised).

const T = '2025-06-02T09:00:00.000Z';
const TAXII = 'application/taxii+json;version=2.1';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created skipped } }';
const INDICATORS = 'mutation($i: [IndicatorInput!]!, $s: SharingInput) { publishIndicators(indicators: $i, sharing: $s) { created } }';
const OBJECTS = 'query { objects(first: 1000) { edges { node { object } } } }';
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known } }';

const mail = (local: string) => `${local}.person@mail.example`;
// Every personal identifier the corpus holds, as written.
const EMAILS = [
  'Free.Text.Person@Mail.Example',
  mail('ts'),
  mail('key'),
  mail('custom'),
  mail('nested'),
  mail('ext'),
  mail('extref'),
  mail('extrefurl'),
  mail('sigma'),
  mail('yara'),
  mail('snort'),
  mail('suricata'),
  mail('pcre'),
  'Header.Person@Mail.Example',
  mail('headerlist'),
  mail('subject'),
  mail('body'),
  mail('received'),
  mail('url'),
  mail('patternurl'),
  mail('login'),
  mail('userid'),
  mail('patternlogin'),
  mail('patternuserid'),
  mail('patternheader'),
  mail('note'),
  mail('report'),
  mail('opinion'),
  mail('addr'),
  mail('api'),
  mail('label'),
  mail('taxii'),
  mail('rejected'),
  mail('keyrejected'),
  mail('extdef'),
  mail('taxiprop'),
];
const OBFUSCATED = ['obf.person [at] mail [dot] example', 'ｆｕｌｌｗｉｄｔｈ．ｐｅｒｓｏｎ＠ｍａｉｌ．ｅｘａｍｐｌｅ'];
const PHONES = [
  '+1 202 555 0143',
  '(202) 555-0178',
  '+44 20 7946 0958',
  '0049 30 9018 2000',
  '+33 1 70 36 39 99',
  '01 70 36 39 99',
  '+61 2 9374 4000',
  '+81 3 1234 5678',
];
const NAMES = ['Marisol Quintero', 'Theodora Blackwood', 'Ignatius Fairweather', 'Jqa Dev', 'Octavia Pemberton'];
const ADDRESSES = ['742 Evergreen Terrace', '1313 Mockingbird Lane'];
const ACCOUNTS = ['DE89 3704 0044 0532 0130 00', 'GB29 NWBK 6016 1331 9268 19', 'FR14 2004 1010 0505 0001 3M02 606', '7654321098'];

/** Every form a raw value could be found in: as written, lower-case, NFKC, digits only, compact. */
function needles(): Map<string, string> {
  const out = new Map<string, string>();
  const add = (raw: string, form: string) => form.length >= 6 && out.set(form, raw);
  for (const raw of [...EMAILS, ...OBFUSCATED, ...NAMES, ...ADDRESSES]) {
    const lower = raw.normalize('NFKC').toLowerCase();
    add(raw, lower);
    add(raw, lower.split(/@|\s\[at\]/)[0]);
  }
  for (const raw of PHONES) {
    add(raw, raw);
    add(raw, raw.replace(/\D/g, '').replace(/^00/, ''));
  }
  for (const raw of ACCOUNTS) {
    add(raw, raw.toLowerCase());
    add(raw, raw.replace(/\s/g, '').toLowerCase());
  }
  return out;
}

type Obj = Record<string, unknown> & { id: string };
const sdo = (type: string, props: Record<string, unknown>): Obj => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T,
  modified: T,
  ...props,
});
const sco = (type: string, props: Record<string, unknown>): Obj => {
  const o = { type, spec_version: '2.1', ...props };
  return { ...o, id: scoId(o) };
};
const ind = (pattern: string, pattern_type = 'stix', props: Record<string, unknown> = {}) =>
  sdo('indicator', { pattern, pattern_type, valid_from: T, ...props });

function corpus(): Obj[] {
  const addr = sco('email-addr', { value: mail('addr'), display_name: 'Ignatius Fairweather' });
  const person = sdo('identity', {
    name: 'Theodora Blackwood',
    identity_class: 'individual',
    contact_information: `${mail('note')}, +1 202 555 0143`,
  });
  const phone = sco('phone-number', { value: '+33 1 70 36 39 99' });
  const extDef = sdo('extension-definition', {
    created_by_ref: 'identity--00000000-0000-4000-8000-0000000000c1',
    name: 'member ext',
    schema: `ask ${mail('extdef')}`,
    version: '1.0',
    extension_types: ['property-extension'],
  });
  const creator = sdo('identity', {
    id: 'identity--00000000-0000-4000-8000-0000000000c1',
    name: 'Some vendor',
    identity_class: 'organization',
  });
  const free = ind("[ipv4-addr:value = '198.51.100.23']", 'stix', {
    name: 'Applicant Free.Text.Person@Mail.Example called from +1 202 555 0143',
    description: `2025-06-02T09:00:00Z ${mail('ts')} rang (202) 555-0178; wrote as obf.person [at] mail [dot] example and ${OBFUSCATED[1]}; Theodora Blackwood, IBAN GB29 NWBK 6016 1331 9268 19`,
    labels: ['applicant', 'Marisol Quintero'],
    external_references: [{ source_name: 'hr', description: `ticket by ${mail('extref')}`, url: `mailto:${mail('extrefurl')}` }],
    x_meta: {
      'Theodora Blackwood internal': 1,
      [mail('key')]: 1,
      '+44 20 7946 0958': 'mobile',
      list: [[{ deep: mail('nested') }], 'Jqa Dev'],
    },
    x_contact: `${mail('custom')} / 0049 30 9018 2000`,
    extensions: { [extDef.id]: { extension_type: 'property-extension', x_owner: mail('ext'), x_lives_at: '742 Evergreen Terrace' } },
  });
  const patterns = [
    ind(`title: applicant\ndetection:\n  sel:\n    sender: '${mail('sigma')}'\n    phone: '0049 30 9018 2000'\n  condition: sel`, 'sigma'),
    ind(`rule applicant { strings: $a = "${mail('yara')}" condition: $a }`, 'yara'),
    ind(`alert tcp any any -> any 25 (msg:"applicant"; content:"${mail('snort')}"; content:"|00 01 02 03|"; sid:1;)`, 'snort'),
    ind(`alert smtp any any -> any any (msg:"applicant"; content:"${mail('suricata')}"; sid:2;)`, 'suricata'),
    ind(`/${mail('pcre').replace(/\./g, '\\.')}/i`, 'pcre'),
    ind(`[url:value = 'mailto:${mail('patternurl')}'] AND [user-account:account_login = '${mail('patternlogin')}']`),
    ind(
      `[user-account:user_id = '${mail('patternuserid')}'] OR [email-message:additional_header_fields.'Reply-To' = '${mail('patternheader')}']`,
    ),
  ];
  const message = sco('email-message', {
    is_multipart: false,
    from_ref: addr.id,
    subject: `Hello Ignatius Fairweather from ${mail('subject')}`,
    body: `reach me at ${mail('body')} or +44 20 7946 0958`,
    received_lines: [`from relay (helo ${mail('received')})`],
    additional_header_fields: { 'Reply-To': 'Header.Person@Mail.Example', 'X-Forwarded-To': [mail('headerlist')] },
  });
  const url = sco('url', { value: `mailto:${mail('url')}` });
  const account = sco('user-account', { account_type: 'email', account_login: mail('login'), user_id: mail('userid') });
  const handle = sco('user-account', { account_type: 'github', account_login: 'jqa-dev-2024', display_name: 'Jqa Dev' });
  const persona = sco('persona', { persona_name: 'Marisol Quintero', persona_type: 'applicant' });
  const place = sdo('location', {
    country: 'US',
    street_address: '742 Evergreen Terrace',
    x_home_address: '1313 Mockingbird Lane',
    description: 'Laptop farm at 1313 Mockingbird Lane',
  });
  const bank = sco('bank-account', { iban: 'DE89 3704 0044 0532 0130 00', account_number: '7654321098' });
  const note = sdo('note', {
    abstract: 'Theodora Blackwood',
    content: `Interviewed Theodora Blackwood (${mail('note')}), paid to DE89370400440532013000 and 7654321098, call 01 70 36 39 99`,
    object_refs: [free.id],
  });
  const report = sdo('report', {
    name: 'Applicants',
    description: `Marisol Quintero ${mail('report')} at 742 Evergreen Terrace`,
    published: T,
    object_refs: [free.id, person.id],
  });
  const opinion = sdo('opinion', {
    opinion: 'agree',
    explanation: `confirmed by ${mail('opinion')}`,
    authors: ['Theodora Blackwood'],
    object_refs: [free.id],
  });
  return [
    creator,
    extDef,
    addr,
    person,
    phone,
    free,
    ...patterns,
    message,
    url,
    account,
    handle,
    persona,
    place,
    bank,
    note,
    report,
    opinion,
  ];
}

describe('privacy invariant: no raw personal identifier in any table, column or log line', () => {
  let api: TestApp;
  let db: Client;
  let member: TenantEntity;
  let peer: TenantEntity;
  const key = new Map<string, string>();
  const log: string[] = [];
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const streams: Array<[NodeJS.WriteStream, NodeJS.WriteStream['write']]> = [];

  beforeAll(async () => {
    // Whatever else reaches stdout / stderr while the server runs is server output too.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as NodeJS.WriteStream['write'];
      streams.push([stream, write]);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        log.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as NodeJS.WriteStream['write'];
    }
    api = await startTestApp({ logLines: log });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    member = await newTenant(api.app, { name: 'Acme Corp', country: 'DE', sectors: ['healthcare'], domains: ['acme-corp.example'] });
    peer = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    for (const t of [member, peer]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(async () => {
    for (const [stream, write] of streams) stream.write = write;
    await db?.end();
    await api?.close();
  });

  it('publishes the corpus over GraphQL and TAXII, then finds none of it raw anywhere', async () => {
    const sharing = { distribution: 'COMMUNITY', tlp: 'GREEN' };
    const published = await gql<{ publishBundle: { created: number } }>(
      api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: corpus() }, s: sharing },
      as(member),
    );
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishBundle.created).toBeGreaterThan(20);

    const indicators = await gql(
      api.baseUrl,
      INDICATORS,
      {
        i: [
          { type: 'EMAIL', value: mail('api'), labels: [`ref ${mail('label')}`, 'call +61 2 9374 4000'] },
          { type: 'PHONE', value: '+61 2 9374 4000' },
          { type: 'PERSONA_NAME', value: 'Octavia Pemberton', labels: ['Octavia Pemberton'] },
          { type: 'BANK_ACCOUNT', value: 'FR14 2004 1010 0505 0001 3M02 606' },
        ],
        s: sharing,
      },
      as(member),
    );
    expect(indicators.errors).toBeUndefined();

    // A bundle refused for a bad key: the refusal must not keep the key raw either.
    const refused = await gql(
      api.baseUrl,
      PUBLISH,
      {
        b: {
          type: 'bundle',
          id: `bundle--${randomUUID()}`,
          objects: [
            sdo('note', {
              content: mail('rejected'),
              object_refs: ['note--00000000-0000-4000-8000-000000000001'],
              [`x_${mail('keyrejected')}`]: 1,
            }),
          ],
        },
        s: sharing,
      },
      as(member),
    );
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const collections = await taxii(api, member, '/taxii2/api/collections/');
    const own = (collections.body.collections as Array<{ id: string; alias: string }>).find((c) => c.alias === 'own')!;
    const posted = await taxii(api, member, `/taxii2/api/collections/${own.id}/objects/`, {
      objects: [sdo('note', { content: 'refused', object_refs: [corpus()[0].id], [`x_${mail('taxiprop')}`]: 1 })],
    });
    expect(posted.status).toBe(202);
    expect(posted.body.failure_count).toBe(1);
    const postedOk = await taxii(api, member, `/taxii2/api/collections/${own.id}/objects/`, {
      objects: [sdo('note', { content: `${mail('taxii')} or +81 3 1234 5678`, object_refs: [corpus()[0].id] })],
    });
    expect(postedOk.status).toBe(202);

    // Lookups of protected side-path values still find them (hashed, not raw).
    const checked = await gql<{ checkIdentifiers: Array<{ value: string; known: boolean }> }>(
      api.baseUrl,
      CHECK,
      { v: [mail('url'), mail('login'), mail('userid'), mail('addr')] },
      as(peer),
    );
    expect(checked.errors).toBeUndefined();
    expect(checked.data!.checkIdentifiers.map((c) => c.known)).toEqual([true, true, true, true]);

    // What a peer is served holds none of it either — and the look-alike login survives.
    const served = await gql<{ objects: { edges: Array<{ node: { object: Record<string, unknown> } }> } }>(
      api.baseUrl,
      OBJECTS,
      {},
      as(peer),
    );
    const docs = served.data!.objects.edges.map((e) => e.node.object);
    expect(docs.find((d) => d.account_login === 'jqa-dev-2024')).toMatchObject({
      display_name: expect.stringMatching(/^protected:[0-9a-f]{64}$/),
    });

    const found: string[] = [];
    const search = (where: string, text: string) => {
      const lower = text.normalize('NFKC').toLowerCase();
      for (const [form, raw] of needles())
        if (lower.includes(form.toLowerCase())) found.push(`${where}: ${JSON.stringify(raw)} as ${JSON.stringify(form)}`);
    };
    search('served objects', JSON.stringify(docs));
    const tables = await scanDatabase(db);
    for (const [where, text] of tables) search(where, text);
    search('server log', log.join('\n'));
    expect(found).toEqual([]);

    // The scan sees what is there: the tenant's own name is in the tenant table, the login in stix_object.
    expect([...tables.entries()].some(([w, t]) => w.startsWith('tenant.') && t.includes('Acme Corp'))).toBe(true);
    expect([...tables.entries()].some(([w, t]) => w.startsWith('stix_object.') && t.includes('jqa-dev-2024'))).toBe(true);
    expect(log.length).toBeGreaterThan(0);
  });
});

async function taxii(
  api: TestApp,
  t: TenantEntity,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const auth = await newApiKey(api.app, t);
  const res = await fetch(`${api.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { accept: TAXII, authorization: auth, ...(body === undefined ? {} : { 'content-type': TAXII }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** Every text-like column of every table in the public schema, as the owner sees it (no RLS): `table.column` → all values. */
async function scanDatabase(db: Client): Promise<Map<string, string>> {
  const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED', 'name', 'bytea')`,
  );
  expect(rows.length).toBeGreaterThan(10);
  const out = new Map<string, string>();
  for (const r of rows) {
    const col = `"${r.column_name.replace(/"/g, '""')}"`;
    const value = r.data_type === 'bytea' ? `encode(${col}, 'escape')` : `${col}::text`;
    const res = await db.query<{ v: string | null }>(`SELECT string_agg(${value}, E'\\n') AS v FROM "${r.table_name.replace(/"/g, '""')}"`);
    out.set(`${r.table_name}.${r.column_name}`, res.rows[0].v ?? '');
  }
  return out;
}
