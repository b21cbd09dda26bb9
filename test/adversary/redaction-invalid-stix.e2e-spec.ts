import { randomUUID } from 'node:crypto';
import { validate } from '@cairn/stix';
import { gql } from '../support/test-app';
import { redactionExchange, UMBRELLA_PHARMA } from '../support/redaction-exchange';

// A member makes the exchange serve objects that are not STIX 2.1 to every other member's SIEM:
// input is validated before redaction, not after it. Its own domain as a URL's host
// ("https://sso.[redacted]/login" does not parse), or a redaction term it set to a hash or a language
// tag, went out as an invalid url value, hash or lang — which strict consumers (and the exchange's
// own validator) refuse, often with the whole envelope they came in.

const T = '2025-06-02T09:00:00.000Z';
const HASH = 'a'.repeat(64);
const PUBLISH = `mutation($b: JSON!, $s: SharingInput) {
  publishBundle(bundle: $b, sharing: $s) { created }
}`;

describe('what redaction leaves is still STIX 2.1', () => {
  const ex = redactionExchange({ ...UMBRELLA_PHARMA, redactionTerms: [HASH, 'en'] });
  const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });

  it('refuses, naming the property, an object that redaction would leave invalid; nothing invalid is served', async () => {
    const url = { type: 'url', spec_version: '2.1', id: `url--${randomUUID()}`, value: 'https://sso.umbrella-pharma.example/login' };
    const file = { type: 'file', spec_version: '2.1', id: `file--${randomUUID()}`, hashes: { 'SHA-256': HASH } };
    const note = {
      type: 'note',
      spec_version: '2.1',
      id: `note--${randomUUID()}`,
      created: T,
      modified: T,
      content: 'seen',
      lang: 'en',
      object_refs: [url.id],
    };
    const res = await gql<{ publishBundle: unknown }>(
      ex.api.baseUrl,
      PUBLISH,
      { b: bundle([url, file, note]), s: { distribution: 'COMMUNITY' } },
      ex.as(ex.pub),
    );
    const issues = (res.errors?.[0]?.extensions?.issues ?? []) as Array<{ path: string; code: string }>;
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(issues.map((i) => [i.path, i.code])).toEqual(
      expect.arrayContaining([
        ['$.objects[0].value', 'INVALID_VALUE'],
        ["$.objects[1].hashes['SHA-256']", 'INVALID_HASH'],
        ['$.objects[2].lang', 'INVALID_VALUE'],
      ]),
    );

    // A redaction that leaves valid STIX still goes through, as before.
    const ok = { ...url, id: `url--${randomUUID()}`, value: 'https://evil.test/?ref=umbrella-pharma.example' };
    const stored = await gql<{ publishBundle: { created: number } }>(
      ex.api.baseUrl,
      PUBLISH,
      { b: bundle([ok]), s: { distribution: 'COMMUNITY' } },
      ex.as(ex.pub),
    );
    expect(stored.errors).toBeUndefined();

    const community = await ex.collectionId('community');
    const page = await ex.taxii<{ objects: Array<Record<string, unknown>> }>(`collections/${community}/objects/?match[type]=url,file,note`);
    expect(page.objects.map((o) => o.value)).toEqual(['https://evil.test/?ref=[redacted]']);
    for (const o of page.objects) expect(validate(o)).toEqual([]);
  });
});
