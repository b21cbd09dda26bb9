import { isUuid, UUID_TEXT } from './uuid';

describe('isUuid', () => {
  it('takes 8-4-4-4-12 hex digits in either case, of any version', () => {
    expect(isUuid('5f3e8c52-77a3-4d3e-9f0c-2a1b7c9d0e11')).toBe(true);
    expect(isUuid('5F3E8C52-77A3-4D3E-9F0C-2A1B7C9D0E11')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it('refuses anything else, however close', () => {
    for (const v of [
      '',
      '5f3e8c52-77a3-4d3e-9f0c-2a1b7c9d0e1',
      '5f3e8c52-77a3-4d3e-9f0c-2a1b7c9d0e111',
      '0123456789abcdef0123456789abcdef-012',
      '5f3e8c5277a34d3e9f0c2a1b7c9d0e11',
      'g f3e8c52-77a3-4d3e-9f0c-2a1b7c9d0e1',
      ' 5f3e8c52-77a3-4d3e-9f0c-2a1b7c9d0e11',
      undefined,
      42,
    ]) {
      expect(isUuid(v)).toBe(false);
    }
  });

  it('gives its pattern for composing others (TAXII match[id])', () => {
    expect(new RegExp(`^x--${UUID_TEXT}$`).test('x--5f3e8c52-77a3-4d3e-9f0c-2a1b7c9d0e11')).toBe(true);
  });
});
