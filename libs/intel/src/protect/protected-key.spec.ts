import { createHmac } from 'node:crypto';
import { normaliseProtected, protectedKey } from './protected-key';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';

describe('protectedKey / normaliseProtected', () => {
  it('is HMAC-SHA-256 of "<kind>:<normalised value>", lower-case hex', () => {
    const expected = createHmac('sha256', SECRET).update('email:john@example.com').digest('hex');
    expect(protectedKey('email', 'john@example.com', SECRET)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('separates kinds and secrets', () => {
    expect(protectedKey('person-name', 'x', SECRET)).not.toBe(protectedKey('postal-address', 'x', SECRET));
    expect(protectedKey('email', 'a@b.example', SECRET)).not.toBe(protectedKey('email', 'a@b.example', `${SECRET}!`));
  });

  it.each([
    ['email', '  John.Doe@Example.COM ', 'john.doe@example.com'],
    ['phone', '+1 (202) 555-0101', '+12025550101'],
    ['phone', '0044 20 7946 0000', '+442079460000'],
    ['person-name', '  Daniel   KIM ', 'daniel kim'],
    ['postal-address', '1 Main St,\n Springfield', '1 main st, springfield'],
    ['bank-account', 'de89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
  ] as const)('normalises %s %j', (kind, raw, value) => {
    expect(normaliseProtected(kind, raw)).toEqual({ ok: true, value });
  });

  it('refuses what cannot be matched', () => {
    expect(normaliseProtected('email', 'no-at-sign').ok).toBe(false);
    expect(normaliseProtected('phone', '555-0101').ok).toBe(false);
    expect(normaliseProtected('person-name', '   ').ok).toBe(false);
  });
});
