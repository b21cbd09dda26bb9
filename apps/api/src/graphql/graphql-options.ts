import type { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { CairnConfig, JsonLogger } from '@cairn/common';
import { clientErrorFormatter, doorValidationRules } from './door-rules';
import { graphiqlLandingPage } from '../graphiql/graphiql.plugin';
import type { GraphqlOperations } from '../metrics/graphql-operations';
import { operationMetricsPlugin } from './operation-metrics.plugin';

/**
 * GraphQL over HTTP (Apollo). The graphql-ws door on the same path is WsDoor, which applies the
 * same rules (door-rules.ts): validation, error masking, production settings.
 */
export function graphqlOptions(logger: JsonLogger, config: CairnConfig, operations: GraphqlOperations): Omit<ApolloDriverConfig, 'driver'> {
  const production = config.env === 'production';
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // Nest's own GraphiQL page loads its scripts from a public CDN; ours (graphiqlLandingPage) serves them
    // itself. Production serves no GraphiQL page; with playground off Apollo's default landing page is disabled.
    graphiql: false,
    playground: false,
    // Introspection is refused in production by doorValidationRules, the same rule on both doors;
    // Apollo's own switch (which reads process.env.NODE_ENV, not Cairn's config) would be a second copy.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Refused before execution: see README "Limits".
    validationRules: doorValidationRules(config),
    allowBatchedHttpRequests: false,
    // No per-field cache hints: nothing here is cacheable across viewers, and the wrapping costs every field.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      operationMetricsPlugin(operations),
      ...(production ? [] : [graphiqlLandingPage('/graphql')]),
    ],
    formatError: clientErrorFormatter(config, logger),
    // Apollo (and its HTTP drain, which destroys upgraded sockets) stops after WsDoor has closed its sockets with 1001.
    stopOnApplicationShutdown: true,
  };
}
