import { protectObjects } from './protect';
import { rewriteProtectedPattern } from './pattern-rewrite';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';

describe('values that do not normalise', () => {
  it('are refused, and their text is still a raw value for redaction elsewhere', () => {
    const phone = { type: 'phone-number', spec_version: '2.1', id: 'phone-number--1', value: ' 030 98765432 ' };
    const out = protectObjects([phone], SECRET, false);
    expect(out.problems).toMatchObject([{ code: 'INVALID_IDENTIFIER', path: '$.objects[0].value' }]);
    expect([...out.rawValues]).toEqual(['030 98765432']);
  });

  it('in a pattern are refused, and their text is still a raw value', () => {
    const r = rewriteProtectedPattern("[phone-number:value = '０３０ 98765432']", SECRET);
    expect(r.problems).toMatchObject([{ code: 'INVALID_IDENTIFIER' }]);
    expect(r.rawValues).toEqual(['030 98765432']);
  });
});
