/**
 * An error only TAXII has (media types, query syntax …). It is not a CairnError because CairnError's
 * codes are shared with GraphQL, which knows no 406 or 415; TaxiiExceptionFilter renders both.
 */
export class TaxiiError extends Error {
  constructor(
    readonly httpStatus: 400 | 404 | 406 | 413 | 415 | 422,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaxiiError';
  }
}

export const badQuery = (message: string) => new TaxiiError(400, 'INVALID_QUERY', message);
export const notFound = (what: string) => new TaxiiError(404, 'NOT_FOUND', `${what} not found`);
