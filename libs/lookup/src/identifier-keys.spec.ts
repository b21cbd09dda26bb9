import { protectedKey } from '@cairn/intel';
import { identifierKeys, normaliseField, type ApplicantField, type FieldOptions } from './identifier-keys';

const SECRET = 'test-secret-for-identifier-keys';
const out = (field: ApplicantField, value: string, opts?: FieldOptions) => {
  const n = normaliseField(field, value, opts);
  return n.ok ? n.normalised : `ERR ${n.reason}`;
};

// One table per identifier type: the same person written differently must come out the same.
describe('normaliseField: the same identifier however it is written', () => {
  it.each([
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+44.20.7946.0958', '+442079460958'],
    ['+49 (0)30 1234 5678', '+493012345678'],
    ['+1 (202) 555-0147', '+12025550147'],
    ['+1 202 555 0147 ext. 12', '+12025550147'],
    ['+61 (0)2 9374 4000', '+61293744000'],
    ['+39 06 1234 5678', '+390612345678'], // Italy keeps its leading 0
  ])('phone %p → %p', (input, e164) => expect(out('PHONE', input)).toBe(e164));

  it.each([
    ['020 7946 0958', 'GB', '+442079460958'],
    ['(202) 555-0147', 'US', '+12025550147'],
    ['030 12345678', 'de', '+493012345678'],
  ])('phone %p read in %s → %p', (input, country, e164) => expect(out('PHONE', input, { country })).toBe(e164));

  it.each([
    ['020 7946 0958', /country code/],
    ['+1 202 555 01x7', /digits/],
    ['+0123456789', /start with 0/],
    ['call me', /country code/],
  ])('phone refuses %p with a reason', (input, reason) => expect(out('PHONE', input)).toMatch(reason));
  it('phone refuses an unknown default country', () => expect(out('PHONE', '020 7946 0958', { country: 'UKK' })).toMatch(/ISO 3166/));

  it.each([
    ['Dan.Kim+jobs@Gmail.com', 'dankim@gmail.com'],
    ['d.a.n.kim@googlemail.com', 'dankim@gmail.com'],
    ['DanKim@GMAIL.COM', 'dankim@gmail.com'],
    ['dan.kim+x@outlook.com', 'dan.kim@outlook.com'],
    ['dan.kim+cv@protonmail.com', 'dan.kim@proton.me'],
    ['dan.kim@pm.me', 'dan.kim@proton.me'],
    ['dan.kim+tag@example.co.uk', 'dan.kim+tag@example.co.uk'], // elsewhere + may be part of the mailbox
    ['kim@bücher.example', 'kim@xn--bcher-kva.example'],
    ['kim@MÜNCHEN.de', 'kim@xn--mnchen-3ya.de'],
  ])('e-mail %p → %p', (input, canonical) => expect(out('EMAIL', input)).toBe(canonical));
  it.each([
    ['kim.example.com', /exactly one @/],
    ['+tag@gmail.com', /empty/],
    ['a b@example.com', /invalid characters/],
  ])('e-mail refuses %p with a reason', (input, reason) => expect(out('EMAIL', input)).toMatch(reason));

  it.each([
    ['github', 'Dev-Kim', 'github:dev-kim'],
    ['GitHub', '@Dev-Kim', 'github:dev-kim'],
    ['github', 'https://github.com/Dev-Kim/some-repo?tab=readme', 'github:dev-kim'],
    ['github', 'www.github.com/dev-kim/', 'github:dev-kim'],
    ['telegram', '@Kim_Dev_99', 'telegram:kim_dev_99'],
    ['tg', 'https://t.me/s/Kim_Dev_99', 'telegram:kim_dev_99'],
    ['telegram', 'tg://resolve?domain=Kim_Dev_99', 'telegram:kim_dev_99'],
    ['linkedin', 'https://uk.linkedin.com/in/Daniel-Kim-8a1b2c/', 'linkedin:daniel-kim-8a1b2c'],
    ['linkedin', 'daniel-kim-8a1b2c', 'linkedin:daniel-kim-8a1b2c'],
    ['x', 'https://x.com/KimDev', 'twitter:kimdev'],
  ])('handle on %s %p → %p', (platform, value, handle) => expect(out('HANDLE', value, { platform })).toBe(handle));
  it.each([
    ['github', 'https://t.me/kim_dev_99', /telegram handle given as github/],
    ['myspace', 'kim', /unknown platform/],
    ['telegram', '@abc', /not a valid telegram handle/],
    ['linkedin', 'https://www.linkedin.com/company/acme', /no linkedin handle/],
    ['github', 'a--b', /not a valid github handle/],
  ])('handle on %s refuses %p with a reason', (platform, value, reason) => expect(out('HANDLE', value, { platform })).toMatch(reason));
  it('a handle without a platform apart reads the platform from the value', () =>
    expect(out('HANDLE', 'github:Dev-Kim')).toBe('github:dev-kim'));

  const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  it.each([
    [sha.toUpperCase(), sha],
    [`sha256:${sha}`, sha],
    ['47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', sha],
  ])('résumé hash %p → %p', (input, hex) => expect(out('RESUME_HASH', input)).toBe(hex));
  it.each([
    ['d41d8cd98f00b204e9800998ecf8427e', /MD5 digest, not SHA-256/],
    ['not-a-hash', /SHA-256/],
  ])('résumé hash refuses %p', (input, reason) => expect(out('RESUME_HASH', input)).toMatch(reason));

  it.each([
    [' 198.51.100.3 ', '198.51.100.3'],
    ['::ffff:198.51.100.3', '198.51.100.3'],
    ['[2001:DB8:0:0::1]', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
  ])('IP %p → %p', (input, ip) => expect(out('IP', input)).toBe(ip));
  it.each(['198.051.100.3', '256.1.1.1', 'fe80::1%eth0', 'example.com'])('IP refuses %p', (input) =>
    expect(out('IP', input)).toMatch(/^ERR not an IP address/),
  );
  it('IP kind follows the family', () => {
    expect(normaliseField('IP', '::ffff:198.51.100.3')).toMatchObject({ kind: 'IPV4' });
    expect(normaliseField('IP', '2001:db8::1')).toMatchObject({ kind: 'IPV6' });
  });

  it.each([
    ['0x52908400098527886E0F7030069857D2E4169EE7', '0x52908400098527886e0f7030069857d2e4169ee7'],
    ['ethereum:0x52908400098527886E0F7030069857D2E4169EE7@1', '0x52908400098527886e0f7030069857d2e4169ee7'],
    ['BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    ['bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?amount=0.1', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'], // base58 is case-sensitive
  ])('wallet %p → %p', (input, wallet) => expect(out('WALLET', input)).toBe(wallet));
  it.each(['bc1qAR0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', '0x1234', 'hello'])('wallet refuses %p', (input) =>
    expect(out('WALLET', input)).toMatch(/^ERR not a Bitcoin/),
  );

  it.each([
    ['  Daniel   KIM ', 'daniel kim'],
    ['Ｄａｎｉｅｌ Kim', 'daniel kim'],
  ])('name %p → %p', (input, name) => expect(out('NAME', input)).toBe(name));
  it('address is NFKC, lower-case, single-spaced', () =>
    expect(out('ADDRESS', ' 12  Baker Street,\nLondon ')).toBe('12 baker street, london'));

  it.each([
    ['', /empty/],
    ['x'.repeat(3000), /longer than/],
  ])('refuses %p in every field', (input, reason) => {
    for (const f of ['EMAIL', 'PHONE', 'HANDLE', 'NAME'] as const) expect(out(f, input)).toMatch(reason);
  });
});

describe('identifierKeys', () => {
  it('personal data: the keyed hash of the canonical form and of the form it was keyed under before', () => {
    const n = normaliseField('PHONE', '+44 (0)20 7946 0958');
    if (!n.ok) throw new Error(n.reason);
    expect(n.legacy).toEqual(['+4402079460958']);
    expect(identifierKeys(n, SECRET)).toEqual([
      { kind: 'PHONE', key: '+442079460958' },
      { kind: 'PHONE', key: `hmac:${protectedKey('phone', '+442079460958', SECRET)}` },
      { kind: 'PHONE', key: `hmac:${protectedKey('phone', '+4402079460958', SECRET)}` },
    ]);
  });
  it('names and addresses: keyed hashes only; network indicators: raw only', () => {
    const name = normaliseField('NAME', 'Daniel Kim');
    const ip = normaliseField('IP', '198.51.100.3');
    if (!name.ok || !ip.ok) throw new Error('fixture');
    expect(identifierKeys(name, SECRET)).toEqual([
      { kind: 'PERSON_NAME', key: `hmac:${protectedKey('person-name', 'daniel kim', SECRET)}` },
    ]);
    expect(identifierKeys(ip, SECRET)).toEqual([{ kind: 'IPV4', key: '198.51.100.3' }]);
  });
});
