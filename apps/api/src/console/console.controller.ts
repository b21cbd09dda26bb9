import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CAIRN_CONFIG, type CairnConfig } from '@cairn/common';
import {
  CONSOLE_ASSET_PATH,
  consoleDir,
  consoleSecurityHeaders,
  loadConsole,
  NOT_BUILT_PAGE,
  OIDC_CALLBACK_PATH,
  type ConsoleFiles,
  type ConsoleOidc,
} from './console-files';

/** Serves the web console at `/` and its hashed assets; GraphQL, TAXII and GraphiQL keep their own paths. */
@Controller()
export class ConsoleController {
  private readonly files: ConsoleFiles | undefined;
  private readonly headers: Record<string, string>;

  constructor(@Inject(CAIRN_CONFIG) config: CairnConfig) {
    const dir = config.consoleDir ?? consoleDir();
    const o = config.auth.oidc;
    // Only with a client id does the console sign in at the IdP (and so only then may it talk to it).
    const oidc: ConsoleOidc | undefined = o?.clientId ? { ...o, clientId: o.clientId } : undefined;
    this.files = dir ? loadConsole(dir, oidc) : undefined;
    this.headers = consoleSecurityHeaders(oidc);
  }

  // The IdP's redirect back lands on the same page, which finishes the sign-in from its query.
  @Get(['', OIDC_CALLBACK_PATH.slice(1)])
  page(@Res() res: Response): void {
    for (const [k, v] of Object.entries(this.headers)) res.setHeader(k, v);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    // The page names the current build's assets: always revalidate it.
    res.setHeader('Cache-Control', 'no-cache');
    res.status(this.files ? 200 : 503).send(this.files?.page ?? NOT_BUILT_PAGE);
  }

  @Get(`${CONSOLE_ASSET_PATH.slice(1)}/:file`)
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    const asset = this.files?.assets.get(file);
    if (!asset) throw new NotFoundException();
    for (const [k, v] of Object.entries(this.headers)) res.setHeader(k, v);
    res.setHeader('Content-Type', asset.contentType);
    // File names carry a content hash: a new build has new names.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('Vary', 'Accept-Encoding');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(asset.gzip);
    } else res.send(asset.body);
  }
}
