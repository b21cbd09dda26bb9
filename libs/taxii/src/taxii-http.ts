import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isTaxiiContentType, negotiate } from './media-type';
import { TAXII_MEDIA_TYPE } from './taxii.constants';
import { TaxiiError, TaxiiErrorCode } from './taxii.errors';

type TaxiiRequest = Request & { taxiiMediaType?: string };

/**
 * Content negotiation for every TAXII endpoint, after authentication: 406 for an Accept this
 * server cannot answer, 415 for a body (POST) that is not TAXII 2.1 — before any work is done.
 */
@Injectable()
export class TaxiiMediaGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<TaxiiRequest>();
    const media = negotiate(req.headers.accept);
    if (!media)
      throw new TaxiiError(
        TaxiiErrorCode.NOT_ACCEPTABLE,
        `This server answers with ${TAXII_MEDIA_TYPE}; the Accept header does not allow it`,
      );
    req.taxiiMediaType = media;
    if (req.method === 'POST' && !isTaxiiContentType(req.headers['content-type'])) {
      throw new TaxiiError(TaxiiErrorCode.UNSUPPORTED_MEDIA_TYPE, `Send the envelope as Content-Type: ${TAXII_MEDIA_TYPE}`);
    }
    return true;
  }
}

/**
 * Writes a TAXII response as is: the exact media type (Express would otherwise add a charset
 * parameter to it), the given headers, and no caching of tenant-specific content by proxies.
 */
export function sendTaxii(req: Request, res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendTaxiiJson(req, res, status, JSON.stringify(body), headers);
}

/** sendTaxii for a body that is JSON text already. */
export function sendTaxiiJson(req: Request, res: Response, status: number, json: string, headers: Record<string, string> = {}): void {
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', (req as TaxiiRequest).taxiiMediaType ?? TAXII_MEDIA_TYPE);
  res.end(json);
}
