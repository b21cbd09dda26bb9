import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { CairnError, currentRequestId, type JsonLogger } from '@cairn/common';
import { TAXII_MEDIA_TYPE } from './taxii.constants';
import { TAXII_ERROR_STATUS, TaxiiError, TaxiiErrorCode } from './taxii.errors';

/** TAXII 2.1 error message. */
export interface TaxiiErrorBody {
  title: string;
  description: string;
  error_id?: string;
  error_code: string;
  http_status: string;
}

interface Rendered {
  status: number;
  body: TaxiiErrorBody;
  headers: Record<string, string | string[]>;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  406: 'Not acceptable',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
};

// body-parser's errors (thrown before any controller runs), by their `type`.
const BODY_ERRORS: Record<string, { code: TaxiiErrorCode; description: string }> = {
  'entity.too.large': { code: TaxiiErrorCode.PAYLOAD_TOO_LARGE, description: 'The request body is larger than max_content_length' },
  'entity.parse.failed': { code: TaxiiErrorCode.INVALID_JSON, description: 'The request body is not valid JSON' },
  'encoding.unsupported': { code: TaxiiErrorCode.UNSUPPORTED_ENCODING, description: 'The request body encoding is not supported' },
  'charset.unsupported': { code: TaxiiErrorCode.UNSUPPORTED_CHARSET, description: 'The request body charset is not supported' },
};

/**
 * Any error → a TAXII error message with its HTTP status. Only what Cairn wrote for clients is
 * shown (CairnError, TaxiiError, body-parser's fixed texts); anything else is a 500 whose
 * details go to the log, never to the client.
 */
export function renderTaxiiError(err: unknown, logger?: Pick<JsonLogger, 'error'>): Rendered {
  let status = 500;
  let code: string = 'INTERNAL_SERVER_ERROR';
  let description = 'Internal server error';
  const headers: Record<string, string | string[]> = {};
  const bodyError = typeof (err as { type?: unknown })?.type === 'string' ? BODY_ERRORS[(err as { type: string }).type] : undefined;
  if (err instanceof TaxiiError) {
    ({ httpStatus: status, errorCode: code, message: description } = err);
  } else if (err instanceof CairnError) {
    status = err.httpStatus;
    code = typeof err.details?.reason === 'string' ? err.details.reason : err.code;
    description = err.message;
    if (err.code === 'UNAUTHENTICATED')
      headers['WWW-Authenticate'] = ['Basic realm="cairn-taxii", charset="UTF-8"', 'Bearer realm="cairn-taxii"'];
    const retry = err.details?.retryAfterSeconds;
    if (err.code === 'RATE_LIMITED' && typeof retry === 'number') headers['Retry-After'] = String(retry);
  } else if (bodyError) {
    ({ code, description } = bodyError);
    status = TAXII_ERROR_STATUS[bodyError.code];
  } else if (isUndecodablePath(err)) {
    // A path segment that is not percent-encoded UTF-8 (`/objects/%FF/`) names no collection or
    // object: 404, as any malformed id in the path is.
    status = 404;
    code = TaxiiErrorCode.NOT_FOUND;
    description = 'Resource not found';
  } else if (err instanceof HttpException && err.getStatus() < 500) {
    status = err.getStatus();
    code = (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_');
    description = STATUS_CODES[status] ?? 'Error';
  } else {
    logger?.error(err instanceof Error ? (err.stack ?? err.message) : String(err), 'TAXII');
  }
  const requestId = currentRequestId();
  return {
    status,
    headers,
    body: {
      title: TITLES[status] ?? STATUS_CODES[status] ?? 'Error',
      description,
      ...(requestId ? { error_id: requestId } : {}),
      error_code: code,
      http_status: String(status),
    },
  };
}

/** The router's error for a path parameter decodeURIComponent refuses (its status is 400). */
function isUndecodablePath(err: unknown): boolean {
  return err instanceof URIError && (err as { status?: unknown }).status === 400;
}

/** Writes the error with the TAXII media type (unless the response has already started). */
export function sendTaxiiError(res: Response, err: unknown, logger?: Pick<JsonLogger, 'error'>): void {
  if (res.headersSent) return;
  const rendered = renderTaxiiError(err, logger);
  for (const [name, value] of Object.entries(rendered.headers)) res.setHeader(name, value);
  // setHeader, not res.type(): Express would add a charset parameter to the TAXII media type.
  res.status(rendered.status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.end(JSON.stringify(rendered.body));
}
