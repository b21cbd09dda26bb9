import { GraphQLError, NoSchemaIntrospectionCustomRule, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import { CommonError, CommonErrorCode, formatGraphqlError, queryLimitsRule, type CairnConfig, type CairnError, type JsonLogger } from '@cairn/common';
import { isUnstorableText } from '@cairn/stix';

/*
 * One set of rules for both GraphQL doors: HTTP (Apollo, request-guard.middleware) and graphql-ws
 * (ws-door). Each door calls these functions; neither has checks of its own.
 */

/** Where in `variables` a string holds NUL or an unpaired surrogate (text PostgreSQL cannot store), if anywhere. */
export function findUnstorable(root: unknown, maxNodes = 2_000_000): string | undefined {
  const stack: Array<{ v: unknown; path: string }> = [{ v: root, path: 'variables' }];
  for (let seen = 0; stack.length > 0 && seen < maxNodes; seen++) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (isUnstorableText(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (isUnstorableText(k)) return path;
        stack.push({ v: child, path: `${path}.${k.slice(0, 64)}` });
      }
    }
  }
  return undefined;
}

/** Before a document is parsed: its length, and no variable text the database could not store (which would fail deep inside a query). */
export function checkOperationInput(query: unknown, variables: unknown, maxQueryLength: number): CairnError | undefined {
  if (typeof query === 'string' && query.length > maxQueryLength) {
    return new CommonError(CommonErrorCode.QUERY_TOO_LONG, `The GraphQL document is ${query.length} characters long; the limit is ${maxQueryLength}`, { field: 'query' });
  }
  const at = findUnstorable(variables);
  if (at) return new CommonError(CommonErrorCode.UNSTORABLE_TEXT, `${at} contains a NUL character or an unpaired surrogate`, { field: at });
  return undefined;
}

/** String literals written in the document itself obey what checkOperationInput asks of variables. */
const storableLiteralsRule: ValidationRule = (context) => ({
  StringValue(node) {
    if (isUnstorableText(node.value)) context.reportError(new GraphQLError('A string in the document contains a NUL character or an unpaired surrogate', { nodes: [node] }));
  },
});

/** Validation beyond graphql-js's specified rules: depth, fields, aliases, storable literals; in production no introspection. */
export function doorValidationRules(config: CairnConfig): ValidationRule[] {
  const { graphqlMaxDepth: maxDepth, graphqlMaxFields: maxFields, graphqlMaxAliases: maxAliases } = config.limits;
  return [queryLimitsRule({ maxDepth, maxFields, maxAliases }), storableLiteralsRule, ...(config.env === 'production' ? [NoSchemaIntrospectionCustomRule] : [])];
}

/** graphql-js's "Did you mean …?" hints name schema fields, types and enum values. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .+\?$/, '');
}

/**
 * What a client sees of any error on either door: domain errors with their code, request errors
 * as they are, anything else (database texts included) as "Internal server error", logged here.
 * In production without schema hints.
 */
export function clientErrorFormatter(config: CairnConfig, logger: JsonLogger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  const production = config.env === 'production';
  return (formatted, error) => {
    const out = formatGraphqlError(formatted, error, (err) => logger.error(err instanceof Error ? err : String(err), 'GraphQL'));
    return production ? { ...out, message: withoutSuggestions(out.message) } : out;
  };
}

/** A refusal before execution, in the shape graphql-ws sends (the formatter reads the CairnError inside). */
export function asGraphqlError(error: CairnError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error });
}
