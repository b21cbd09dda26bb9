import { randomUUID } from 'node:crypto';
import { parsePattern, scoId } from '@cairn/stix';
import { gql } from '../support/test-app';
import { stixObject } from '../factories/stix.factory';
import { redactionExchange, UMBRELLA_PHARMA } from '../support/redaction-exchange';

// A member tries to get its own name past redaction (look-alike spellings, keys, text behind a
// timestamp) so that other members learn who published; and the opposite error, a login that
// resembles a display name being damaged. Read back by another member over GraphQL and TAXII.

const T = '2025-06-02T09:00:00.000Z';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const OBJECT = 'query($id: String!) { object(id: $id) { object } }';
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known } }';

const sdo = (type: string, props: Record<string, unknown>) => stixObject(type, props, T);
const sco = (type: string, props: Record<string, unknown>) => {
  const o = { type, spec_version: '2.1', ...props };
  return { ...o, id: scoId(o) };
};

/** What a reader could recognise the name in: compatibility forms, marks, invisible characters, case and separators gone. */
function skeleton(text: string): string {
  const cyrillic: Record<string, string> = { а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ѕ: 's', м: 'm' };
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]/gu, '')
    .toLowerCase()
    .replace(/./gu, (c) => cyrillic[c] ?? c)
    .replace(/[^\p{L}\p{N}]/gu, '');
}

describe('redaction against a member who tries', () => {
  const ex = redactionExchange({ ...UMBRELLA_PHARMA, redactionTerms: ['Project Hive'] });
  const read = async (id: string) => {
    const res = await gql<{ object: { object: Record<string, unknown> } | null }>(ex.api.baseUrl, OBJECT, { id }, ex.as(ex.peer));
    expect(res.errors).toBeUndefined();
    return res.data!.object!.object;
  };

  it('removes look-alike spellings, names in keys and text behind a timestamp, from what another member reads over GraphQL and TAXII', async () => {
    const spellings = [
      'ＵＭＢＲＥＬＬＡ ＰＨＡＲＭＡ',
      'U m b r e l l a  P h a r m a',
      'umbrella-PHARMA',
      'UmbrellaPharma',
      'Umb\u200brella Pha\u00adrma',
      'Umbr\u0435ll\u0430 Ph\u0430rm\u0430',
      'Umbre\u0301lla Pharma',
      'project\u00a0hive',
      'ｕｍｂｒｅｌｌａ－ｐｈａｒｍａ．ｅｘａｍｐｌｅ',
    ];
    const ind = sdo('indicator', {
      pattern: "[domain-name:value = 'sso.umbrella-pharma.example']",
      pattern_type: 'stix',
      valid_from: T,
      name: spellings[0],
      description: `2025-06-02T09:00:00Z seen by ${spellings.slice(1).join(', ')}; mail soc@umbrella-pharma.example`,
      labels: spellings,
      x_seen: '2025-06-02T09:00:00Z Umbrella Pharma SOC',
      x_meta: {
        'Umbrella Pharma internal': 1,
        'Project Hive internal': 2,
        'analyst.one@umbrella-pharma.example': 1,
        deeper: [{ 'ＵＭＢＲＥＬＬＡ ＰＨＡＲＭＡ notes': 'Umbrella Pharma' }],
      },
      x_umbrella_pharma_score: 9,
    });
    const res = await gql(
      ex.api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [ind] }, s: { distribution: 'SECTOR', tlp: 'GREEN' } },
      ex.as(ex.pub),
    );
    expect(res.errors).toBeUndefined();

    const doc = await read(ind.id);
    const sector = await ex.collectionId('sector-healthcare');
    const served = await ex.taxii<{ objects: unknown[] }>(`collections/${sector}/objects/${ind.id}/`);
    expect(served.objects).toHaveLength(1);
    for (const body of [doc, served.objects[0]]) {
      const flat = skeleton(JSON.stringify(body));
      for (const secret of ['umbrella', 'pharma', 'projecthive', 'analystone']) expect(flat).not.toContain(secret);
    }
    expect(doc.name).toBe('[redacted]');
    expect(doc.x_seen).toBe('2025-06-02T09:00:00Z [redacted] SOC');
    expect((doc.description as string).startsWith('2025-06-02T09:00:00Z seen by [redacted], [redacted]')).toBe(true);
    expect(doc.x_meta).toEqual({
      'redacted internal': 1,
      'redacted internal_2': 2,
      protected: 1,
      deeper: [{ 'redacted notes': '[redacted]' }],
    });
    expect(doc.x_redacted_score).toBe(9);
    expect(doc.valid_from).toBe(T);
    expect(() => parsePattern(doc.pattern as string)).not.toThrow();
  });

  it('protects the display name that is personal data, not the login that looks like it', async () => {
    const account = sco('user-account', { account_type: 'github', account_login: 'jqa-dev-2024', display_name: 'Jqa Dev' });
    const ind = sdo('indicator', {
      pattern: "[user-account:account_type = 'github' AND user-account:account_login = 'jqa-dev-2024']",
      pattern_type: 'stix',
      valid_from: T,
      description: 'Jqa Dev applied as jqa-dev-2024',
    });
    const res = await gql(
      ex.api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [account, ind] }, s: { distribution: 'SECTOR', tlp: 'GREEN' } },
      ex.as(ex.pub),
    );
    expect(res.errors).toBeUndefined();
    const stored = await read(account.id);
    expect(stored).toMatchObject({ account_login: 'jqa-dev-2024', display_name: expect.stringMatching(/^protected:[0-9a-f]{64}$/) });
    expect(await read(ind.id)).toMatchObject({ pattern: ind.pattern, description: '[protected] applied as jqa-dev-2024' });
    const check = await gql<{ checkIdentifiers: Array<{ known: boolean }> }>(
      ex.api.baseUrl,
      CHECK,
      { v: ['https://github.com/jqa-dev-2024'] },
      ex.as(ex.peer),
    );
    expect(check.data!.checkIdentifiers.map((c) => c.known)).toEqual([true]);
  });
});
