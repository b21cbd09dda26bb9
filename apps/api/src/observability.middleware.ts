import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { JsonLogger, Metrics, requestContext, type RequestContext, type RequestHolder } from '@cairn/common';
import { viewerLogFields } from './metrics/graphql-operations';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** What handlers add to a request's access-log line (the GraphQL plugin: operation, type, error code). */
const extraFields = new WeakMap<Request, Record<string, unknown>>();

export function noteRequestFields(req: Request, fields: Record<string, unknown>): void {
  extraFields.set(req, { ...extraFields.get(req), ...fields });
}

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane), runs the rest of the
 * request inside that context, and on finish writes one access-log line and the metrics.
 * The line carries the route pattern, status, duration, who (tenant, user or key id) and, for
 * GraphQL, the operation name, type and error code — never the URL's query, a body, a header or a token.
 * Route labels use the matched route pattern, never the raw URL, so metrics stay bounded.
 */
export function observabilityMiddleware(logger: JsonLogger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    // The same object for the whole request: AuthGuard writes the tenant into it.
    const context: RequestContext = { requestId };
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      requestContext.run(context, () =>
        logger.event('info', 'request', {
          method: req.method,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000 * 10) / 10,
          ...viewerLogFields((req as RequestHolder).viewer, context.tenantId),
          ...extraFields.get(req),
        }),
      );
    });
    requestContext.run(context, next);
  };
}

/**
 * The matched route pattern (`/taxii2/api/collections/:collectionId/objects`, `/health`), `/graphql`
 * for Apollo's mount, `/taxii2/*` for a TAXII path no route matched, else "unmatched".
 * Read from originalUrl: by `finish`, a mounted handler may have left req.url / req.path rewritten.
 */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  const path = (req.originalUrl ?? req.url).split('?')[0].replace(/\/+$/, '');
  if (path === '/graphql') return '/graphql';
  if (path === '/taxii2' || path.startsWith('/taxii2/')) return '/taxii2/*';
  return 'unmatched';
}
