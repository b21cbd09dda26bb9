import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { JsonLogger, Metrics, requestContext } from '@cairn/common';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane), runs the rest of the
 * request inside that context, and on finish writes one access-log line and the metrics.
 * Route labels use the matched route pattern, never the raw URL, so metrics stay bounded.
 */
export function observabilityMiddleware(logger: JsonLogger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      requestContext.run({ requestId }, () =>
        logger.event('info', 'request', { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000 * 10) / 10 }),
      );
    });
    requestContext.run({ requestId }, next);
  };
}

function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route?.path;
  if (route) return `${req.baseUrl}${route}`;
  if (req.path === '/graphql') return '/graphql';
  return 'unmatched';
}
