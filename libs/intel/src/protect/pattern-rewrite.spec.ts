import { parsePattern } from '@cairn/stix';
import { protectedKey } from './protected-key';
import { modernisePattern, rewriteProtectedPattern } from './pattern-rewrite';

const SECRET = 'unit-test-secret-0123456789abcdef0123456789';
const key = (kind: Parameters<typeof protectedKey>[0], v: string) => protectedKey(kind, v, SECRET);

describe('rewriteProtectedPattern', () => {
  it('compares the protected rendering of a normalised e-mail (what the observable holds) instead of the address', () => {
    const r = rewriteProtectedPattern("[email-addr:value = 'John@Example.com']", SECRET);
    expect(r.problems).toEqual([]);
    expect(r.pattern).toBe(`[email-addr:value = '${key('email', 'john@example.com')}@protected.invalid']`);
    expect(r.rawValues).toEqual(['John@Example.com', 'john@example.com']);
    expect(() => parsePattern(r.pattern)).not.toThrow();
  });

  it('rewrites every protected test in a compound pattern and leaves the rest', () => {
    const r = rewriteProtectedPattern(
      "[ipv4-addr:value = '198.51.100.3'] FOLLOWEDBY [phone-number:value IN ('+1 202 555 0101', '+442079460000') AND persona:persona_name != 'Daniel Kim'] WITHIN 60 SECONDS",
      SECRET,
    );
    expect(r.problems).toEqual([]);
    expect(r.pattern).toContain("[ipv4-addr:value = '198.51.100.3']");
    expect(r.pattern).toContain(
      `phone-number:value IN ('protected:${key('phone', '+12025550101')}', 'protected:${key('phone', '+442079460000')}')`,
    );
    expect(r.pattern).toContain(`persona:persona_name != 'protected:${key('person-name', 'daniel kim')}'`);
    expect(r.pattern).not.toMatch(/Daniel|555/);
    expect(r.phones).toEqual(['+12025550101', '+442079460000']);
  });

  it('follows email-message references to e-mail addresses', () => {
    const r = rewriteProtectedPattern("[email-message:from_ref.value = 'a@b.example']", SECRET);
    expect(r.pattern).toBe(`[email-message:from_ref.value = '${key('email', 'a@b.example')}@protected.invalid']`);
  });

  it('leaves renderings alone (a bundle Cairn exported) and turns legacy x_cairn_protected tests into the current form', () => {
    const k = key('email', 'a@b.example');
    const current = `[email-addr:value = '${k}@protected.invalid']`;
    expect(rewriteProtectedPattern(current, SECRET)).toMatchObject({ pattern: current, changed: false });
    expect(rewriteProtectedPattern(`[email-addr:x_cairn_protected.value = '${k}']`, SECRET).pattern).toBe(current);
    expect(
      modernisePattern(`[email-message:to_refs[*].x_cairn_protected.value = '${k}' AND phone-number:x_cairn_protected.value = '${k}']`),
    ).toBe(`[email-message:to_refs[*].value = '${k}@protected.invalid' AND phone-number:value = 'protected:${k}']`);
  });

  it('refuses LIKE and MATCHES over personal data, which would keep (part of) the raw value', () => {
    for (const p of ["[email-addr:value LIKE '%@corp.example']", "[persona:persona_name MATCHES '^Dan']"]) {
      const r = rewriteProtectedPattern(p, SECRET);
      expect(r.problems.map((x) => x.code)).toEqual(['UNPROTECTABLE_PATTERN']);
      expect(r.changed).toBe(false);
    }
  });

  it('reports values that cannot be normalised', () => {
    expect(rewriteProtectedPattern("[phone-number:value = '555-0101']", SECRET).problems[0].code).toBe('INVALID_IDENTIFIER');
  });

  it('leaves patterns without personal data untouched', () => {
    const p = "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']";
    expect(rewriteProtectedPattern(p, SECRET)).toMatchObject({ pattern: p, changed: false });
  });
});
