import { DELETE_PARAMS, OBJECT_PARAMS, OBJECTS_PARAMS, parseTaxiiQuery } from './taxii-query';

const parse = (raw: Record<string, unknown>, allowed = OBJECTS_PARAMS) => parseTaxiiQuery(raw, allowed, 1000);
const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const ID2 = 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4';

describe('TAXII query parameters', () => {
  it('defaults: the server page size and the last version', () => {
    expect(parse({})).toEqual({ limit: 1000, versions: { all: false, first: false, last: true, at: [] } });
  });

  it('lowers a limit above the maximum and refuses one that is not a positive whole number', () => {
    expect(parse({ limit: '10' }).limit).toBe(10);
    expect(parse({ limit: '5000' }).limit).toBe(1000);
    expect(parse({ limit: '99999999999999999999999' }).limit).toBe(1000);
    for (const bad of ['0', '-1', '1.5', 'ten', '', '1e3'])
      expect(() => parse({ limit: bad })).toThrow(expect.objectContaining({ httpStatus: 400 }));
    expect(() => parse({ limit: ['1', '2'] })).toThrow(/once/);
  });

  it('reads match[] lists: comma-separated, repeated, or nested by an extended query parser', () => {
    expect(parse({ 'match[id]': `${ID},${ID2}` }).ids).toEqual([ID, ID2]);
    expect(parse({ 'match[type]': ['indicator', 'ipv4-addr,indicator'] }).types).toEqual(['indicator', 'ipv4-addr']);
    expect(parse({ match: { type: 'indicator', spec_version: '2.1' } })).toMatchObject({ types: ['indicator'], specVersions: ['2.1'] });
  });

  it('reads match[version]: last, first, all, timestamps and their combinations', () => {
    expect(parse({ 'match[version]': 'first,last' }).versions).toEqual({ all: false, first: true, last: true, at: [] });
    expect(parse({ 'match[version]': 'all' }).versions.all).toBe(true);
    expect(parse({ 'match[version]': '2025-01-01T00:00:00.000Z' }).versions).toEqual({
      all: false,
      first: false,
      last: false,
      at: ['2025-01-01T00:00:00.000Z'],
    });
    expect(() => parse({ 'match[version]': 'newest' })).toThrow(/match\[version\]/);
  });

  it('checks added_after, next and the shape of ids and types', () => {
    expect(parse({ added_after: '2025-06-02T09:00:00.123456Z' }).addedAfter).toBe('2025-06-02T09:00:00.123456Z');
    for (const bad of ['yesterday', '2025-06-02', '2025-06-02T09:00:00.1234567Z', '2025-13-02T09:00:00Z']) {
      expect(() => parse({ added_after: bad })).toThrow(expect.objectContaining({ httpStatus: 400 }));
    }
    expect(parse({ next: 'AbC_-9' }).next).toBe('AbC_-9');
    expect(() => parse({ next: 'a+b=' })).toThrow(/next/);
    expect(() => parse({ 'match[id]': 'not-an-id' })).toThrow(/match\[id\]/);
    expect(() => parse({ 'match[type]': 'Indicator' })).toThrow(/match\[type\]/);
    expect(() => parse({ 'match[spec_version]': 'latest' })).toThrow(/spec_version/);
  });

  it('refuses parameters the endpoint does not support', () => {
    expect(() => parse({ 'match[type]': 'indicator' }, OBJECT_PARAMS)).toThrow(/match\[type\] is not supported/);
    expect(() => parse({ 'match[color]': 'red' })).toThrow(/not supported/);
    expect(() => parse({ 'match[version]': 'all' }, DELETE_PARAMS)).toThrow(/not supported/);
  });
});
