import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

export interface QueryLimits {
  /** Deepest nesting of selections (fragments expanded). */
  maxDepth: number;
  /** Fields selected in one document, fragments expanded each time they are spread. */
  maxFields: number;
  /** Aliased fields in one document (aliases multiply work without deepening). */
  maxAliases: number;
}

/**
 * Nesting allowed under `__schema` / `__type`. The introspection query every GraphQL tool sends
 * (GraphiQL, codegen) nests its type references about 14 levels deep, deeper than any query of ours
 * needs; the schema's own shape bounds it, and this keeps `fields { type { fields … } }` finite.
 * Production refuses introspection altogether (door-rules).
 */
export const INTROSPECTION_MAX_DEPTH = 20;

/**
 * One validation rule for depth, size and aliases, so a hostile document is refused before any
 * resolver runs. Counts walk fragments as they are spread (with a guard against cycles, which
 * graphql-js reports separately).
 */
export function queryLimitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(node) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of node.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      for (const d of node.definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        const totals = { fields: 0, aliases: 0, depth: 0, introspectionDepth: 0 };
        walk(d.selectionSet, 1, fragments, new Set(), totals, limits, false);
        const name = d.name?.value ? `Operation "${d.name.value}"` : 'The operation';
        if (totals.introspectionDepth > INTROSPECTION_MAX_DEPTH) {
          context.reportError(
            new GraphQLError(
              `${name} is nested ${totals.introspectionDepth} levels deep in introspection; the limit is ${INTROSPECTION_MAX_DEPTH}`,
              { nodes: [d] },
            ),
          );
        }
        if (totals.depth > limits.maxDepth)
          context.reportError(
            new GraphQLError(`${name} is nested ${totals.depth} levels deep; the limit is ${limits.maxDepth}`, { nodes: [d] }),
          );
        if (totals.fields > limits.maxFields)
          context.reportError(
            new GraphQLError(`${name} selects ${totals.fields} fields; the limit is ${limits.maxFields}`, { nodes: [d] }),
          );
        if (totals.aliases > limits.maxAliases)
          context.reportError(
            new GraphQLError(`${name} uses ${totals.aliases} aliases; the limit is ${limits.maxAliases}`, { nodes: [d] }),
          );
      }
      return false;
    },
  });
}

function walk(
  set: SelectionSetNode,
  depth: number,
  fragments: Map<string, FragmentDefinitionNode>,
  spreading: Set<string>,
  totals: { fields: number; aliases: number; depth: number; introspectionDepth: number },
  limits: QueryLimits,
  introspection: boolean,
): void {
  const key = introspection ? 'introspectionDepth' : 'depth';
  const max = introspection ? INTROSPECTION_MAX_DEPTH : limits.maxDepth;
  // Stop early: once over a limit the document is refused anyway.
  if (totals.fields > limits.maxFields || depth > max + 1) {
    totals[key] = Math.max(totals[key], depth);
    return;
  }
  totals[key] = Math.max(totals[key], depth);
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      totals.fields++;
      if (s.alias) totals.aliases++;
      const meta = introspection || s.name.value === '__schema' || s.name.value === '__type';
      if (s.selectionSet) walk(s.selectionSet, depth + 1, fragments, spreading, totals, limits, meta);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      walk(s.selectionSet, depth, fragments, spreading, totals, limits, introspection);
    } else {
      const fragment = fragments.get(s.name.value);
      if (!fragment || spreading.has(s.name.value)) continue;
      spreading.add(s.name.value);
      walk(fragment.selectionSet, depth, fragments, spreading, totals, limits, introspection);
      spreading.delete(s.name.value);
    }
  }
}
