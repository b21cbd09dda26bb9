import { CAIRN_PROTECTION_EXTENSION_ID, parsePattern, scoId, validateBundle } from '@cairn/stix';
import { protectedKey } from '../protect/protected-key';
import { preparePublication } from './prepare';
import type { PublisherFacts } from '../anonymise/identities';

// Redaction and protection as a hostile member would try to get around them: look-alike spellings,
// keys, text behind a timestamp, side paths for personal data — and the false positive of a login
// that merely resembles a display name.

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const T = '2025-06-02T09:00:00.000Z';
const PUBLISHER: PublisherFacts = {
  name: 'Globex Health',
  domains: ['globex-health.example'],
  redactionTerms: ['Project Falcon'],
  attribution: 'ANONYMOUS',
  stixIdentityId: 'identity--6b0c2c1e-8d5e-4c6e-9a51-8f3d2f5b0a11',
};
let n = 0;
const sdo = (type: string, props: Record<string, unknown>) => ({
  type,
  spec_version: '2.1',
  id: `${type}--00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  created: T,
  modified: T,
  ...props,
});
const sco = (type: string, props: Record<string, unknown>) => {
  const o = { type, spec_version: '2.1', ...props };
  return { ...o, id: scoId(o) };
};
const ind = (pattern: string, pattern_type = 'stix', props: Record<string, unknown> = {}) =>
  sdo('indicator', { pattern, pattern_type, valid_from: T, ...props });

function prepare(objects: Array<Record<string, unknown>>) {
  const bundle = { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects };
  expect(validateBundle(bundle)).toEqual([]);
  const out = preparePublication({
    bundle,
    publisher: PUBLISHER,
    publisherTenantId: '00000000-0000-4000-8000-00000000aaaa',
    tlp: 'AMBER',
    keepRaw: false,
    secret: SECRET,
    maxObjects: 100,
  });
  expect(out.issues).toEqual([]);
  return out.objects.map((o) => o.doc);
}
const text = (docs: unknown) => JSON.stringify(docs);

describe('redaction of the publisher', () => {
  it.each([
    ['full-width', 'ＧＬＯＢＥＸ ＨＥＡＬＴＨ'],
    ['spaced letters', 'G l o b e x  H e a l t h'],
    ['mixed case and hyphen', 'gLoBeX-hEaLtH'],
    ['no space', 'GlobexHealth'],
    ['zero-width space inside', 'Glo\u200bbex Health'],
    ['soft hyphen inside', 'Glo\u00adbex Heal\u00adth'],
    ['no-break space', 'Globex\u00a0Health'],
    ['Cyrillic look-alikes', 'Gl\u043ebex He\u0430lth'],
    ['combining marks', 'Glo\u0301bex He\u0308alth'],
    ['mathematical bold', '\u{1d406}\u{1d425}\u{1d428}\u{1d41b}\u{1d41e}\u{1d431} Health'],
    ['the redaction term in other case', 'PROJECT-falcon'],
    ['the domain in full-width', 'ｇｌｏｂｅｘ－ｈｅａｌｔｈ．ｅｘａｍｐｌｅ'],
  ])('removes a look-alike spelling (%s) from free text', (_label, spelling) => {
    const [doc] = prepare([
      sdo('note', {
        content: `Seen by ${spelling} staff`,
        abstract: spelling,
        object_refs: [PUBLISHER.stixIdentityId.replace('6b0c', '6b0d')],
      }),
    ]);
    expect(doc.content).toBe('Seen by [redacted] staff');
    expect(doc.abstract).toBe('[redacted]');
  });

  it('does not redact words that only start with a term', () => {
    const [doc] = prepare([
      sdo('note', { content: 'Globexian and Healthy', object_refs: ['indicator--00000000-0000-4000-8000-0000000000ff'] }),
    ]);
    expect(doc.content).toBe('Globexian and Healthy');
  });

  it('scrubs free text that starts with a timestamp', () => {
    const [doc] = prepare([
      sdo('note', {
        content: '2025-06-02T09:00:00Z Globex Health interviewed Jane at jane.roe@mail.example, call +1 202 555 0143',
        object_refs: ['indicator--00000000-0000-4000-8000-0000000000ff'],
      }),
    ]);
    expect(doc.content).toBe('2025-06-02T09:00:00Z [redacted] interviewed Jane at [protected], call [protected]');
  });

  it('exempts only values the schema types as timestamps or identifiers, and only when they are one', () => {
    const [doc] = prepare([
      sdo('indicator', {
        pattern: "[ipv4-addr:value = '198.51.100.3']",
        pattern_type: 'stix',
        valid_from: T,
        x_seen_at: '2025-06-02T09:00:00Z by globex health',
        x_owner_ref: 'identity--00000000-0000-4000-8000-0000000000aa',
        external_references: [{ source_name: 'Globex Health', external_id: 'Globex Health-1' }],
      }),
    ]);
    expect(doc).toMatchObject({ created: T, modified: T, valid_from: T, x_owner_ref: 'identity--00000000-0000-4000-8000-0000000000aa' });
    expect(doc.x_seen_at).toBe('2025-06-02T09:00:00Z by [redacted]');
    expect(doc.external_references).toEqual([{ source_name: '[redacted]', external_id: '[redacted]-1' }]);
  });

  it('rewrites keys that name the publisher or hold personal data, deterministically and validly on collision', () => {
    const make = () =>
      sdo('indicator', {
        id: 'indicator--00000000-0000-4000-8000-0000000000a1',
        pattern: "[ipv4-addr:value = '198.51.100.3']",
        pattern_type: 'stix',
        valid_from: T,
        x_globex_health_score: 7,
        x_meta: {
          'Globex Health internal': 1,
          'Project Falcon internal': 2,
          'jane.roe@mail.example': 1,
          '+44 20 7946 0958': 'mobile',
          redacted_internal: 3,
          nested: [{ 'ＧＬＯＢＥＸ ＨＥＡＬＴＨ notes': 'x' }],
        },
      });
    const [a] = prepare([make()]);
    const [b] = prepare([make()]);
    expect(a).toEqual(b);
    expect(a.x_redacted_score).toBe(7);
    expect(a.x_meta).toEqual({
      'redacted internal': 1,
      'redacted internal_2': 2,
      protected: 1,
      protected_2: 'mobile',
      redacted_internal: 3,
      nested: [{ 'redacted notes': 'x' }],
    });
    expect(text(a).toLowerCase()).not.toMatch(/globex|falcon|jane|7946/);
  });

  it('renames a property in granular-marking selectors as its key is renamed', () => {
    const [doc] = prepare([
      sdo('indicator', {
        pattern: "[ipv4-addr:value = '198.51.100.3']",
        pattern_type: 'stix',
        valid_from: T,
        x_globex_health_notes: ['a', 'b'],
        granular_markings: [
          { marking_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', selectors: ['x_globex_health_notes.[1]'] },
        ],
      }),
    ]);
    expect(doc.granular_markings).toEqual([
      { marking_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', selectors: ['x_redacted_notes.[1]'] },
    ]);
    expect(validateBundle({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000002', objects: [doc] })).toEqual([]);
  });

  it('scrubs extensions, nested lists and custom objects, and keeps extension ids as keys', () => {
    const ext = 'extension-definition--00000000-0000-4000-8000-0000000000e1';
    const [doc] = prepare([
      sdo('indicator', {
        pattern: "[ipv4-addr:value = '198.51.100.3']",
        pattern_type: 'stix',
        valid_from: T,
        extensions: {
          [ext]: {
            extension_type: 'property-extension',
            x_owner: 'Globex Health SOC',
            x_contacts: [['soc@globex-health.example', { x_deep: 'Project Falcon' }]],
          },
        },
      }),
    ]);
    expect(doc.extensions).toEqual({
      [ext]: { extension_type: 'property-extension', x_owner: '[redacted] SOC', x_contacts: [['[protected]', { x_deep: '[redacted]' }]] },
    });
  });

  it('keeps only extension-definition ids under extensions as keys: an id-shaped key anywhere else that names the publisher is scrubbed', () => {
    const [doc] = prepare([
      sdo('note', {
        content: 'x',
        object_refs: ['indicator--00000000-0000-4000-8000-0000000000ff'],
        x_meta: { 'globex-health--00000000-0000-4000-8000-0000000000e2': 1 },
      }),
    ]);
    expect(text(doc).toLowerCase()).not.toContain('globex');
  });

  it('redacts observable values and STIX pattern literals and property names, and the pattern still parses', () => {
    const [indicator, domain] = prepare([
      ind("[domain-name:value = 'login.globex-health.example'] AND [x-custom:x_globex_health = 'Globex Health']"),
      sco('domain-name', { value: 'login.globex-health.example' }),
    ]);
    expect(indicator.pattern).toContain("[domain-name:value = 'login.[redacted]']");
    expect(indicator.pattern).toContain("[x-custom:x_redacted = '[redacted]']");
    expect(() => parsePattern(indicator.pattern as string)).not.toThrow();
    expect(domain.value).toBe('login.[redacted]');
  });
});

describe('personal data on side paths', () => {
  const key = (v: string) => protectedKey('email', v, SECRET);

  it.each(['sigma', 'yara', 'snort', 'suricata', 'pcre', 'spl', 'x-custom-rule'])(
    'scrubs e-mail addresses and phones from %s patterns',
    (type) => {
      const [doc] = prepare([
        ind(`rule { from: "Lead.Person@Mail.Example" or "+1 (202) 555-0143" } mail lead.person[at]mail[dot]example`, type),
      ]);
      expect(doc.pattern).toBe('rule { from: "[protected]" or "[protected]" } mail [protected]');
    },
  );

  it('scrubs email-message header fields, subject, body and received lines', () => {
    const from = sco('email-addr', { value: 'sender@mail.example' });
    const [, msg] = prepare([
      from,
      sco('email-message', {
        is_multipart: false,
        from_ref: from.id,
        subject: 'From reply.person@mail.example',
        body: 'call +44 20 7946 0958',
        received_lines: ['from relay (helo reply.person@mail.example)'],
        message_id: '<abc.def@mail.example>',
        additional_header_fields: { 'Reply-To': 'Reply.Person@Mail.Example', 'X-Forwarded-For': ['fwd.person@mail.example', 'ok'] },
      }),
    ]);
    expect(text(msg).toLowerCase()).not.toMatch(/reply\.person|fwd\.person|abc\.def|7946/);
    expect(msg.additional_header_fields).toEqual({ 'Reply-To': '[protected]', 'X-Forwarded-For': ['[protected]', 'ok'] });
  });

  it('protects a mailto: URL and e-mail logins and ids of accounts as e-mail addresses (keyed, findable)', () => {
    const docs = prepare([
      sco('url', { value: 'mailto:Url.Person@Mail.Example?subject=hi' }),
      sco('user-account', { account_type: 'email', account_login: 'Login.Person@mail.example', user_id: 'id.person@mail.example' }),
      ind("[url:value = 'mailto:url.person@mail.example'] AND [user-account:account_login = 'login.person@mail.example']"),
      ind(
        "[user-account:user_id = 'id.person@mail.example'] OR [email-message:additional_header_fields.'Reply-To' = 'reply.person@mail.example']",
      ),
    ]);
    const [url, account, i1, i2] = docs;
    const [u, l, d] = ['url.person@mail.example', 'login.person@mail.example', 'id.person@mail.example'].map(key);
    expect(url).toMatchObject({ value: `mailto:${u}@protected.invalid`, extensions: { [CAIRN_PROTECTION_EXTENSION_ID]: { value: u } } });
    expect(account).toMatchObject({
      account_login: `${l}@protected.invalid`,
      user_id: `${d}@protected.invalid`,
      extensions: { [CAIRN_PROTECTION_EXTENSION_ID]: { account_login: l, user_id: d } },
    });
    expect(i1.pattern).toContain(`url:value = 'mailto:${u}@protected.invalid'`);
    expect(i1.pattern).toContain(`user-account:account_login = '${l}@protected.invalid'`);
    expect(i2.pattern).toContain(`user-account:user_id = '${d}@protected.invalid'`);
    expect(i2.pattern).toContain("additional_header_fields.'Reply-To' = '[protected]'");
    expect(text(docs).toLowerCase()).not.toMatch(/\.person/);
  });

  it('scrubs phones and IBANs written only in free text, in any format', () => {
    const [doc] = prepare([
      sdo('note', {
        content:
          'Call +1 202 555 0143, (202) 555-0178, 0044 20 7946 0958 or ＋１ ２０２ ５５５ ０１９９; pay to GB29 NWBK 6016 1331 9268 19 or DE89370400440532013000.',
        abstract: 'also 2025550143 and 202 555 0143',
        object_refs: ['indicator--00000000-0000-4000-8000-0000000000ff'],
      }),
    ]);
    expect(doc.content).toBe('Call [protected], [protected], [protected] or [protected]; pay to [protected] or [protected].');
    expect(doc.abstract).toBe('also [protected] and [protected]');
  });

  it('leaves network indicators, hashes, dates and versions alone', () => {
    const body =
      'ip 198.51.100.3, sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855, on 2025-06-02, v10.0.19041.1234, port 8080, lodash@4.17.21, snort |00 01 02 03 04 05 06 07|';
    const [doc] = prepare([sdo('note', { content: body, object_refs: ['indicator--00000000-0000-4000-8000-0000000000ff'] })]);
    expect(doc.content).toBe(body);
  });

  it('protects the display name that is personal data, not the login that resembles it', () => {
    const docs = prepare([
      sco('user-account', { account_type: 'github', account_login: 'jqa-dev-2024', display_name: 'Jqa Dev' }),
      sco('user-account', { account_type: 'github', account_login: 'jqa_dev.backup', display_name: 'Jqa' }),
      ind("[user-account:account_type = 'github' AND user-account:account_login = 'jqa-dev-2024']", 'stix', {
        description: 'Jqa Dev applied as jqa-dev-2024; JQA DEV again.',
      }),
    ]);
    expect(docs[0]).toMatchObject({
      account_login: 'jqa-dev-2024',
      display_name: `protected:${protectedKey('person-name', 'jqa dev', SECRET)}`,
    });
    expect(docs[1]).toMatchObject({
      account_login: 'jqa_dev.backup',
      display_name: `protected:${protectedKey('person-name', 'jqa', SECRET)}`,
    });
    expect(docs[2].pattern).toBe("[user-account:account_type = 'github' AND user-account:account_login = 'jqa-dev-2024']");
    expect(docs[2].description).toBe('[protected] applied as jqa-dev-2024; [protected] again.');
  });

  it('drops text smuggled in the protection extension', () => {
    const [doc] = prepare([
      sdo('note', {
        content: 'x',
        object_refs: ['indicator--00000000-0000-4000-8000-0000000000ff'],
        extensions: {
          [CAIRN_PROTECTION_EXTENSION_ID]: {
            extension_type: 'property-extension',
            algorithm: 'HMAC-SHA256',
            content: 'smuggled.person@mail.example',
            globex_health: 'a'.repeat(64),
          },
        },
      }),
    ]);
    expect(text(doc).toLowerCase()).not.toMatch(/smuggled|globex/);
    expect(doc.extensions).toBeUndefined();
  });

  it('keeps a rendering only beside its own key: a raw address claiming a key is protected anew', () => {
    const forged = sco('email-addr', {
      value: 'victim.person@mail.example',
      extensions: {
        [CAIRN_PROTECTION_EXTENSION_ID]: { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', value: 'b'.repeat(64) },
      },
    });
    const [doc] = prepare([forged]);
    expect(doc.value).toBe(`${key('victim.person@mail.example')}@protected.invalid`);
    expect(text(doc)).not.toMatch(/victim|bbbb/);
  });

  it('drops text smuggled in x_cairn_protected', () => {
    const [doc] = prepare([
      sdo('note', {
        content: 'x',
        object_refs: ['indicator--00000000-0000-4000-8000-0000000000ff'],
        x_cairn_protected: { algorithm: 'HMAC-SHA256', content: 'smuggled.person@mail.example', 'Globex Health': 'a'.repeat(64) },
      }),
    ]);
    expect(text(doc).toLowerCase()).not.toMatch(/smuggled|globex/);
  });
});
