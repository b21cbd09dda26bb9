import { GraphQLError, NoSchemaIntrospectionCustomRule, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import {
  CommonError,
  CommonErrorCode,
  formatGraphqlError,
  queryLimitsRule,
  type CairnConfig,
  type CairnError,
  type JsonLogger,
} from '@cairn/common';
import { isUnstorableText } from '@cairn/stix';

/*
 * One set of rules for both GraphQL doors: HTTP (Apollo, request-guard.middleware) and graphql-ws
 * (ws-door). Each door calls these functions; neither has checks of its own.
 */

/** One container being walked: its array items or object keys, and the next one to look at. */
interface WalkFrame {
  value: unknown[] | Record<string, unknown>;
  keys?: string[];
  next: number;
}

/**
 * Where in `variables` a string holds NUL or an unpaired surrogate (text PostgreSQL cannot store), if anywhere.
 * Depth-first over a stack of the containers open (iterative, so depth cannot overflow the stack);
 * the path is spelled only for the string found: a 10,000-object bundle has hundreds of thousands of
 * values, and building a path string for each cost more than parsing the body.
 */
export function findUnstorable(root: unknown, maxNodes = 2_000_000): string | undefined {
  if (typeof root === 'string') return isUnstorableText(root) ? 'variables' : undefined;
  if (root === null || typeof root !== 'object') return undefined;
  const frames: WalkFrame[] = [openFrame(root)];
  for (let seen = 1; frames.length > 0 && seen < maxNodes;) {
    const frame = frames[frames.length - 1];
    const size = frame.keys ? frame.keys.length : (frame.value as unknown[]).length;
    if (frame.next >= size) {
      frames.pop();
      continue;
    }
    const at = frame.next++;
    let child: unknown;
    if (frame.keys) {
      const key = frame.keys[at];
      // A bad key is reported at the object that holds it.
      if (isUnstorableText(key)) return pathOf(frames, frames.length - 1);
      child = (frame.value as Record<string, unknown>)[key];
    } else {
      child = (frame.value as unknown[])[at];
    }
    seen++;
    if (typeof child === 'string') {
      if (isUnstorableText(child)) return pathOf(frames, frames.length);
    } else if (child !== null && typeof child === 'object') {
      frames.push(openFrame(child));
    }
  }
  return undefined;
}

function openFrame(value: object): WalkFrame {
  return Array.isArray(value) ? { value, next: 0 } : { value: value as Record<string, unknown>, keys: Object.keys(value), next: 0 };
}

/** `variables.b.objects[3].name`: the steps taken in the first `depth` open containers. */
function pathOf(frames: WalkFrame[], depth: number): string {
  let path = 'variables';
  for (let i = 0; i < depth; i++) {
    const f = frames[i];
    path += f.keys ? `.${f.keys[f.next - 1].slice(0, 64)}` : `[${f.next - 1}]`;
  }
  return path;
}

/** Before a document is parsed: its length, and no variable text the database could not store (which would fail deep inside a query). */
export function checkOperationInput(query: unknown, variables: unknown, maxQueryLength: number): CairnError | undefined {
  if (typeof query === 'string' && query.length > maxQueryLength) {
    return new CommonError(
      CommonErrorCode.QUERY_TOO_LONG,
      `The GraphQL document is ${query.length} characters long; the limit is ${maxQueryLength}`,
      { field: 'query' },
    );
  }
  const at = findUnstorable(variables);
  if (at) return new CommonError(CommonErrorCode.UNSTORABLE_TEXT, `${at} contains a NUL character or an unpaired surrogate`, { field: at });
  return undefined;
}

/** String literals written in the document itself obey what checkOperationInput asks of variables. */
const storableLiteralsRule: ValidationRule = (context) => ({
  StringValue(node) {
    if (isUnstorableText(node.value))
      context.reportError(
        new GraphQLError('A string in the document contains a NUL character or an unpaired surrogate', { nodes: [node] }),
      );
  },
});

/** Validation beyond graphql-js's specified rules: depth, fields, aliases, storable literals; in production no introspection. */
export function doorValidationRules(config: CairnConfig): ValidationRule[] {
  const { graphqlMaxDepth: maxDepth, graphqlMaxFields: maxFields, graphqlMaxAliases: maxAliases } = config.limits;
  return [
    queryLimitsRule({ maxDepth, maxFields, maxAliases }),
    storableLiteralsRule,
    ...(config.env === 'production' ? [NoSchemaIntrospectionCustomRule] : []),
  ];
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
export function clientErrorFormatter(
  config: CairnConfig,
  logger: JsonLogger,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
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
