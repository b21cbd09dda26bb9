import { randomUUID } from 'node:crypto';
import { parsePattern } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

// The publisher's name as programs and detection rules write it: a pattern's regular expression
// ("^Umbrella\s+Pharma", "Umbrella\x20Pharma" for a subject line), a pasted log or script
// ("Umbrella\nPharma", "Umbrella\u0020Pharma"), a browser's semicolon-less reference
// ("Umbrella&#32Pharma") and a name run into a number ("UmbrellaPharma2024", the host
// "umbrellapharma01"). The escape glued its letter or digits to the next word, and the name went out.

const T = '2025-06-02T09:00:00.000Z';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const OBJECT = 'query($id: String!) { object(id: $id) { object } }';

describe('redaction of the publisher name written with escapes or run into numbers', () => {
  let api: TestApp;
  let pub: TenantEntity;
  let peer: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });

  beforeAll(async () => {
    api = await startTestApp();
    pub = await newTenant(api.app, {
      name: 'Umbrella Pharma',
      country: 'DE',
      sectors: ['healthcare'],
      domains: ['umbrella-pharma.example'],
    });
    peer = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    for (const t of [pub, peer]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(() => api.close());

  it('removes the name from regular expressions, escaped text and names run into numbers, and keeps Windows paths', async () => {
    const ind = {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: T,
      modified: T,
      valid_from: T,
      pattern_type: 'stix',
      pattern:
        "[email-message:subject MATCHES '^Umbrella\\\\s+Pharma payroll'] OR [email-message:subject MATCHES 'Umbrella\\\\x20Pharma HR']",
      description:
        'Dropper logs "Umbrella\\nPharma" and "Umbrella\\u0020Pharma"; lure page Umbrella&#32Pharma; campaign UmbrellaPharma2024 against umbrellapharma01; path C:\\Tools\\Reports',
    };
    const res = await gql(
      api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [ind] }, s: { distribution: 'COMMUNITY', tlp: 'GREEN' } },
      as(pub),
    );
    expect(res.errors).toBeUndefined();

    const r = await gql<{ object: { object: { pattern: string; description: string } } }>(api.baseUrl, OBJECT, { id: ind.id }, as(peer));
    expect(r.errors).toBeUndefined();
    const served = r.data!.object.object;
    for (const text of [served.pattern, served.description]) {
      expect(text.toLowerCase()).not.toMatch(/umbrella|pharma/);
    }
    expect(() => parsePattern(served.pattern)).not.toThrow();
    expect(served.pattern).toBe("[email-message:subject MATCHES '^[redacted] payroll'] OR [email-message:subject MATCHES '[redacted] HR']");
    // Escapes that are no name's are left as written.
    expect(served.description).toContain('path C:\\Tools\\Reports');
  });
});
