import {
  CAIRN_IDENTITY_ID,
  CAIRN_PROTECTION_EXTENSION_ID,
  TLP2_MARKINGS,
  expectedScoId,
  scoId,
  tlpMarkingRef,
  uuidV5,
  STIX_SCO_NAMESPACE,
  canonicalJson,
} from '@cairn/stix';
import { protectedKey } from '../protect/protected-key';
import { cellIdentityId } from '@cairn/tenancy';
import { personalDataOf, preparePublication, type PrepareInput } from './prepare';
import type { PublisherFacts } from '../anonymise/identities';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const T = '2025-06-02T09:00:00.000Z';
const PUBLISHER: PublisherFacts = {
  name: 'Globex Health',
  domains: ['globex-health.example'],
  redactionTerms: ['Project Falcon'],
  attribution: 'ANONYMOUS',
  stixIdentityId: 'identity--6b0c2c1e-8d5e-4c6e-9a51-8f3d2f5b0a11',
};

const sdo = (type: string, n: number, props: Record<string, unknown>) => ({
  type,
  spec_version: '2.1',
  id: `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created: T,
  modified: T,
  ...props,
});
const PX = CAIRN_PROTECTION_EXTENSION_ID;
const email = (value: string) => {
  const o = { type: 'email-addr', spec_version: '2.1', value };
  return { ...o, id: scoId(o) };
};

const TENANT = '00000000-0000-4000-8000-00000000aaaa';

function run(objects: Array<Record<string, unknown>>, over: Partial<PrepareInput> = {}) {
  return preparePublication({
    bundle: { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects },
    publisher: PUBLISHER,
    publisherTenantId: TENANT,
    tlp: 'AMBER',
    keepRaw: false,
    secret: SECRET,
    maxObjects: 100,
    ...over,
  });
}

describe('preparePublication', () => {
  it('protects an e-mail address: a schema-valid rendering of the keyed hash, the key in the property extension, id from what is served, references and patterns rewritten', () => {
    const addr = email('Daniel.Kim@proton.example');
    const ind = sdo('indicator', 1, {
      name: 'Applicant daniel.kim@proton.example',
      pattern: "[email-addr:value = 'daniel.kim@proton.example']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const rel = sdo('relationship', 2, { relationship_type: 'based-on', source_ref: ind.id, target_ref: addr.id });
    const submitted = addr.id;
    const out = run([addr, ind, rel]);
    expect(out.issues).toEqual([]);
    const key = protectedKey('email', 'daniel.kim@proton.example', SECRET);
    const [storedAddr, storedInd, storedRel] = out.objects.map((o) => o.doc);
    expect(storedAddr).toMatchObject({
      value: `${key}@protected.invalid`,
      extensions: { [PX]: { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', value: key } },
    });
    expect(storedAddr.x_cairn_protected).toBeUndefined();
    expect(storedAddr.id).toBe(`email-addr--${uuidV5(STIX_SCO_NAMESPACE, canonicalJson({ value: `${key}@protected.invalid` }))}`);
    expect(out.outcomes[0]).toMatchObject({ correctedFrom: submitted, id: storedAddr.id });
    expect(storedRel.target_ref).toBe(storedAddr.id);
    expect(storedInd.pattern).toBe(`[email-addr:value = '${key}@protected.invalid']`);
    expect(storedInd.name).toBe('Applicant [protected]');
    expect(JSON.stringify(out.objects).toLowerCase()).not.toContain('daniel.kim');
  });

  it('recomputes an email-message id from its rewritten from_ref, and every reference to it follows', () => {
    const from = email('sender.person@mail.example');
    const to = email('hr@acme.example');
    const m = {
      type: 'email-message',
      spec_version: '2.1',
      is_multipart: false,
      from_ref: from.id,
      to_refs: [to.id],
      subject: 'Application',
    };
    const msg = { ...m, id: scoId(m) };
    const ind = sdo('indicator', 9, {
      name: 'mail',
      pattern: "[email-message:subject = 'Application']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const rel = sdo('relationship', 10, { relationship_type: 'based-on', source_ref: ind.id, target_ref: msg.id });
    const submitted = msg.id;
    const out = run([msg, from, to, ind, rel]);
    expect(out.issues).toEqual([]);
    const docs = out.objects.map((o) => o.doc);
    const [storedMsg, storedFrom, storedTo, , storedRel] = docs;
    expect(storedMsg.from_ref).toBe(storedFrom.id);
    expect(storedMsg.to_refs).toEqual([storedTo.id]);
    for (const d of [storedMsg, storedFrom, storedTo]) expect(d.id).toBe(expectedScoId(d as { type: string }));
    expect(storedMsg.id).not.toBe(submitted);
    expect(out.outcomes[0]).toMatchObject({ correctedFrom: submitted, id: storedMsg.id });
    expect(storedRel.target_ref).toBe(storedMsg.id);
  });

  it('re-importing what Cairn served keeps protected values, keys, ids and patterns as they are', () => {
    const addr = email('Daniel.Kim@proton.example');
    const ind = sdo('indicator', 11, {
      name: 'x',
      pattern: "[email-addr:value = 'daniel.kim@proton.example']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const first = run([addr, ind]).objects.map((o) => structuredClone(o.doc));
    const again = run(structuredClone(first));
    expect(again.issues).toEqual([]);
    const [a2, i2] = again.objects.map((o) => o.doc);
    expect(a2).toEqual(first[0]);
    expect(i2.pattern).toBe(first[1].pattern);
    expect(again.outcomes[0].correctedFrom).toBeUndefined();
  });

  it('keys the id of every object that held personal data for the publisher, and every reference follows; others keep theirs', () => {
    const ind = sdo('indicator', 21, { name: 'x', pattern: "[email-addr:value = 'ann@x.example']", pattern_type: 'stix', valid_from: T });
    const person = sdo('identity', 22, { name: 'Ann Lee', identity_class: 'individual' });
    const place = sdo('location', 23, { country: 'DE', street_address: '1 Main St' });
    const actor = sdo('threat-actor', 24, { name: 'Famous Chollima' });
    const rel = sdo('relationship', 25, { relationship_type: 'attributed-to', source_ref: person.id, target_ref: actor.id });
    const note = sdo('note', 26, { content: 'same person', object_refs: [ind.id, person.id, place.id, actor.id] });
    const submittedInd = structuredClone(ind);
    const out = run(structuredClone([ind, person, place, actor, rel, note]));
    expect(out.issues).toEqual([]);
    const docs = out.objects.map((o) => o.doc);
    const [i, p, l] = docs;
    for (const [k, submitted] of [ind.id, person.id, place.id].entries()) {
      expect(out.outcomes[k]).toMatchObject({ correctedFrom: submitted, reason: expect.stringContaining('keyed for this publisher') });
      expect(docs[k].id).not.toBe(submitted);
      expect(out.outcomes[k].id).toBe(docs[k].id);
    }
    expect([docs[3].id, docs[4].id, docs[5].id]).toEqual([actor.id, rel.id, note.id]);
    expect(docs[4].source_ref).toBe(p.id);
    expect(docs[5].object_refs).toEqual([i.id, p.id, l.id, actor.id]);
    // Deterministic for one publisher (new versions line up), another for another; kept when submitted again as served.
    expect(run([structuredClone(submittedInd)]).objects[0].doc.id).toBe(i.id);
    expect(run([structuredClone(submittedInd)], { publisherTenantId: '00000000-0000-4000-8000-00000000bbbb' }).objects[0].doc.id).not.toBe(
      i.id,
    );
    const again = run([{ ...structuredClone(submittedInd), id: i.id, modified: '2025-06-03T09:00:00.000Z' }]);
    expect(again.objects[0].doc.id).toBe(i.id);
    expect(again.outcomes[0].correctedFrom).toBeUndefined();
  });

  it('counts the distinct personal values submitted (what the lookup quota is charged), however often and in whatever form', () => {
    const ind = sdo('indicator', 31, {
      name: 'x',
      pattern: "[email-addr:value = 'Ann@X.example'] OR [email-addr:value = 'bo@x.example']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const out = run([
      email('ann@x.example'),
      email('ANN@x.example'),
      structuredClone(ind),
      sdo('identity', 32, { name: 'Ann Lee', identity_class: 'individual' }),
    ]);
    expect(out.protectedKeys.size).toBe(3);
    expect(run([sdo('threat-actor', 33, { name: 'Famous Chollima' })]).protectedKeys.size).toBe(0);
    // Shared raw, the values are still keyed (and indexed), so still counted.
    expect(run([ind], { keepRaw: true }).protectedKeys.size).toBe(2);
    // Already protected (a re-import of what Cairn served): no value submitted, nothing counted.
    expect(run(run([email('ann@x.example')]).objects.map((o) => o.doc)).protectedKeys.size).toBe(0);
  });

  it('with keepRaw keeps values and patterns but still records the keys', () => {
    const addr = email('a@b.example');
    const out = run([addr], { keepRaw: true });
    expect(out.objects[0].doc).toMatchObject({
      id: addr.id,
      value: 'a@b.example',
      extensions: { [PX]: { value: protectedKey('email', 'a@b.example', SECRET) } },
    });
    expect(out.outcomes[0].correctedFrom).toBeUndefined();
  });

  it('protects individual names, persona names, addresses and bank accounts', () => {
    const person = sdo('identity', 3, {
      name: 'Jane Q Public',
      identity_class: 'individual',
      contact_information: 'jane@x.example, +1 202 555 0101',
    });
    const place = sdo('location', 4, {
      country: 'US',
      street_address: '1 Main St',
      x_home_address: '2 Elm St',
      description: 'Laptop farm at 1 Main St',
    });
    const iban = { type: 'bank-account', spec_version: '2.1', iban: 'DE89370400440532013000' };
    const out = run([person, place, { ...iban, id: scoId(iban) }]);
    expect(out.issues).toEqual([]);
    const [p, l, b] = out.objects.map((o) => o.doc);
    const rendered = /^protected:[0-9a-f]{64}$/;
    expect(p).toMatchObject({ name: expect.stringMatching(rendered), contact_information: '[protected]' });
    expect(l).toMatchObject({
      street_address: expect.stringMatching(rendered),
      x_home_address: expect.stringMatching(rendered),
      description: 'Laptop farm at [protected]',
    });
    expect(Object.keys((l.extensions as Record<string, object>)[PX]).sort()).toEqual([
      'algorithm',
      'extension_type',
      'street_address',
      'x_home_address',
    ]);
    expect(b.iban).toBe(`protected:${protectedKey('bank-account', 'DE89370400440532013000', SECRET)}`);
    expect(b.id).toBe(expectedScoId(b as { type: string }));
    expect(JSON.stringify(out.objects)).not.toMatch(/Jane|Main St|Elm|DE8937/);
  });

  describe('personal data of objects that are not stored', () => {
    const NAME = 'Octavia Pemberwick';
    const STREET = '1313 Mockingbird Lane';
    const PHONE = '+44 20 7946 0958';
    const person = (props: Record<string, unknown> = {}) => sdo('identity', 11, { name: NAME, identity_class: 'individual', ...props });
    const place = (props: Record<string, unknown> = {}) => sdo('location', 12, { country: 'US', street_address: STREET, ...props });
    const indicator = () =>
      sdo('indicator', 13, {
        description: `Interviewed as ${NAME} of ${STREET}, call 020 7946 0958`,
        pattern: "[ipv4-addr:value = '198.51.100.77']",
        pattern_type: 'stix',
        valid_from: T,
      });
    const description = (out: ReturnType<typeof run>) => String(out.objects.find((o) => o.doc.type === 'indicator')!.doc.description);

    it('are still redacted from the objects kept when the objects holding them are refused', () => {
      const out = run([
        person({ created: 'yesterday', contact_information: PHONE }),
        place({ object_marking_refs: [tlpMarkingRef('RED')] }),
        indicator(),
      ]);
      expect(out.outcomes.map((o) => o.status)).toEqual(['REJECTED', 'REJECTED', 'CREATED']);
      expect(description(out)).not.toMatch(/Pemberwick|Mockingbird|7946/);
    });

    it('are redacted in a try without them, from the personal data of the whole submitted bundle (repair mode)', () => {
      const submitted = [person({ contact_information: `call ${PHONE}` }), place(), indicator()];
      const before = canonicalJson(submitted);
      const personal = personalDataOf([...submitted, 'not an object', sdo('indicator', 14, { pattern: '[unparsable' })], SECRET);
      expect(canonicalJson(submitted)).toBe(before);
      const alone = run([indicator()], { submittedPersonalData: [personal] });
      expect(description(alone)).not.toMatch(/Pemberwick|Mockingbird|7946/);
      // The guard: without them the try cannot know that the name is personal.
      expect(description(run([indicator()]))).toContain(NAME);
    });
  });

  it('redacts the publisher from free text, case-insensitively and on word boundaries, and from observable values (only timestamps and identifiers are exempt)', () => {
    const report = sdo('report', 5, {
      name: 'GLOBEX HEALTH incident',
      description: 'Seen by globex-health.example staff (Project Falcon); Globexian is fine',
      published: T,
      labels: ['globex health'],
      object_refs: ['indicator--00000000-0000-4000-8000-000000000099'],
      external_references: [
        { source_name: 'internal', description: 'Globex Health ticket', url: 'https://jira.globex-health.example/T-1' },
      ],
      x_notes: { author: 'Project falcon team' },
    });
    const domain = { type: 'domain-name', spec_version: '2.1', value: 'globex-health.example' };
    const out = run([report, { ...domain, id: scoId(domain) }]);
    const doc = out.objects[0].doc;
    expect(doc.name).toBe('[redacted] incident');
    expect(doc.description).toBe('Seen by [redacted] staff ([redacted]); Globexian is fine');
    expect(doc.labels).toEqual(['[redacted]']);
    expect(doc.external_references).toEqual([
      { source_name: 'internal', description: '[redacted] ticket', url: 'https://jira.[redacted]/T-1' },
    ]);
    expect(doc.x_notes).toEqual({ author: '[redacted] team' });
    expect(out.objects[1].doc.value).toBe('[redacted]');
    expect(out.externalRefs.has('indicator--00000000-0000-4000-8000-000000000099')).toBe(true);
  });

  it("drops the publisher's own identity and TLP definitions, attributes everything to the exchange", () => {
    const own = sdo('identity', 6, { name: 'Globex Health', identity_class: 'organization' });
    const ind = sdo('indicator', 7, {
      created_by_ref: own.id,
      pattern: "[ipv4-addr:value = '198.51.100.3']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const out = run([TLP2_MARKINGS.GREEN as unknown as Record<string, unknown>, own, ind]);
    expect(out.outcomes.map((o) => o.status)).toEqual(['SKIPPED', 'SKIPPED', 'CREATED']);
    expect(out.objects.map((o) => o.doc.id)).toEqual([ind.id]);
    expect(out.objects[0].doc.created_by_ref).toBe(CAIRN_IDENTITY_ID);
    expect(out.objects[0].doc.object_marking_refs).toEqual([tlpMarkingRef('AMBER')]);
  });

  it('skips an identity under the id of a crowd cell, which only the exchange serves, and references to it stay as they are', () => {
    const cell = cellIdentityId({ sector: 'healthcare', area: 'DE' });
    const squat = { ...sdo('identity', 8, { name: 'Klinikum Musterstadt GmbH', identity_class: 'organization' }), id: cell };
    const own = sdo('identity', 9, { name: 'Some other company', identity_class: 'organization' });
    const rel = sdo('relationship', 10, { relationship_type: 'related-to', source_ref: own.id, target_ref: cell });
    const out = run([squat, own, rel]);
    expect(out.issues).toEqual([]);
    expect(out.outcomes.map((o) => o.status)).toEqual(['SKIPPED', 'CREATED', 'CREATED']);
    expect(out.outcomes[0].reason).toMatch(/crowd cells/);
    expect(out.objects.map((o) => o.doc.id)).toEqual([own.id, rel.id]);
    expect(out.objects[1].doc.target_ref).toBe(cell);
  });

  it('uses the tenant identity when it chose to be named', () => {
    const ind = sdo('indicator', 8, { pattern: "[ipv4-addr:value = '198.51.100.3']", pattern_type: 'stix', valid_from: T });
    const out = run([ind], { publisher: { ...PUBLISHER, attribution: 'NAMED' } });
    expect(out.objects[0].doc.created_by_ref).toBe(PUBLISHER.stixIdentityId);
  });

  it('replaces a lower TLP marking by the sharing TLP and refuses a stricter one', () => {
    const low = sdo('indicator', 9, {
      object_marking_refs: [tlpMarkingRef('CLEAR')],
      pattern: "[ipv4-addr:value = '198.51.100.3']",
      pattern_type: 'stix',
      valid_from: T,
    });
    expect(run([low]).objects[0].doc.object_marking_refs).toEqual([tlpMarkingRef('AMBER')]);
    const high = { ...low, object_marking_refs: [tlpMarkingRef('RED')] };
    expect(run([high]).issues).toEqual([
      expect.objectContaining({ objectId: low.id, path: '$.objects[0].object_marking_refs', code: 'TLP_ABOVE_SHARING' }),
    ]);
    const partly = {
      ...low,
      object_marking_refs: undefined,
      granular_markings: [{ marking_ref: tlpMarkingRef('AMBER+STRICT'), selectors: ['pattern'] }],
    };
    expect(run([partly]).issues[0]).toMatchObject({ path: '$.objects[0].granular_markings[0].marking_ref', code: 'TLP_ABOVE_SHARING' });
  });

  it('corrects a wrong deterministic observable id and every reference to it', () => {
    const ip = { type: 'ipv4-addr', spec_version: '2.1', value: '198.51.100.3', id: 'ipv4-addr--11111111-1111-4111-8111-111111111111' };
    const obs = sdo('observed-data', 10, { first_observed: T, last_observed: T, number_observed: 1, object_refs: [ip.id] });
    const right = expectedScoId(ip)!;
    const out = run([ip, obs]); // takes the objects over: ip.id is rewritten in place
    expect(out.outcomes[0]).toMatchObject({
      id: right,
      correctedFrom: 'ipv4-addr--11111111-1111-4111-8111-111111111111',
      reason: expect.stringContaining('deterministic'),
    });
    expect(out.objects[1].doc.object_refs).toEqual([right]);
  });

  it('reports every validation issue with object and path, and prepares nothing', () => {
    const bad = sdo('indicator', 11, { pattern: '[ipv4-addr:value = ', pattern_type: 'stix', valid_from: 'yesterday' });
    const out = run([bad]);
    expect(out.objects).toEqual([]);
    expect(out.issues.map((i) => [i.objectId, i.path, i.code])).toEqual(
      expect.arrayContaining([
        [bad.id, '$.objects[0].pattern', 'INVALID_PATTERN'],
        [bad.id, '$.objects[0].valid_from', 'INVALID_TIMESTAMP'],
      ]),
    );
  });

  it('refuses bundles over the size limit before validating them', () => {
    const out = run(
      Array.from({ length: 3 }, (_, i) => email(`a${i}@b.example`)),
      { maxObjects: 2 },
    );
    expect(out.issues).toEqual([expect.objectContaining({ path: '$.objects', code: 'LIMIT_EXCEEDED' })]);
  });

  it('accepts what Cairn itself exported (already protected values)', () => {
    const first = run([email('a@b.example')]).objects[0].doc;
    const again = run([JSON.parse(JSON.stringify(first))]);
    expect(again.issues).toEqual([]);
    expect(again.objects[0].doc).toEqual(first);
  });
});
