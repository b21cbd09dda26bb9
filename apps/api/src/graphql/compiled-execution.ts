import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import {
  execute,
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type SourceLocation,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/** What one request hands the executor (Apollo's gateway request context, the part used here). */
interface Request {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly queryHash: string;
  readonly operationName: string | null;
  readonly context: unknown;
  readonly request: { readonly variables?: Record<string, unknown> };
}

/** No compiled form: not a query or mutation, or graphql-jit would not compile it. */
const INTERPRETED = Symbol('interpreted');

/**
 * HTTP GraphQL execution through graphql-jit, behind Apollo's executor interface (its "gateway"):
 * Apollo still parses, validates (the door rules), runs its plugins and formats every error
 * (clientErrorFormatter); only execution changes. A document is compiled the second time it is seen
 * (members and SIEMs send the same few operations again and again; a one-off is not worth the
 * compile), and at most `maxCompiled` compiled documents are kept, least recently used first out, so
 * a client sending endless distinct documents costs graphql-js execution, never unbounded memory
 * (a compile takes 0.3–9 ms, screenApplicants' the longest: about one request's execution, once).
 * What graphql-jit saves per request is graphql-js's generic walk: coercing the variables (1,000
 * screened applicants), and resolving and completing each field of each item of a large list.
 * Subscriptions never come here (they are graphql-ws's, WsDoor); anything but a query or mutation
 * runs on graphql-js.
 */
export function compiledExecution(schema: () => GraphQLSchema, maxCompiled = 500): Gateway & { compiledDocuments(): number } {
  // Per document: times seen (once), its compiled form, or INTERPRETED. Insertion order is recency:
  // a hit moves its entry to the end; the first entry is the oldest.
  const seen = new Map<string, number | CompiledQuery | typeof INTERPRETED>();
  const remember = (key: string, value: number | CompiledQuery | typeof INTERPRETED) => {
    seen.delete(key);
    seen.set(key, value);
    if (seen.size > maxCompiled) seen.delete(seen.keys().next().value!);
  };

  const compiledFor = (req: Request): CompiledQuery | undefined => {
    const key = `${req.queryHash}:${req.operationName ?? ''}`;
    const entry = seen.get(key);
    if (entry === INTERPRETED) return undefined;
    if (entry !== undefined && typeof entry !== 'number') {
      remember(key, entry);
      return entry;
    }
    if (entry === undefined) {
      remember(key, 1);
      return undefined;
    }
    const operation = getOperationAST(req.document, req.operationName);
    const compiled =
      operation && operation.operation !== 'subscription'
        ? compileQuery(req.schema, req.document, req.operationName ?? undefined, { disablingCapturingStackErrors: true })
        : undefined;
    const usable = compiled && isCompiledQuery(compiled) ? compiled : undefined;
    remember(key, usable ?? INTERPRETED);
    return usable;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema(), coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({
      executor: async (req: Request): Promise<ExecutionResult> => {
        const variables = req.request.variables ?? {};
        const compiled = compiledFor(req);
        if (compiled) {
          const result = await compiled.query(undefined, req.context, variables);
          // No data: the variables did not coerce, and nothing ran. graphql-js says why, in its own
          // words (which name the variable and the position); Apollo knows those as BAD_USER_INPUT.
          if (result.data !== undefined) return asGraphqlJs(result);
        }
        return execute({
          schema: req.schema,
          document: req.document,
          contextValue: req.context,
          variableValues: variables,
          operationName: req.operationName,
        });
      },
    }),
    stop: async () => undefined,
    compiledDocuments: () => [...seen.values()].filter((v) => typeof v === 'object').length,
  };
}

/**
 * graphql-jit's errors as graphql-js would have raised them, for Apollo and clientErrorFormatter:
 * with extensions (Apollo reads them) and the thrown CairnError as originalError.
 */
function asGraphqlJs(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((e) => {
    const converted = new GraphQLError(e.message, {
      path: e.path,
      originalError: e.originalError ?? undefined,
      extensions: e.extensions,
    });
    (converted as { locations?: readonly SourceLocation[] }).locations = e.locations;
    return converted;
  });
  return { ...result, errors };
}
