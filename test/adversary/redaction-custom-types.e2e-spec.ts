import { randomUUID } from 'node:crypto';
import { parsePattern } from '@cairn/stix';
import { gql } from '../support/test-app';
import { indicatorObject } from '../factories/stix.factory';
import { redactionExchange } from '../support/redaction-exchange';

// Vendor tooling names its custom objects after the vendor ("x-umbrella-pharma-report"). A type name
// counted as an identifier and was exempt from redaction — in `type`, in the id, in every reference
// to it and in pattern object types — so every reader of the object, or of a relationship to it,
// read the anonymous publisher's name.

const T = '2025-06-02T09:00:00.000Z';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created objects { id correctedFrom } } }';
const OBJECTS = 'query { objects(first: 50, filter: { mine: false }) { edges { node { id type object } } } }';

describe('redaction of a custom object type named after the publisher', () => {
  const ex = redactionExchange();
  const publish = (objects: unknown[]) =>
    gql<{ publishBundle: { created: number; objects: Array<{ id: string; correctedFrom: string | null }> } }>(
      ex.api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects }, s: { distribution: 'COMMUNITY', tlp: 'GREEN' } },
      ex.as(ex.pub),
    );

  it('renames the type in the object, its id, references and patterns, the same way on every publish', async () => {
    const uuid = randomUUID();
    const custom = {
      type: 'x-umbrella-pharma-report',
      spec_version: '2.1',
      id: `x-umbrella-pharma-report--${uuid}`,
      created: T,
      modified: T,
      name: 'r',
    };
    const ind = indicatorObject(
      {
        pattern: "[x-umbrella-pharma-asset:name = 'build-01']",
      },
      T,
    );
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${randomUUID()}`,
      created: T,
      modified: T,
      relationship_type: 'related-to',
      source_ref: ind.id,
      target_ref: custom.id,
    };
    const first = await publish([custom, ind, rel]);
    expect(first.errors).toBeUndefined();
    expect(first.data!.publishBundle.objects[0]).toEqual({ id: `x-redacted-report--${uuid}`, correctedFrom: custom.id });

    // A later bundle referring to the id as the publisher knows it, and a new version, meet the same object.
    const rel2 = { ...rel, id: `relationship--${randomUUID()}` };
    const again = await publish([rel2, { ...custom, modified: '2025-06-03T09:00:00.000Z', name: 'r2' }]);
    expect(again.errors).toBeUndefined();

    const res = await gql<{ objects: { edges: Array<{ node: { id: string; type: string; object: Record<string, unknown> } }> } }>(
      ex.api.baseUrl,
      OBJECTS,
      {},
      ex.as(ex.peer),
    );
    expect(res.errors).toBeUndefined();
    const served = res.data!.objects.edges.map((e) => e.node);
    const flat = JSON.stringify(served)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    for (const secret of ['umbrella', 'pharma']) expect(flat).not.toContain(secret);
    const reports = served.filter((n) => n.type === 'x-redacted-report');
    expect(reports.map((n) => n.object.name)).toEqual(['r', 'r2']);
    expect(new Set(reports.map((n) => n.id))).toEqual(new Set([`x-redacted-report--${uuid}`]));
    const rels = served.filter((n) => n.type === 'relationship');
    expect(rels.map((n) => n.object.target_ref)).toEqual([`x-redacted-report--${uuid}`, `x-redacted-report--${uuid}`]);
    const pattern = served.find((n) => n.type === 'indicator')!.object.pattern as string;
    expect(pattern).toBe("[x-redacted-asset:name = 'build-01']");
    expect(() => parsePattern(pattern)).not.toThrow();
  });
});
