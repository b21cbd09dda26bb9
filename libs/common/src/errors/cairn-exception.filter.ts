import { ArgumentsHost, Catch } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Response } from 'express';
import { BaseExceptionFilter } from '@nestjs/core';
import { CairnError } from './cairn-error';
import { databaseUnavailable, isDatabaseUnavailable } from './database-unavailable';

/**
 * CairnError → HTTP `{ error: code, message }` with its status (401 with a WWW-Authenticate
 * challenge, 429 with Retry-After). In GraphQL it hands the error back unchanged, so it reaches
 * formatGraphqlError as a CairnError instead of being logged as an unhandled exception.
 * Registered app-wide by AuthModule; a controller with its own error format (TAXII) declares
 * its own filter, which takes precedence.
 */
@Catch()
export class CairnExceptionFilter extends BaseExceptionFilter {
  override catch(thrown: unknown, host: ArgumentsHost): unknown {
    const error = thrown instanceof CairnError ? thrown : isDatabaseUnavailable(thrown) ? databaseUnavailable() : undefined;
    if (!error) return this.passOn(thrown, host);
    if (host.getType<GqlContextType>() === 'graphql') return error;
    if (host.getType() !== 'http') throw error;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return undefined;
    const retryAfter = error.details?.retryAfterSeconds;
    if (error.code === 'RATE_LIMITED' && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    if (error.code === 'UNAUTHENTICATED')
      res.setHeader('WWW-Authenticate', ['Bearer realm="cairn"', 'Basic realm="cairn", charset="UTF-8"']);
    res.status(error.httpStatus).json({ error: error.code, message: error.message, ...(error.details ?? {}) });
    return undefined;
  }

  /** Anything else keeps Nest's own handling (HttpExceptions, and a stack-free 500 otherwise). */
  private passOn(thrown: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return thrown;
    super.catch(thrown, host);
    return undefined;
  }
}
