import { GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';

const config = GraphQLJSON.toConfig();

/** Refuses a literal that holds an enum value anywhere ({x: FOO}): no JSON value is spelt so. */
function assertJsonLiteral(ast: ValueNode): void {
  if (ast.kind === Kind.ENUM) throw new TypeError(`JSON cannot represent value: ${print(ast)}`);
  if (ast.kind === Kind.LIST) ast.values.forEach(assertJsonLiteral);
  if (ast.kind === Kind.OBJECT) ast.fields.forEach((f) => assertJsonLiteral(f.value));
}

/**
 * The GraphQL scalar JSON (STIX objects and bundles, audit details): graphql-scalars' JSON, with its
 * name, description and @specifiedBy. One thing is kept from graphql-type-json, which Cairn used
 * before: an enum value inside a literal is refused, where graphql-scalars would drop the property
 * without a word (a published bundle silently losing a field).
 */
export const JsonScalar = new GraphQLScalarType({
  ...config,
  parseLiteral(ast, variables) {
    assertJsonLiteral(ast);
    return config.parseLiteral(ast, variables);
  },
});
