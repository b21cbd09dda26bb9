import { detectIdentifierType, normaliseAs, normaliseIdentifier } from './detect';
import { normaliseDomain, normaliseUrl } from './domain';
import { normaliseEmail } from './email';
import { normaliseHandle } from './handle';
import { normaliseHash } from './hash';
import { normaliseIpv4, normaliseIpv6 } from './ip';
import { normalisePhone } from './phone';

const value = (r: { ok: boolean; value?: string; reason?: string }) => (r.ok ? r.value : `ERR ${r.reason}`);

describe('normaliseEmail', () => {
  it.each([
    ['  Daniel.Kim@Proton.ME ', 'daniel.kim@proton.me'],
    ['a+tag@sub.example.co.uk', 'a+tag@sub.example.co.uk'],
    ['user@bücher.example', 'user@xn--bcher-kva.example'],
  ])('%p → %p', (input, out) => expect(value(normaliseEmail(input))).toBe(out));

  it.each([
    'no-at.example.com',
    'a@b@c.com',
    '@example.com',
    'a@localhost',
    'a b@example.com',
    'a..b@example.com',
    `${'a'.repeat(65)}@example.com`,
  ])('refuses %p', (input) => expect(normaliseEmail(input).ok).toBe(false));
});

describe('normalisePhone', () => {
  it.each([
    ['+1 (202) 555-0147', '+12025550147'],
    ['0049 30 1234 5678', '+493012345678'],
    ['+44.20.7946.0958', '+442079460958'],
  ])('%p → %p', (input, out) => expect(value(normalisePhone(input))).toBe(out));

  it.each([
    ['202-555-0147', /country code/],
    ['+1 202 555 01x7', /digits/],
    ['+1234567', /8 to 15/],
    ['+1234567890123456', /8 to 15/],
    ['+0123456789', /start with 0/],
  ])('refuses %p with a reason', (input, reason) => {
    const r = normalisePhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('normaliseIpv4 / normaliseIpv6', () => {
  it.each([
    [' 198.51.100.3 ', '198.51.100.3'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['198.51.100.3/32', '198.51.100.3'],
  ])('IPv4 %p → %p', (input, out) => expect(value(normaliseIpv4(input))).toBe(out));

  it.each(['198.051.100.3', '256.1.1.1', '1.2.3', '1.2.3.4/33', '1.2.3.4/08', '1.2.3.4.5', '0x7f.0.0.1'])('IPv4 refuses %p', (input) =>
    expect(normaliseIpv4(input).ok).toBe(false),
  );

  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::FFFF:C000:0280', '::ffff:192.0.2.128'],
    ['::ffff:192.0.2.128', '::ffff:192.0.2.128'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['::1/128', '::1'],
    ['1::', '1::'],
  ])('IPv6 %p → %p', (input, out) => expect(value(normaliseIpv6(input))).toBe(out));

  it.each(['2001:db8::1::1', '2001:db8:0:0:0:0:0:0:1', 'fe80::1%eth0', '12345::', '::1/129', 'g::1', '1.2.3.4'])(
    'IPv6 refuses %p',
    (input) => expect(normaliseIpv6(input).ok).toBe(false),
  );
});

describe('normaliseDomain / normaliseUrl', () => {
  it.each([
    ['Example.COM.', 'example.com'],
    [' münchen.de ', 'xn--mnchen-3ya.de'],
    ['_dmarc.example.org', '_dmarc.example.org'],
  ])('domain %p → %p', (input, out) => expect(value(normaliseDomain(input))).toBe(out));

  it.each(['localhost', 'exa mple.com', '-bad.example.com', '1.2.3.4', `${'a'.repeat(64)}.com`, '.', ''])('domain refuses %p', (input) =>
    expect(normaliseDomain(input).ok).toBe(false),
  );

  it.each([
    ['HTTPS://Example.COM:443/Path?q=1', 'https://example.com/Path?q=1'],
    ['http://EXAMPLE.com:8080', 'http://example.com:8080/'],
    ['http://bücher.example/a', 'http://xn--bcher-kva.example/a'],
  ])('URL %p → %p', (input, out) => expect(value(normaliseUrl(input))).toBe(out));

  it.each(['example.com/path', 'mailto:a@b.c', 'http://'])('URL refuses %p', (input) => expect(normaliseUrl(input).ok).toBe(false));
});

describe('normaliseHash', () => {
  it('lower-cases and names the algorithm by length', () => {
    expect(normaliseHash(' D41D8CD98F00B204E9800998ECF8427E ')).toEqual({
      ok: true,
      value: 'd41d8cd98f00b204e9800998ecf8427e',
      algorithm: 'MD5',
    });
    expect(normaliseHash('a'.repeat(40))).toMatchObject({ ok: true, algorithm: 'SHA-1' });
    expect(normaliseHash('a'.repeat(64))).toMatchObject({ ok: true, algorithm: 'SHA-256' });
    expect(normaliseHash('a'.repeat(128))).toMatchObject({ ok: true, algorithm: 'SHA-512' });
    expect(normaliseHash('a'.repeat(48)).ok).toBe(false);
    expect(normaliseHash('z'.repeat(32)).ok).toBe(false);
  });
});

describe('normaliseHandle', () => {
  it.each([
    ['github:Dev-Kim', 'github:dev-kim'],
    ['https://github.com/Dev-Kim?tab=repositories', 'github:dev-kim'],
    ['@Kim_Dev_99', 'telegram:kim_dev_99'],
    ['https://t.me/kim_dev_99', 'telegram:kim_dev_99'],
    ['https://www.linkedin.com/in/daniel-kim-8a1b2c/', 'linkedin:daniel-kim-8a1b2c'],
    ['linkedin.com/in/daniel-kim', 'linkedin:daniel-kim'],
    ['x:@kimdev', 'twitter:kimdev'],
  ])('%p → %p', (input, out) => expect(value(normaliseHandle(input))).toBe(out));

  it.each(['github:-bad', 'github:a--b', '@abc', 'https://www.linkedin.com/company/acme', 'https://example.com/foo'])(
    'refuses %p',
    (input) => expect(normaliseHandle(input).ok).toBe(false),
  );
});

describe('detectIdentifierType', () => {
  it.each([
    ['daniel.kim@proton.me', 'EMAIL'],
    ['+1 202 555 0147', 'PHONE'],
    ['(202) 555-0147', 'PHONE'],
    ['198.51.100.3', 'IPV4'],
    ['198.51.100.0/24', 'IPV4'],
    ['2001:db8::1', 'IPV6'],
    ['proton.me', 'DOMAIN'],
    ['https://proton.me/mail', 'URL'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'MD5'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'SHA1'],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'SHA256'],
    ['a'.repeat(128), 'SHA512'],
    ['0x52908400098527886E0F7030069857D2E4169EE7', 'WALLET'],
    ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'WALLET'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'WALLET'],
    ['github:dev-kim', 'HANDLE'],
    ['@dev_kim_tg', 'HANDLE'],
    ['https://www.linkedin.com/in/daniel-kim', 'HANDLE'],
    ['hello world', 'UNKNOWN'],
    ['', 'UNKNOWN'],
  ])('%p is %s', (input, type) => expect(detectIdentifierType(input)).toBe(type));

  it('normalises in the detected type, and reports why a guess cannot be normalised', () => {
    expect(normaliseIdentifier(' Daniel.Kim@Proton.ME')).toEqual({ type: 'EMAIL', ok: true, value: 'daniel.kim@proton.me' });
    expect(normaliseIdentifier('(202) 555-0147')).toMatchObject({ type: 'PHONE', ok: false });
    expect(normaliseAs('WALLET', '0x52908400098527886E0F7030069857D2E4169EE7')).toEqual({
      ok: true,
      value: '0x52908400098527886e0f7030069857d2e4169ee7',
    });
    expect(normaliseAs('SHA256', 'a'.repeat(32))).toMatchObject({ ok: false });
  });

  it('never throws on non-strings or huge input', () => {
    for (const v of [null, undefined, 42, {}, 'x'.repeat(100_000)]) {
      expect(() => detectIdentifierType(v as string)).not.toThrow();
      expect(() => normaliseIdentifier(v as string)).not.toThrow();
    }
  });
});
