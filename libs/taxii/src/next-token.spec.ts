import { decodeNext, encodeNext } from './next-token';

describe('TAXII next tokens', () => {
  it('round-trip a feed position and look opaque', () => {
    const token = encodeNext('123456789');
    expect(token).not.toContain('123456789');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeNext(token)).toBe('123456789');
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['another prefix', Buffer.from('seq:12').toString('base64url')],
    ['not a number', Buffer.from('taxii1:12a').toString('base64url')],
    ['beyond bigint', Buffer.from('taxii1:9999999999999999999').toString('base64url')],
  ])('refuses %s with a 400', (_name, token) => {
    expect(() => decodeNext(token)).toThrow(expect.objectContaining({ httpStatus: 400, errorCode: 'INVALID_QUERY' }));
  });
});
