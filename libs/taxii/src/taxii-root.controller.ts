import { Controller, Get, Inject, Param, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthGuard, CAIRN_CONFIG, CurrentViewer, RequireScopes, type CairnConfig, type Viewer } from '@cairn/common';
import { TaxiiCollectionsService, type TaxiiCollectionRecord } from './collections/taxii-collections.service';
import { TaxiiPublishService } from './publish/taxii-publish.service';
import { TaxiiExceptionFilter } from './taxii-exception.filter';
import { sendTaxii, TaxiiMediaGuard } from './taxii-http';
import { API_ROOT, API_ROOT_PATH, STIX_MEDIA_TYPE, TAXII_BASE, TAXII_MEDIA_TYPE } from './taxii.constants';
import { notFound } from './taxii.errors';

/** Discovery, the API root, collections and status (TAXII 2.1 §4). Paths answer with and without a trailing slash. */
@Controller(TAXII_BASE)
@UseGuards(AuthGuard, TaxiiMediaGuard)
@UseFilters(TaxiiExceptionFilter)
export class TaxiiRootController {
  constructor(
    private readonly collections: TaxiiCollectionsService,
    private readonly publishing: TaxiiPublishService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  @Get()
  @RequireScopes('taxii:read')
  discovery(@Req() req: Request, @Res() res: Response): void {
    const root = `${this.config.publicUrl.replace(/\/$/, '')}/${API_ROOT_PATH}/`;
    sendTaxii(req, res, 200, {
      title: 'Cairn TAXII 2.1',
      description: 'Threat intelligence shared between Cairn members. Each organisation sees the collections it is entitled to.',
      default: root,
      api_roots: [root],
    });
  }

  @Get(API_ROOT)
  @RequireScopes('taxii:read')
  apiRoot(@Req() req: Request, @Res() res: Response): void {
    sendTaxii(req, res, 200, {
      title: 'Cairn',
      description:
        'Collections per organisation: everything it may see, its own publications, the community, its sectors and its sharing groups.',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: this.config.maxBodyBytes,
    });
  }

  @Get(`${API_ROOT}/status/:statusId`)
  @RequireScopes('taxii:read')
  async status(
    @CurrentViewer() viewer: Viewer,
    @Param('statusId') statusId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendTaxii(req, res, 200, await this.publishing.status(viewer, statusId));
  }

  @Get(`${API_ROOT}/collections`)
  @RequireScopes('taxii:read')
  async listCollections(@CurrentViewer() viewer: Viewer, @Req() req: Request, @Res() res: Response): Promise<void> {
    const list = await this.collections.list(viewer);
    sendTaxii(req, res, 200, { collections: list.map((c) => toResource(c, viewer)) });
  }

  @Get(`${API_ROOT}/collections/:collectionId`)
  @RequireScopes('taxii:read')
  async collection(
    @CurrentViewer() viewer: Viewer,
    @Param('collectionId') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const found = (await this.collections.list(viewer)).find((c) => c.id === id.toLowerCase());
    if (!found) throw notFound('Collection');
    sendTaxii(req, res, 200, toResource(found, viewer));
  }
}

/** can_read / can_write follow the credential's scopes: the same collection, seen by a read-only key, is read-only. */
function toResource(c: TaxiiCollectionRecord, viewer: Viewer) {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    alias: c.alias,
    can_read: viewer.scopes.has('taxii:read'),
    can_write: viewer.scopes.has('taxii:write'),
    media_types: [STIX_MEDIA_TYPE],
  };
}
