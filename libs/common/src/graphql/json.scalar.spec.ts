import { GraphQLObjectType, GraphQLSchema, graphqlSync } from 'graphql';
import { JsonScalar } from './json.scalar';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { echo: { type: JsonScalar, args: { value: { type: JsonScalar } }, resolve: (_root, args: { value: unknown }) => args.value } },
  }),
});
const run = (source: string, variableValues?: Record<string, unknown>) => graphqlSync({ schema, source, variableValues });

describe('JsonScalar', () => {
  it('is named JSON', () => {
    expect(JsonScalar.name).toBe('JSON');
  });

  it('takes any JSON value, as a literal or a variable, and returns it as it is', () => {
    expect(run('{ echo(value: {a: [1, 2.5, "s", true, null, {b: {}}]}) }').data).toEqual({
      echo: { a: [1, 2.5, 's', true, null, { b: {} }] },
    });
    const doc = { type: 'bundle', objects: [{ id: 'x', n: 1 }] };
    expect(run('query($v: JSON) { echo(value: $v) }', { v: doc }).data).toEqual({ echo: doc });
    expect(run('query($v: JSON) { echo(value: {inner: $v}) }', { v: [1] }).data).toEqual({ echo: { inner: [1] } });
  });

  it('refuses an enum value anywhere in a literal, instead of dropping it', () => {
    for (const literal of ['FOO', '{a: FOO}', '[1, {b: [FOO]}]']) {
      const result = run(`{ echo(value: ${literal}) }`);
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0].message).toContain('JSON cannot represent value: FOO');
    }
  });
});
