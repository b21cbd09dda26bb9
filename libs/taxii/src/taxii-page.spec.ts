import { envelope, objectsEnvelopeJson, toPage, type TaxiiRow } from './taxii-page';

const row = (seq: number): TaxiiRow => ({
  seq: String(seq),
  id: `indicator--00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  dateAdded: `2025-06-02T09:00:00.${String(seq).padStart(6, '0')}Z`,
  version: '2025-06-01T00:00:00.000Z',
  specVersion: '2.1',
});

describe('TAXII pages', () => {
  it('serves limit rows, says more, and points next and the headers at the last row served', () => {
    const page = toPage([row(1), row(2), row(3)], 2, (seq) => `next-${seq}`);
    expect(page.rows.map((r) => r.seq)).toEqual(['1', '2']);
    expect(page.more).toBe(true);
    expect(page.next).toBe('next-2');
    expect(page.headers).toEqual({
      'X-TAXII-Date-Added-First': '2025-06-02T09:00:00.000001Z',
      'X-TAXII-Date-Added-Last': '2025-06-02T09:00:00.000002Z',
    });
    expect(envelope('objects', page, ['a', 'b'])).toEqual({ more: true, next: page.next, objects: ['a', 'b'] });
  });

  it('has no next on the last page, and no date headers when empty', () => {
    const last = toPage([row(7)], 2, (seq) => `next-${seq}`);
    expect(last).toMatchObject({ more: false, next: undefined });
    expect(envelope('versions', last, ['x'])).toEqual({ more: false, versions: ['x'] });
    const empty = toPage([], 5, (seq) => `next-${seq}`);
    expect(empty.headers).toEqual({});
    expect(envelope('objects', empty, [])).toEqual({ more: false, objects: [] });
  });

  describe('the objects envelope as text', () => {
    // As PostgreSQL's jsonb text writes documents: a space after colons and commas, numbers in full.
    const stored = [
      String.raw`{"id": "indicator--1", "type": "indicator", "x_score": 1.50, "name": "café \\ \"x\" \u0001"}`,
      '{"id": "indicator--2", "type": "indicator", "x_tiny": 0.' + '0'.repeat(323) + '5}',
    ];
    const page = (more: boolean, next?: string) => ({
      rows: stored.map((docJson, i) => ({ ...row(i + 1), docJson })),
      more,
      next,
      headers: {},
    });

    it('parses to the envelope the objects would have made, next only when there is more', () => {
      for (const [more, next] of [
        [true, 'n-2'],
        [false, undefined],
      ] as const) {
        const text = objectsEnvelopeJson(page(more, next));
        expect(JSON.parse(text)).toEqual(
          envelope(
            'objects',
            page(more, next),
            stored.map((d) => JSON.parse(d)),
          ),
        );
        expect('next' in JSON.parse(text)).toBe(next !== undefined);
      }
      expect(objectsEnvelopeJson({ rows: [], more: false, headers: {} })).toBe('{"more":false,"objects":[]}');
    });

    it('a document whose numbers jsonb writes out in full is written compactly, not 50 times its size', () => {
      const text = objectsEnvelopeJson(page(false));
      expect(text).toContain('"x_tiny":5e-324');
      expect(text).toContain(stored[0]); // the others go as stored
      expect(text.length).toBeLessThan(stored[0].length + 120);
    });
  });
});
