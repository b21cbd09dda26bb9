import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { queryLimitsRule } from './query-limits';

const schema = buildSchema(`type Node { id: String, child: Node, children: [Node] } type Query { node: Node }`);
const rule = queryLimitsRule({ maxDepth: 4, maxFields: 20, maxAliases: 3 });
const errors = (q: string) => validate(schema, parse(q), [rule]).map((e) => e.message);

describe('queryLimitsRule', () => {
  it('accepts a query within every limit', () => {
    expect(errors('{ node { id child { id child { id } } } }')).toEqual([]);
  });

  it('refuses nesting deeper than the limit, counting through fragments', () => {
    expect(errors('{ node { child { child { child { child { id } } } } } }')).toEqual([
      'The operation is nested 6 levels deep; the limit is 4',
    ]);
    expect(errors('query Q { node { ...F } } fragment F on Node { child { child { child { id } } } }')).toEqual([
      'Operation "Q" is nested 5 levels deep; the limit is 4',
    ]);
  });

  it('refuses too many fields, expanding each spread of a fragment', () => {
    const q = `{ node { ...A ...A ...A } } fragment A on Node { id child { id children { id } } children { id child { id } } }`;
    expect(errors(q)).toEqual(['The operation selects 22 fields; the limit is 20']);
  });

  it('refuses too many aliases', () => {
    expect(errors('{ a: node { id } b: node { id } c: node { id } d: node { id } }')).toEqual([
      'The operation uses 4 aliases; the limit is 3',
    ]);
  });

  it('survives a fragment cycle (graphql-js reports the cycle itself)', () => {
    expect(() => errors('{ node { ...A } } fragment A on Node { child { ...A } }')).not.toThrow();
  });

  it("accepts the introspection query GraphiQL sends, deeper than the app's limit, but not endless recursion", () => {
    const deep = queryLimitsRule({ maxDepth: 12, maxFields: 2000, maxAliases: 50 });
    const check = (q: string) => validate(schema, parse(q), [deep]).map((e) => e.message);
    expect(
      check(
        getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true }),
      ),
    ).toEqual([]);
    const recursive = `{ __schema { types { ${'fields { type { '.repeat(10)}name${' } }'.repeat(10)} } } }`;
    expect(check(recursive)).toEqual(['The operation is nested 22 levels deep in introspection; the limit is 20']);
    // Only the introspection subtree gets the larger budget: a normal field next to it keeps the app's limit.
    const mixed = `{ __schema { queryType { name } } node { ${'child { '.repeat(12)}id${' }'.repeat(12)} } }`;
    expect(check(mixed)).toEqual(['The operation is nested 14 levels deep; the limit is 12']);
  });
});
