import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { CairnError } from './cairn-error';
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable';

// Codes that Apollo/graphql-js assign to problems with the request itself; their messages are safe.
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/** Maps any error to what a client may see: domain errors with their code, anything else masked. Never a stack trace. */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onInternal: (err: unknown) => void,
): GraphQLFormattedError {
  let original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (!(original instanceof CairnError) && isDatabaseUnavailable(original)) original = databaseUnavailable();
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof CairnError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...(original.details ?? {}) } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  // Nest's HttpExceptions (e.g. from guards) arrive already translated by @nestjs/apollo.
  if (original instanceof GraphQLError && original.extensions?.code && REQUEST_ERROR_CODES.has(String(original.extensions.code))) {
    return { ...base, message: formatted.message, extensions: { code: original.extensions.code } };
  }
  onInternal(original);
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
