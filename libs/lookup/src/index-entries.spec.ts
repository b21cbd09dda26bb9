import { CAIRN_PROTECTION_EXTENSION_ID, customObservable } from '@cairn/stix';
import { indexEntriesOf } from './index-entries';
import { parseIdentifier } from './identifier-input';
import { protectedKey } from '@cairn/intel';
import { rawIndexKey } from './index-keys';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const EMAIL_VECTOR = '2c46910eb745d3e2fa58a96dd424704b6c91e4e70e7845cbcb34fb57f29a8347';
const keys = (doc: Record<string, unknown>) =>
  indexEntriesOf(doc)
    .map((e) => `${e.kind} ${e.key}`)
    .sort();

describe('indexEntriesOf', () => {
  it('indexes identifier SCOs by their normalised value', () => {
    expect(keys({ type: 'email-addr', id: 'email-addr--1', value: ' Daniel.Kim@Proton.ME ' })).toEqual(['EMAIL daniel.kim@proton.me']);
    expect(keys({ type: 'ipv6-addr', value: '2001:0DB8::0:1' })).toEqual(['IPV6 2001:db8::1']);
    expect(keys({ type: 'domain-name', value: 'Careers.Example.' })).toEqual(['DOMAIN careers.example']);
    expect(keys(customObservable('phone-number', { value: '+1 (202) 555-0147' }))).toEqual(['PHONE +12025550147']);
    expect(keys({ type: 'user-account', account_type: 'github', account_login: 'Dev-Kim-7' })).toEqual(['HANDLE github:dev-kim-7']);
  });

  it('indexes file hashes under their algorithm, and ignores hashes that do not fit it', () => {
    const sha256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';
    expect(keys({ type: 'file', hashes: { 'SHA-256': sha256, MD5: 'd41d8cd98f00b204e9800998ecf8427e', 'SHA-1': 'tooshort' } })).toEqual([
      'MD5 d41d8cd98f00b204e9800998ecf8427e',
      `SHA256 ${sha256.toLowerCase()}`,
    ]);
  });

  it('indexes the positive equality tests of an indicator pattern, including handles and references', () => {
    const pattern =
      "[email-addr:value = 'A@Example.com' OR ipv4-addr:value IN ('198.51.100.3', '198.51.100.4')] AND " +
      "[user-account:account_type = 'github' AND user-account:account_login = 'kim'] AND " +
      "[email-message:from_ref.value = 'b@example.org' AND email-message:subject != 'skip@example.net'] AND [domain-name:value NOT = 'skip.example'] AND " +
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' AND file:name LIKE '%.pdf']";
    expect(keys({ type: 'indicator', pattern_type: 'stix', pattern })).toEqual([
      'EMAIL a@example.com',
      'EMAIL b@example.org',
      'HANDLE github:kim',
      'IPV4 198.51.100.3',
      'IPV4 198.51.100.4',
      'SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
  });

  it('never throws on odd documents: bad patterns, other pattern languages, wrong value types', () => {
    expect(keys({ type: 'indicator', pattern: '[broken' })).toEqual([]);
    expect(keys({ type: 'indicator', pattern_type: 'sigma', pattern: "[ipv4-addr:value = '198.51.100.3']" })).toEqual([]);
    expect(keys({ type: 'email-addr', value: 42 })).toEqual([]);
    expect(keys({ type: 'file', hashes: 'nope' })).toEqual([]);
    expect(keys({})).toEqual([]);
  });

  it('indexes protected values by the keys in the protection extension, per property, and never the rendering as a raw value', () => {
    const email = protectedKey('email', 'victim@example.com', SECRET);
    const name = protectedKey('person-name', 'jane doe', SECRET);
    const ext = (keys: Record<string, string>, algorithm = 'HMAC-SHA256') => ({
      [CAIRN_PROTECTION_EXTENSION_ID]: { extension_type: 'property-extension', algorithm, ...keys },
    });
    const doc = {
      type: 'email-addr',
      value: `${email}@protected.invalid`,
      display_name: `protected:${name}`,
      extensions: ext({ value: email, display_name: name }),
    };
    expect(keys(doc)).toEqual([`EMAIL hmac:${email}`, `PERSON_NAME hmac:${name}`]);
    expect(keys({ type: 'url', value: `mailto:${email}@protected.invalid`, extensions: ext({ value: email }) })).toEqual([
      `EMAIL hmac:${email}`,
    ]);
    expect(keys({ type: 'persona', persona_name: `protected:${name}`, extensions: ext({ persona_name: name }) })).toEqual([
      `PERSON_NAME hmac:${name}`,
    ]);
    expect(keys({ type: 'email-addr', value: `${email}@protected.invalid`, extensions: ext({ value: email }, 'SHA1') })).toEqual([]);
  });

  it('indexes patterns that compare protected renderings, directly and through email-message references', () => {
    const email = protectedKey('email', 'victim@example.com', SECRET);
    const phone = protectedKey('phone', '+12025550147', SECRET);
    const pattern =
      `[email-addr:value = '${email}@protected.invalid' OR phone-number:value IN ('protected:${phone}')] AND ` +
      `[email-message:from_ref.value = '${email}@protected.invalid']`;
    expect(keys({ type: 'indicator', pattern_type: 'stix', pattern })).toEqual([`EMAIL hmac:${email}`, `PHONE hmac:${phone}`]);
  });

  it("indexes patterns on the protection extension's own path (the key itself), as the STIX grammar writes an extension property", () => {
    const email = protectedKey('email', 'victim@example.com', SECRET);
    const name = protectedKey('person-name', 'jane doe', SECRET);
    const ext = `extensions.'${CAIRN_PROTECTION_EXTENSION_ID}'`;
    const pattern = `[email-addr:${ext}.value = '${email}' OR persona:${ext}.persona_name = '${name}'] AND [email-message:from_ref.${ext}.value = '${email}']`;
    expect(keys({ type: 'indicator', pattern_type: 'stix', pattern })).toEqual([`EMAIL hmac:${email}`, `PERSON_NAME hmac:${name}`]);
    expect(keys({ type: 'indicator', pattern_type: 'stix', pattern: `[email-addr:${ext}.value = 'not-a-key']` })).toEqual([]);
  });

  it('indexes protected values by the keys in the legacy x_cairn_protected (documents stored before the extension), and never the placeholder', () => {
    const email = protectedKey('email', 'victim@example.com', SECRET);
    const name = protectedKey('person-name', 'jane doe', SECRET);
    const doc = {
      type: 'email-addr',
      value: '[protected]',
      display_name: '[protected]',
      x_cairn_protected: { algorithm: 'HMAC-SHA256', value: email, display_name: name },
    };
    expect(keys(doc)).toEqual([`EMAIL hmac:${email}`, `PERSON_NAME hmac:${name}`]);
    expect(
      keys({ type: 'persona', persona_name: '[protected]', x_cairn_protected: { algorithm: 'HMAC-SHA256', persona_name: name } }),
    ).toEqual([`PERSON_NAME hmac:${name}`]);
    expect(
      keys({ type: 'location', x_cairn_protected: { algorithm: 'HMAC-SHA256', x_home_address: name, street_address: email } }),
    ).toEqual([`POSTAL_ADDRESS hmac:${email}`, `POSTAL_ADDRESS hmac:${name}`]);
    expect(keys({ type: 'email-addr', x_cairn_protected: { algorithm: 'SHA1', value: email } })).toEqual([]);
    expect(keys({ type: 'email-addr', x_cairn_protected: { algorithm: 'HMAC-SHA256', value: 'not-hex' } })).toEqual([]);
  });

  it('indexes indicator patterns the publishing pipeline rewrote to compare keys', () => {
    const email = protectedKey('email', 'victim@example.com', SECRET);
    const phone = protectedKey('phone', '+12025550147', SECRET);
    const pattern =
      `[email-addr:x_cairn_protected.value = '${email}' OR phone-number:x_cairn_protected.value IN ('${phone}')] AND ` +
      `[email-message:from_ref.x_cairn_protected.value = '${email}' AND email-message:to_refs[*].x_cairn_protected.value = '${phone}']`;
    expect(keys({ type: 'indicator', pattern_type: 'stix', pattern })).toEqual([
      `EMAIL hmac:${email}`,
      `EMAIL hmac:${phone}`,
      `PHONE hmac:${phone}`,
    ]);
  });

  it('keys very long values by their SHA-256 so that every key fits the btree', () => {
    const url = `https://example.com/${'a'.repeat(1500)}`;
    const [entry] = indexEntriesOf({ type: 'url', value: url });
    expect(entry.key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(entry.key).toBe(rawIndexKey(url));
  });
});

describe('parseIdentifier agrees with the index', () => {
  it.each([
    ['  Daniel.Kim@Proton.ME', { type: 'email-addr', value: 'daniel.kim@proton.me' }],
    ['+1 (202) 555-0147', customObservable('phone-number', { value: '+12025550147' })],
    ['github.com/Dev-Kim-7', { type: 'user-account', account_type: 'github', account_login: 'dev-kim-7' }],
    ['2001:db8:0:0::1', { type: 'ipv6-addr', value: '2001:db8::1' }],
  ])('%p finds the stored object by its raw key', (input, doc) => {
    const parsed = parseIdentifier(input, SECRET);
    const stored = indexEntriesOf(doc as Record<string, unknown>);
    expect(parsed.keys.some((k) => stored.some((s) => s.kind === k.kind && s.key === k.key))).toBe(true);
  });

  it('finds a protected e-mail by the HMAC of its normalised value', () => {
    const hmac = protectedKey('email', 'victim@example.com', SECRET);
    const stored = indexEntriesOf({
      type: 'email-addr',
      value: '[protected]',
      x_cairn_protected: { value: hmac, algorithm: 'HMAC-SHA256' },
    });
    const parsed = parseIdentifier(' VICTIM@example.com ', SECRET);
    expect(parsed.keys).toContainEqual(stored[0]);
    expect(parseIdentifier('victim@example.com', 'another-secret-0123456789abcdef0123').keys).not.toContainEqual(stored[0]);
  });

  it('a protected rendering (or its key) looked up finds nothing: only the raw value does', () => {
    const hmac = protectedKey('email', 'victim@example.com', SECRET);
    const stored = indexEntriesOf({
      type: 'email-addr',
      value: `${hmac}@protected.invalid`,
      extensions: { [CAIRN_PROTECTION_EXTENSION_ID]: { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', value: hmac } },
    });
    const hits = (input: string) =>
      parseIdentifier(input, SECRET).keys.filter((k) => stored.some((s) => s.kind === k.kind && s.key === k.key));
    expect(hits(`${hmac}@protected.invalid`)).toEqual([]);
    expect(hits(hmac)).toEqual([]);
    expect(hits('victim@example.com')).toHaveLength(1);
  });

  it('answers UNKNOWN with a reason for values it cannot parse', () => {
    expect(parseIdentifier('hello world', SECRET)).toMatchObject({
      type: 'UNKNOWN',
      keys: [],
      error: expect.stringMatching(/not a recognised identifier/),
    });
    expect(parseIdentifier('202-555-0147', SECRET)).toMatchObject({
      type: 'UNKNOWN',
      error: expect.stringMatching(/phone number.*country code/),
    });
    expect(parseIdentifier('', SECRET)).toMatchObject({ type: 'UNKNOWN', error: 'empty value' });
    expect(parseIdentifier('a'.repeat(5000), SECRET).type).toBe('UNKNOWN');
  });

  it('hashes only personal data: network indicators have a raw key alone', () => {
    expect(parseIdentifier('198.51.100.3', SECRET).keys).toEqual([{ kind: 'IPV4', key: '198.51.100.3' }]);
    expect(parseIdentifier('+44 20 7946 0958', SECRET).keys.map((k) => k.key)).toEqual([
      '+442079460958',
      `hmac:${protectedKey('phone', '+442079460958', SECRET)}`,
    ]);
  });

  it('hashes exactly as the publishing pipeline does: HMAC-SHA-256 of "<kind>:<normalised>"', () => {
    // Vector computed independently: printf 'email:victim@example.com' | openssl dgst -sha256 -hmac <SECRET>
    expect(protectedKey('email', 'victim@example.com', SECRET)).toBe(EMAIL_VECTOR);
  });
});
