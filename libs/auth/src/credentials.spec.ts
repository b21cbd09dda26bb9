import { generateApiKey, jwtHeaderAlg, parseAuthorization } from './credentials';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('parseAuthorization', () => {
  const key = generateApiKey();
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

  it('generates keys as cairn_ + 8 base62, a dot, and 43 base64url characters', () => {
    expect(key.prefix).toMatch(/^cairn_[A-Za-z0-9]{8}$/);
    expect(key.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key.full).toBe(`${key.prefix}.${key.secret}`);
    expect(generateApiKey().prefix).not.toBe(key.prefix);
  });

  it('tells a key from a JWT by shape, as Bearer (scheme in any case) or bare', () => {
    expect(parseAuthorization(`Bearer ${key.full}`)).toEqual({ kind: 'apikey', prefix: key.prefix, secret: key.secret });
    expect(parseAuthorization(`bearer  ${key.full} `)).toEqual({ kind: 'apikey', prefix: key.prefix, secret: key.secret });
    expect(parseAuthorization(`Bearer ${jwt}`)).toEqual({ kind: 'jwt', token: jwt });
    expect(parseAuthorization(jwt)).toEqual({ kind: 'jwt', token: jwt });
    expect(parseAuthorization(key.full)).toEqual({ kind: 'apikey', prefix: key.prefix, secret: key.secret });
  });

  it('accepts Basic with the full key as password and any username', () => {
    for (const user of ['', 'splunk', 'x:y']) {
      expect(parseAuthorization(basic(user, key.full))).toEqual(
        user.includes(':') ? null : { kind: 'apikey', prefix: key.prefix, secret: key.secret },
      );
    }
  });

  it('accepts Basic with username = prefix or key id and password = secret', () => {
    expect(parseAuthorization(basic(key.prefix, key.secret))).toEqual({ kind: 'apikey', prefix: key.prefix, secret: key.secret });
    const id = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
    expect(parseAuthorization(basic(id, key.secret))).toEqual({ kind: 'apikey-id', id: id.toLowerCase(), secret: key.secret });
  });

  it('returns null for everything else', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer not a token',
      `Digest ${key.full}`,
      basic('alice@example.com', 'a user password'),
      basic(key.prefix, 'short'),
      basic('not-a-prefix', key.secret),
      'Basic !!!notbase64',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Bearer cairn_short.${key.secret}`,
      `Bearer ${key.full}x`,
      `Bearer ${'a'.repeat(9000)}.b.c`,
    ]) {
      expect(parseAuthorization(header)).toBeNull();
    }
  });

  it('reads the alg of a JWT header without trusting it, and nothing from garbage', () => {
    expect(jwtHeaderAlg(jwt)).toBe('HS256');
    expect(jwtHeaderAlg('%%%.x.y')).toBeUndefined();
    expect(jwtHeaderAlg(`${Buffer.from('{"alg":5}').toString('base64url')}.x.y`)).toBeUndefined();
  });
});
