import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { subscribeSharingResults } from './shared-subscription-results';
import { authorizationOf, formatGraphqlError, queryLimitsRule, type Authenticator, type CairnConfig, type JsonLogger, type RequestHolder } from '@cairn/common';

interface WsContext extends RequestHolder {
  connectionParams?: Record<string, unknown>;
  extra?: unknown;
}

interface Socket {
  close(code: number, reason: string): void;
}

function socketOf(ctx: WsContext): Socket | undefined {
  return (ctx.extra as { socket?: Socket } | undefined)?.socket;
}


/** WebSocket close code for "this tenant already holds its share of connections". */
export const WS_TOO_MANY_CONNECTIONS = 4429;

/**
 * GraphQL over HTTP and over graphql-ws on the same path. A WebSocket is authenticated once,
 * when it connects (token in connectionParams.authorization); a bad token closes it with 4403.
 * Each operation on it then finds the viewer on the connection context (see AuthGuard).
 */
export function graphqlOptions(auth: Authenticator, logger: JsonLogger, config: CairnConfig): Omit<ApolloDriverConfig, 'driver'> {
  const connections = new Map<string, number>();
  const graphqlWs: GraphQLWsSubscriptionsConfig & { subscribe: typeof subscribeSharingResults } = {
    path: '/graphql',
    // One execution per feed row and operation, shared by the subscribers that receive it. Nest
    // hands these options to graphql-ws as they are, though its type does not list `subscribe`.
    subscribe: subscribeSharingResults,
    onConnect: async (context) => {
      const ctx = context as WsContext;
      try {
        ctx.viewer = await auth.authenticate(authorizationOf(ctx), {});
      } catch {
        return false;
      }
      const tenant = ctx.viewer.tenantId;
      const open = connections.get(tenant) ?? 0;
      if (open >= config.limits.wsConnectionsPerTenant) {
        socketOf(ctx)?.close(WS_TOO_MANY_CONNECTIONS, `At most ${config.limits.wsConnectionsPerTenant} WebSocket connections per tenant`);
        return false;
      }
      connections.set(tenant, open + 1);
      return true;
    },
    onClose: (context) => {
      const ctx = context as WsContext;
      const tenant = ctx.viewer?.tenantId;
      if (!tenant || !connections.has(tenant)) return;
      const left = connections.get(tenant)! - 1;
      if (left > 0) connections.set(tenant, left);
      else connections.delete(tenant);
    },
  };
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: true,
    playground: false,
    includeStacktraceInErrorResponses: false,
    // Refused before execution: see README "Limits".
    validationRules: [queryLimitsRule({ maxDepth: config.limits.graphqlMaxDepth, maxFields: config.limits.graphqlMaxFields, maxAliases: config.limits.graphqlMaxAliases })],
    allowBatchedHttpRequests: false,
    // No per-field cache hints: nothing here is cacheable across viewers, and the wrapping costs every field.
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginUsageReportingDisabled()],
    subscriptions: { 'graphql-ws': graphqlWs },
    formatError: (formatted, error) => formatGraphqlError(formatted, error, (err) => logger.error(err instanceof Error ? err : String(err), 'GraphQL')),
  };
}
