import type { NextFunction, Request, Response } from 'express';

/**
 * Headers on every GraphQL-over-HTTP answer: JSON for one viewer, or the GraphiQL page. Nothing
 * here may be kept by a browser or proxy cache (a GET query names its viewer only in a header),
 * nothing is to be sniffed as another type, and the GraphiQL page, on the console's origin, may
 * not be framed by another site. Its meta-tag CSP cannot say frame-ancestors: only a header can.
 */
export function graphqlResponseHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  next();
}
