import { CursorCipher } from '@cairn/intel';
import { NextTokens } from './next-token';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const C1 = '33333333-3333-4333-8333-333333333333';
const C2 = '44444444-4444-4444-8444-444444444444';
const tokens = new NextTokens(new CursorCipher('test-cursor-secret-0123456789abcdef0123456789'));

describe('TAXII next tokens', () => {
  it('round-trip a feed position, look random, and are stable for the same position', () => {
    const token = tokens.encode(T1, C1, '123456789');
    expect(token).toMatch(/^[A-Za-z0-9_-]{50}$/);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('123456789');
    expect(tokens.decode(T1, C1, token)).toBe('123456789');
    expect(tokens.encode(T1, C1, '123456789')).toBe(token);
    expect(tokens.encode(T1, C1, '123456790')).not.toBe(token);
  });

  it.each([
    ['empty', () => ''],
    ['not base64url', () => 'a+b/c='],
    ['an old readable token', () => Buffer.from('taxii1:12').toString('base64url')],
    ['another tenant', () => tokens.encode(T2, C1, '12')],
    ['another collection', () => tokens.encode(T1, C2, '12')],
    ['another key', () => new NextTokens(new CursorCipher('another-cursor-secret-0123456789abcdef0123')).encode(T1, C1, '12')],
    [
      'a flipped bit',
      () => {
        const b = Buffer.from(tokens.encode(T1, C1, '12'), 'base64url');
        b[20] ^= 1;
        return b.toString('base64url');
      },
    ],
  ])('refuses %s with a 400', (_name, token) => {
    expect(() => tokens.decode(T1, C1, token())).toThrow(expect.objectContaining({ httpStatus: 400, errorCode: 'INVALID_QUERY' }));
  });
});
