import { randomUUID } from 'node:crypto';
import { parsePattern, validate } from '@cairn/stix';
import { gql } from '../support/test-app';
import { stixObject } from '../factories/stix.factory';
import { redactionExchange } from '../support/redaction-exchange';
import { strictViolations } from '../support/strict-stix';

// A member whose name, or a redaction term it set itself, is also a word of the STIX schema
// ("Target", the retailer; a term "pattern" or "spec version"). Redaction renamed the schema's own
// property names in its objects: relationships lost target_ref ("redacted_ref" — which also spelled
// out to every reader that the anonymous publisher is the member called Target), indicators lost
// pattern and spec_version. What other members' SIEMs pulled was no longer STIX 2.1.

const T = '2025-06-02T09:00:00.000Z';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const OBJECT = 'query($id: String!) { object(id: $id) { object } }';

const sdo = (type: string, props: Record<string, unknown>) => stixObject(type, props, T);

describe('redaction of a member named like a word of the STIX schema', () => {
  const ex = redactionExchange({
    name: 'Target',
    country: 'US',
    sectors: ['retail'],
    domains: ['target.example'],
    redactionTerms: ['pattern', 'spec version', 'agree', 'source name'],
  });

  it('keeps the property names and closed-vocabulary values the schema defines, and still removes the name from text', async () => {
    const ind = sdo('indicator', {
      name: 'Phishing kit aimed at Target staff',
      pattern: "[url:value = 'https://target.example.evil.test/login'] AND [file:extensions.'archive-ext'.comment = 'pattern']",
      pattern_type: 'stix',
      valid_from: T,
      x_target_score: 3,
      external_references: [{ source_name: 'Target source name', external_id: 'T-1' }],
      granular_markings: [
        { marking_ref: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', selectors: ['pattern', 'x_target_score'] },
      ],
    });
    const campaign = sdo('campaign', { name: 'Retail wave' });
    const rel = sdo('relationship', { relationship_type: 'indicates', source_ref: ind.id, target_ref: campaign.id });
    const opinion = sdo('opinion', { opinion: 'agree', explanation: 'we agree', object_refs: [ind.id] });
    const res = await gql(
      ex.api.baseUrl,
      PUBLISH,
      {
        b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [ind, campaign, rel, opinion] },
        s: { distribution: 'COMMUNITY', tlp: 'GREEN' },
      },
      ex.as(ex.pub),
    );
    expect(res.errors).toBeUndefined();

    const served: Array<Record<string, unknown>> = [];
    for (const o of [ind, campaign, rel, opinion]) {
      const r = await gql<{ object: { object: Record<string, unknown> } }>(ex.api.baseUrl, OBJECT, { id: o.id }, ex.as(ex.peer));
      expect(r.errors).toBeUndefined();
      served.push(r.data!.object.object);
    }
    const [i, , r, op] = served;
    expect(r.target_ref).toBe(campaign.id);
    expect(r).not.toHaveProperty('redacted_ref');
    expect(i.spec_version).toBe('2.1');
    expect(i.pattern_type).toBe('stix');
    expect(parsePattern(i.pattern as string)).toBeDefined();
    expect(i.pattern).toContain("file:extensions.'archive-ext'.comment = '[redacted]'");
    expect(i.pattern).toContain("url:value = 'https://[redacted].evil.test/login'");
    expect((i.granular_markings as Array<{ selectors: string[] }>)[0].selectors).toEqual(['pattern', 'x_redacted_score']);
    expect(i.name).toBe('Phishing kit aimed at [redacted] staff');
    expect(i.external_references).toEqual([{ source_name: '[redacted] [redacted]', external_id: 'T-1' }]);
    expect(op.opinion).toBe('agree');
    expect(op.explanation).toBe('we [redacted]');
    // What a strict consumer pulls over TAXII is STIX 2.1 by the exchange's own validator and the independent checker.
    const community = await ex.collectionId('community');
    const page = await ex.taxii<{ objects: Array<Record<string, unknown>> }>(
      `collections/${community}/objects/?match[id]=${[ind.id, campaign.id, rel.id, opinion.id].join(',')}`,
    );
    expect(page.objects).toHaveLength(4);
    for (const o of page.objects) expect(validate(o)).toEqual([]);
    // (The checker counts every custom x_ property; the member's own x_target_score is one by choice.)
    expect(strictViolations(page.objects).filter((v) => v.kind === 'custom-property' && !v.detail.includes('.x_'))).toEqual([]);
  });
});
