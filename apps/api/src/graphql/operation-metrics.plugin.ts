import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import { noteRequestFields } from '../observability.middleware';
import type { GraphqlOperations } from '../metrics/graphql-operations';

interface HttpContext {
  req?: Request;
}

/**
 * GraphQL over HTTP: each operation counted and timed by operation name, type and outcome (the
 * first error's code as the client got it, after formatError); its name, type and code join the
 * request's access-log line (observability.middleware). The WebSocket door records its own (ws-door).
 */
export function operationMetricsPlugin(operations: GraphqlOperations): ApolloServerPlugin<HttpContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName, request, contextValue }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const code = errors?.length ? String(errors[0].extensions?.code ?? 'INTERNAL_SERVER_ERROR') : undefined;
          const fields = operations.record({
            door: 'http',
            // Resolved from the document when it parsed, else what the client asked for.
            name: operationName ?? request.operationName,
            type: operation?.operation,
            code,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
          });
          if (contextValue.req) noteRequestFields(contextValue.req, fields);
        },
      };
    },
  };
}
