import { CAIRN_CONTEXT_EXTENSION_ID, CAIRN_PROTECTION_EXTENSION_ID, expectedScoId as stixScoId } from '@cairn/stix';
import { CONTEXT_EXT, PROTECTION, expectedScoId, modernise, modernisePattern } from './1766000200000-cairn-extensions';

const K = 'ab'.repeat(32);
const L = 'cd'.repeat(32);

// The migration writes its rules out (it runs outside the module aliases); these keep them equal to the code's.
describe('migration CairnExtensions1766000200000 (pure part)', () => {
  it('uses the extension ids and deterministic ids of @cairn/stix', () => {
    expect([PROTECTION, CONTEXT_EXT]).toEqual([CAIRN_PROTECTION_EXTENSION_ID, CAIRN_CONTEXT_EXTENSION_ID]);
    for (const doc of [
      { type: 'email-addr', value: `${K}@protected.invalid` },
      { type: 'email-message', from_ref: 'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934', subject: 'Hi' },
      { type: 'persona', persona_name: `protected:${K}`, persona_type: 'job-applicant' },
      { type: 'user-account', account_type: 'email', user_id: `${K}@protected.invalid` },
    ])
      expect(expectedScoId(doc)).toBe(stixScoId(doc));
  });

  it('turns legacy protected tests into comparisons of renderings, through references and in IN lists', () => {
    expect(
      modernisePattern(`[email-addr:x_cairn_protected.value = '${K}'] AND [email-message:to_refs[*].x_cairn_protected.value = '${L}']`),
    ).toBe(`[email-addr:value = '${K}@protected.invalid'] AND [email-message:to_refs[*].value = '${L}@protected.invalid']`);
    expect(modernisePattern(`[phone-number:x_cairn_protected.value IN ('${K}', '${L}') OR url:x_cairn_protected.value != '${K}']`)).toBe(
      `[phone-number:value IN ('protected:${K}', 'protected:${L}') OR url:value != 'mailto:${K}@protected.invalid']`,
    );
    expect(modernisePattern("[ipv4-addr:value = '198.51.100.3']")).toBe("[ipv4-addr:value = '198.51.100.3']");
  });

  it('moves keys and context into their extensions, renders "[protected]" and keeps raw shares raw', () => {
    const addr = {
      type: 'email-addr',
      value: '[protected]',
      display_name: '[protected]',
      x_cairn_protected: { algorithm: 'HMAC-SHA256', value: K, display_name: L },
    };
    expect(modernise(addr)).toBe(true);
    expect(addr).toEqual({
      type: 'email-addr',
      value: `${K}@protected.invalid`,
      display_name: `protected:${L}`,
      extensions: { [PROTECTION]: { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', value: K, display_name: L } },
    });
    const raw = { type: 'email-addr', value: 'a@b.example', x_cairn_protected: { algorithm: 'HMAC-SHA256', value: K } };
    modernise(raw);
    expect(raw.value).toBe('a@b.example');
    const sighting = { type: 'sighting', x_cairn_interview_stage: 'offer', x_cairn_role_category: 'payroll-accounting' };
    expect(modernise(sighting)).toBe(true);
    expect(sighting).toEqual({
      type: 'sighting',
      extensions: {
        [CONTEXT_EXT]: { extension_type: 'property-extension', interview_stage: 'offer', role_category: 'payroll-accounting' },
      },
    });
    expect(modernise({ type: 'indicator', pattern: "[ipv4-addr:value = '198.51.100.3']" })).toBe(false);
  });
});
