import type { NextFunction, Request, Response } from 'express';
import type { JsonLogger } from '@cairn/common';
import { sendTaxiiError } from './taxii-error';
import { notFound } from './taxii.errors';

interface ExpressLike {
  use(path: string, ...handlers: Array<(...args: never[]) => void>): unknown;
}

/**
 * What no controller sees: unknown paths under /taxii2 and errors raised before routing (the JSON
 * body parser's 413 for a body over MAX_BODY_BYTES, 400 for bad JSON). Without these, Nest's
 * app-wide handlers would answer in a non-TAXII shape. Mounted after the controllers' routes and
 * before Nest's own not-found and error handlers, so only /taxii2 requests are affected.
 */
export function mountTaxiiFallbacks(app: ExpressLike, base: string, logger?: Pick<JsonLogger, 'error'>): void {
  app.use(base, (_req: Request, res: Response) => sendTaxiiError(res, notFound('Resource')));
  app.use(base, (err: unknown, _req: Request, res: Response, _next: NextFunction) => sendTaxiiError(res, err, logger));
}
