import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CAIRN_CONFIG, type CairnConfig } from '@cairn/common';
import { CONSOLE_ASSET_PATH, CONSOLE_SECURITY_HEADERS, consoleDir, loadConsole, NOT_BUILT_PAGE, type ConsoleFiles } from './console-files';

/** Serves the web console at `/` and its hashed assets; GraphQL, TAXII and GraphiQL keep their own paths. */
@Controller()
export class ConsoleController {
  private readonly files: ConsoleFiles | undefined;

  constructor(@Inject(CAIRN_CONFIG) config: CairnConfig) {
    const dir = config.consoleDir ?? consoleDir();
    this.files = dir ? loadConsole(dir, { oidcIssuer: config.auth.oidc?.issuer }) : undefined;
  }

  @Get()
  page(@Res() res: Response): void {
    for (const [k, v] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    // The page names the current build's assets: always revalidate it.
    res.setHeader('Cache-Control', 'no-cache');
    res.status(this.files ? 200 : 503).send(this.files?.page ?? NOT_BUILT_PAGE);
  }

  @Get(`${CONSOLE_ASSET_PATH.slice(1)}/:file`)
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    const asset = this.files?.assets.get(file);
    if (!asset) throw new NotFoundException();
    for (const [k, v] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.setHeader(k, v);
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
