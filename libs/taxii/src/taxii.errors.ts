/** Codes of the errors only TAXII has (media types, query syntax, envelopes, request bodies); the TAXII error_code. */
export enum TaxiiErrorCode {
  INVALID_QUERY = 'INVALID_QUERY',
  NOT_FOUND = 'NOT_FOUND',
  NOT_ACCEPTABLE = 'NOT_ACCEPTABLE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  INVALID_ENVELOPE = 'INVALID_ENVELOPE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  INVALID_JSON = 'INVALID_JSON',
  UNSUPPORTED_ENCODING = 'UNSUPPORTED_ENCODING',
  UNSUPPORTED_CHARSET = 'UNSUPPORTED_CHARSET',
}

/** HTTP status of each; TAXII errors have no GraphQL code (GraphQL knows no 406 or 415). */
export const TAXII_ERROR_STATUS: Record<TaxiiErrorCode, 400 | 404 | 406 | 413 | 415 | 422> = {
  INVALID_QUERY: 400,
  NOT_FOUND: 404,
  NOT_ACCEPTABLE: 406,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_ENVELOPE: 422,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_JSON: 400,
  UNSUPPORTED_ENCODING: 415,
  UNSUPPORTED_CHARSET: 415,
};

/**
 * An error only TAXII has. It is not a CairnError because CairnError's codes are shared with
 * GraphQL, which knows no 406 or 415; TaxiiExceptionFilter renders both.
 */
export class TaxiiError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly errorCode: TaxiiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TaxiiError';
    this.httpStatus = TAXII_ERROR_STATUS[errorCode];
  }
}

export const badQuery = (message: string) => new TaxiiError(TaxiiErrorCode.INVALID_QUERY, message);
export const notFound = (what: string) => new TaxiiError(TaxiiErrorCode.NOT_FOUND, `${what} not found`);
