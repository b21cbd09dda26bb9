import { createHash } from 'node:crypto';
import {
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  getIntrospectionQuery,
  parse,
  type ExecutionResult,
} from 'graphql';
import { CommonError, CommonErrorCode } from '@cairn/common';
import { compiledExecution } from './compiled-execution';

const Item = new GraphQLObjectType({
  name: 'Item',
  fields: { n: { type: new GraphQLNonNull(GraphQLInt) }, label: { type: GraphQLString } },
});
const Filter = new GraphQLInputObjectType({
  name: 'Filter',
  fields: { min: { type: new GraphQLNonNull(GraphQLInt) }, names: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      items: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Item))),
        args: { filter: { type: new GraphQLNonNull(Filter) } },
        resolve: (_root, { filter }: { filter: { min: number; names?: string[] } }) =>
          Array.from({ length: 3 }, (_, i) => ({ n: filter.min + i, label: filter.names?.[i] ?? null })),
      },
      refused: {
        type: GraphQLString,
        resolve: () => {
          throw new CommonError(CommonErrorCode.FORBIDDEN, 'You are not allowed to do this');
        },
      },
    },
  }),
});

/** One request as Apollo hands it to the executor. */
function request(query: string, variables?: Record<string, unknown>) {
  return {
    schema,
    document: parse(query),
    queryHash: createHash('sha256').update(query).digest('hex'),
    operationName: null,
    context: {},
    request: { variables },
  };
}

async function executorOf(maxCompiled?: number) {
  const gateway = compiledExecution(() => schema, maxCompiled);
  const { executor } = await gateway.load({ apollo: { key: '', keyHash: '', graphRef: '' } } as never);
  return {
    gateway,
    run: (query: string, variables?: Record<string, unknown>) => executor!(request(query, variables) as never) as Promise<ExecutionResult>,
  };
}

const ITEMS = 'query($f: Filter!) { items(filter: $f) { n label } }';

describe('compiledExecution: graphql-jit behind Apollo, answering as graphql-js does', () => {
  it('compiles a document the second time it is seen, and answers the same on every call', async () => {
    const { gateway, run } = await executorOf();
    const first = await run(ITEMS, { f: { min: 5, names: ['a', 'b'] } });
    expect(gateway.compiledDocuments()).toBe(0);
    const second = await run(ITEMS, { f: { min: 5, names: ['a', 'b'] } });
    expect(gateway.compiledDocuments()).toBe(1);
    const third = await run(ITEMS, { f: { min: 5, names: ['a', 'b'] } });
    expect(first).toEqual({
      data: {
        items: [
          { n: 5, label: 'a' },
          { n: 6, label: 'b' },
          { n: 7, label: null },
        ],
      },
    });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(third)).toBe(JSON.stringify(first));
  });

  it('hands Apollo a resolver error as graphql-js does: a GraphQLError with extensions, the CairnError inside, path and locations', async () => {
    const { gateway, run } = await executorOf();
    const answers = [await run('{ refused }'), await run('{ refused }'), await run('{ refused }')];
    expect(gateway.compiledDocuments()).toBe(1);
    for (const answer of answers) {
      expect(answer.data).toEqual({ refused: null });
      const [error] = answer.errors!;
      expect(error).toBeInstanceOf(GraphQLError);
      expect(error.originalError).toBeInstanceOf(CommonError);
      expect(error.extensions).toBeDefined();
      expect(error.path).toEqual(['refused']);
      expect(error.locations).toEqual([{ line: 1, column: 3 }]);
    }
  });

  it('answers a variable that does not coerce in graphql-js’s words, compiled or not, and runs nothing', async () => {
    const { gateway, run } = await executorOf();
    const bad = { f: { min: 'one', names: ['a', null] } };
    const first = await run(ITEMS, bad);
    await run(ITEMS, { f: { min: 1 } });
    expect(gateway.compiledDocuments()).toBe(1);
    const compiled = await run(ITEMS, bad);
    expect(first.data).toBeUndefined();
    expect(first.errors!.map((e) => e.message)).toEqual([
      'Variable "$f" got invalid value "one" at "f.min"; Int cannot represent non-integer value: "one"',
      'Variable "$f" got invalid value null at "f.names[1]"; Expected non-nullable type "String!" not to be null.',
    ]);
    expect(JSON.stringify(compiled)).toBe(JSON.stringify(first));
    // graphql-js's errors carry the variable's definition, by which Apollo answers BAD_USER_INPUT.
    expect(compiled.errors!.every((e) => e.nodes?.[0].kind === 'VariableDefinition')).toBe(true);
  });

  it('keeps at most maxCompiled compiled documents, dropping the least recently used', async () => {
    const { gateway, run } = await executorOf(2);
    const docs = ['{ a: refused }', '{ b: refused }', '{ c: refused }'];
    for (const d of docs) {
      await run(d);
      await run(d);
    }
    expect(gateway.compiledDocuments()).toBeLessThanOrEqual(2);
    // The first was dropped: seen again, it counts from one and runs on graphql-js, with the same answer.
    expect((await run(docs[0])).errors?.[0].originalError).toBeInstanceOf(CommonError);
  });

  it('answers introspection (GraphiQL, in development) the same compiled', async () => {
    const { gateway, run } = await executorOf();
    const query = getIntrospectionQuery();
    const first = await run(query);
    const second = await run(query);
    expect(gateway.compiledDocuments()).toBe(1);
    expect(first.errors).toBeUndefined();
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('never compiles a subscription (those are graphql-ws’s)', async () => {
    const { gateway, run } = await executorOf();
    await run('subscription { refused }');
    await run('subscription { refused }');
    expect(gateway.compiledDocuments()).toBe(0);
  });
});
