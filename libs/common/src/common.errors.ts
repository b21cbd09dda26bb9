import { DomainError, type ErrorCode } from './errors/cairn-error';

/**
 * Codes of the cross-cutting errors (guards, request budget, database, argument checks, the
 * GraphQL door). Where the code says it all, the reason is the client code itself and is not
 * repeated to clients.
 */
export enum CommonErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INVALID_ARGUMENTS = 'INVALID_ARGUMENTS',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  INVALID_VALUE = 'INVALID_VALUE',
  QUERY_TOO_LONG = 'QUERY_TOO_LONG',
  UNSTORABLE_TEXT = 'UNSTORABLE_TEXT',
}

export const COMMON_ERROR_STATUS: Record<CommonErrorCode, ErrorCode> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INVALID_ARGUMENTS: 'BAD_USER_INPUT',
  OUT_OF_RANGE: 'BAD_USER_INPUT',
  INVALID_VALUE: 'BAD_USER_INPUT',
  QUERY_TOO_LONG: 'BAD_USER_INPUT',
  UNSTORABLE_TEXT: 'BAD_USER_INPUT',
};

export class CommonError extends DomainError<CommonErrorCode> {
  constructor(reason: CommonErrorCode, message: string, details?: Record<string, unknown>) {
    super(reason, COMMON_ERROR_STATUS, message, details);
  }
}
