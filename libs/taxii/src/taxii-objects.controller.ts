import { Body, Controller, Delete, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { TaxiiObjectsService } from './objects/taxii-objects.service';
import { TaxiiPublishService } from './publish/taxii-publish.service';
import { TaxiiExceptionFilter } from './taxii-exception.filter';
import { sendTaxii, sendTaxiiJson, TaxiiMediaGuard } from './taxii-http';
import { envelope, objectsEnvelopeJson, type TaxiiRow } from './taxii-page';
import { DELETE_PARAMS, OBJECT_PARAMS, OBJECTS_PARAMS, parseTaxiiQuery, VERSIONS_PARAMS } from './taxii-query';
import { API_ROOT_PATH, STIX_MEDIA_TYPE } from './taxii.constants';

const manifestRecord = (r: TaxiiRow) => ({ id: r.id, date_added: r.dateAdded, version: r.version, media_type: STIX_MEDIA_TYPE });

/** One collection's objects, manifest, single objects and their versions (TAXII 2.1 §5). */
@Controller(`${API_ROOT_PATH}/collections/:collectionId`)
@UseGuards(AuthGuard, TaxiiMediaGuard)
@UseFilters(TaxiiExceptionFilter)
export class TaxiiObjectsController {
  constructor(
    private readonly objects: TaxiiObjectsService,
    private readonly publishing: TaxiiPublishService,
  ) {}

  @Get('objects')
  @RequireScopes('taxii:read')
  async getObjects(
    @CurrentViewer() viewer: Viewer,
    @Param('collectionId') collectionId: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.objects.page(viewer, collectionId, parseTaxiiQuery(raw, OBJECTS_PARAMS, this.objects.maxPage), {
      withDoc: true,
    });
    sendTaxiiJson(req, res, 200, objectsEnvelopeJson(page), page.headers);
  }

  @Post('objects')
  @RequireScopes('taxii:write')
  async addObjects(
    @CurrentViewer() viewer: Viewer,
    @Param('collectionId') collectionId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendTaxii(req, res, 202, await this.publishing.post(viewer, collectionId, body));
  }

  @Get('manifest')
  @RequireScopes('taxii:read')
  async manifest(
    @CurrentViewer() viewer: Viewer,
    @Param('collectionId') collectionId: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.objects.page(viewer, collectionId, parseTaxiiQuery(raw, OBJECTS_PARAMS, this.objects.maxPage), {
      withDoc: false,
    });
    sendTaxii(req, res, 200, envelope('objects', page, page.rows.map(manifestRecord)), page.headers);
  }

  @Get('objects/:objectId')
  @RequireScopes('taxii:read')
  async getObject(
    @CurrentViewer() viewer: Viewer,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.objects.page(viewer, collectionId, parseTaxiiQuery(raw, OBJECT_PARAMS, this.objects.maxPage), {
      withDoc: true,
      objectId,
    });
    sendTaxiiJson(req, res, 200, objectsEnvelopeJson(page), page.headers);
  }

  @Delete('objects/:objectId')
  @RequireScopes('taxii:write')
  async deleteObject(
    @CurrentViewer() viewer: Viewer,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    parseTaxiiQuery(raw, DELETE_PARAMS, this.objects.maxPage);
    await this.objects.revoke(viewer, collectionId, objectId);
    sendTaxii(req, res, 200, {});
  }

  @Get('objects/:objectId/versions')
  @RequireScopes('taxii:read')
  async versions(
    @CurrentViewer() viewer: Viewer,
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() raw: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const query = {
      ...parseTaxiiQuery(raw, VERSIONS_PARAMS, this.objects.maxPage),
      versions: { all: true, first: false, last: false, at: [] },
    };
    const page = await this.objects.page(viewer, collectionId, query, { withDoc: false, objectId });
    sendTaxii(
      req,
      res,
      200,
      envelope(
        'versions',
        page,
        page.rows.map((r) => r.version),
      ),
      page.headers,
    );
  }
}
