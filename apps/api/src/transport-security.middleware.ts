import type { NextFunction, Request, Response } from 'express';

/**
 * Strict-Transport-Security on every answer when the public address is https (PUBLIC_URL): after
 * one visit the browser never again asks for the console, GraphQL or TAXII over plain http, so a
 * network attacker cannot strip TLS off a later visit and collect the password typed into a fake
 * sign-in page. Not sent for an http PUBLIC_URL (development), where it would lock the host out.
 */
export function transportSecurity(publicUrl: string): ((req: Request, res: Response, next: NextFunction) => void) | undefined {
  if (!publicUrl.startsWith('https:')) return undefined;
  return (_req, res, next) => {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}
