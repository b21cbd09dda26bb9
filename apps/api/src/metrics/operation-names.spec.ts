import { loggedOperationName, OperationNames, outcomeLabel } from './operation-names';

describe('operation-name labels', () => {
  it('keeps well-formed names up to the cap, then "other"; no name is "anonymous"', () => {
    const names = new OperationNames(2);
    expect([
      names.label('A'),
      names.label('B'),
      names.label('C'),
      names.label('A'),
      names.label(undefined),
      names.label(null),
      names.label(''),
    ]).toEqual(['A', 'B', 'other', 'A', 'anonymous', 'anonymous', 'anonymous']);
  });

  it('never lets a malformed or over-long name through, to labels or logs', () => {
    const names = new OperationNames(100);
    for (const bad of ['a-b', '1abc', 'x'.repeat(65), '<script>', 'a b', 'é']) {
      expect(names.label(bad)).toBe('other');
      expect(loggedOperationName(bad)).toBe('invalid');
    }
    expect(names.label('_ok_' + 'x'.repeat(60))).toBe('_ok_' + 'x'.repeat(60));
  });

  it('outcomes: ok, an error code, or "other"', () => {
    expect([outcomeLabel(undefined), outcomeLabel('BAD_USER_INPUT'), outcomeLabel('bad code'), outcomeLabel(42)]).toEqual([
      'ok',
      'BAD_USER_INPUT',
      'other',
      'other',
    ]);
  });
});
