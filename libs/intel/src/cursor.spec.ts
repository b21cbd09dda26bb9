import { CursorCipher } from './cursor';

const cipher = new CursorCipher('test-cursor-secret-0123456789abcdef0123456789');
const T1 = '11111111-1111-4111-8111-111111111111|filter';

describe('CursorCipher', () => {
  it('seals export tokens with a random IV: never the same token twice, each opening to what was sealed', () => {
    const tokens = Array.from({ length: 20 }, () => cipher.sealAll('export', T1, ['1000', '12']));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{60}$/);
      expect(cipher.openAll('export', T1, t, 2)).toEqual(['1000', '12']);
    }
  });

  it('refuses an export token with a flipped bit, for another binding, or as another purpose', () => {
    const token = cipher.sealAll('export', T1, ['1000', '12']);
    const raw = Buffer.from(token, 'base64url');
    for (const i of [0, 5, 20, raw.length - 1]) {
      const b = Buffer.from(raw);
      b[i] ^= 1;
      expect(cipher.openAll('export', T1, b.toString('base64url'), 2)).toBeUndefined();
    }
    expect(cipher.openAll('export', `${T1}x`, token, 2)).toBeUndefined();
    expect(cipher.openAll('graphql', T1, token, 2)).toBeUndefined();
  });

  it('keeps feed, TAXII and watch tokens deterministic (the same row, the same cursor)', () => {
    for (const purpose of ['graphql', 'taxii', 'watch'] as const) {
      expect(cipher.seal(purpose, T1, '42')).toBe(cipher.seal(purpose, T1, '42'));
      expect(cipher.open(purpose, T1, cipher.seal(purpose, T1, '42'))).toBe('42');
    }
  });
});
