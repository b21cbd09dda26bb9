import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CAIRN_CONFIG, type CairnConfig } from '@cairn/common';
import { GRAPHIQL_ASSET_PATH, graphiqlAsset } from './graphiql-assets';

/** Serves the GraphiQL page's scripts and styles (never in production, where there is no GraphiQL). */
@Controller(GRAPHIQL_ASSET_PATH.slice(1))
export class GraphiqlController {
  constructor(@Inject(CAIRN_CONFIG) private readonly config: CairnConfig) {
    // Read the files now, so a missing package fails start-up rather than the first browser.
    if (config.env !== 'production') graphiqlAsset('graphiql.js');
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = this.config.env === 'production' ? undefined : graphiqlAsset(file);
    if (!asset) throw new NotFoundException();
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(asset.body);
  }
}
