/** Client-facing error codes, shared by GraphQL (`extensions.code`) and REST/TAXII (HTTP status). */
export const ERROR_HTTP_STATUS = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

/**
 * Base for every error a client may see. Its message is safe to show; `details` carries
 * structured facts (e.g. per-object validation issues). Anything that is not a CairnError
 * reaches a client only as "Internal server error".
 */
export class CairnError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get httpStatus(): number {
    return ERROR_HTTP_STATUS[this.code];
  }
}

/**
 * Base of every domain error: `reason` is a value of the domain's code enum (its `*.errors.ts`),
 * and the domain's table says which client code (and so HTTP status) it is. Clients see
 * `reason` beside `code` (GraphQL extensions, REST body, TAXII error_code) except where it would
 * only repeat the code (e.g. UNAUTHENTICATED: one answer for every credential problem).
 */
export abstract class DomainError<R extends string = string> extends CairnError {
  constructor(
    readonly reason: R,
    status: Readonly<Record<R, ErrorCode>>,
    message: string,
    details?: Record<string, unknown>,
  ) {
    const code = status[reason];
    super(code, message, (reason as string) === code ? details : { reason, ...(details ?? {}) });
  }
}
