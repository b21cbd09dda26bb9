import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runAsViewer, SqlParams } from '@cairn/access';
import { CAIRN_CONFIG, type CairnConfig, type Viewer } from '@cairn/common';
import { IntelService, PublishService } from '@cairn/intel';
import { collectionFilter } from '../collections/collection-kinds';
import { TaxiiCollectionsService } from '../collections/taxii-collections.service';
import { toPage, type TaxiiPage, type TaxiiRow } from '../taxii-page';
import type { TaxiiQuery } from '../taxii-query';
import { notFound } from '../taxii.errors';
import { taxiiObjectExistsSql, taxiiPageSql } from './taxii-objects.sql';

type FetchedRow = TaxiiRow & { tlp: string; ownRow: boolean };

/** Reading a collection (objects, manifest, one object, its versions) and revoking in it. */
@Injectable()
export class TaxiiObjectsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly collections: TaxiiCollectionsService,
    private readonly publishing: PublishService,
    private readonly intel: IntelService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  /** The server's largest page, which a larger `limit` is lowered to. */
  get maxPage(): number {
    return this.config.taxiiMaxPage;
  }

  /**
   * A page of the collection. With `objectId`, only that object's versions, and 404 when the
   * collection holds no version of it at all (whatever the filters).
   */
  async page(viewer: Viewer, collectionId: string, query: TaxiiQuery, opts: { withDoc: boolean; objectId?: string }): Promise<TaxiiPage> {
    const { collection, scope } = await this.collections.resolve(viewer, collectionId);
    const filter = collectionFilter(collection);
    const q = opts.objectId ? { ...query, ids: [opts.objectId] } : query;
    const rows = await runAsViewer(this.dataSource, scope, async (m) => {
      if (opts.objectId) {
        const p = new SqlParams();
        const [{ found }] = await m.query(taxiiObjectExistsSql(scope, filter, opts.objectId, p), p.values);
        if (!found) throw notFound('Object');
      }
      const p = new SqlParams();
      return (await m.query(taxiiPageSql(scope, filter, q, { withDoc: opts.withDoc }, p), p.values)) as FetchedRow[];
    });
    const page = toPage(rows, q.limit);
    if (opts.withDoc) await this.intel.auditRestrictedReads(viewer, (page.rows as FetchedRow[]).map((r) => ({ id: r.id, modified: r.version, tlp: r.tlp, publishedByViewer: r.ownRow })), 'taxii');
    return page;
  }

  /**
   * DELETE: the object's publisher revokes it (a new version with revoked: true, the same
   * sharing), rather than erasing it — SIEMs that already pulled it learn of the withdrawal by
   * pulling the revoked version. 404 when the collection does not hold it; 403 when the viewer
   * did not publish it.
   */
  async revoke(viewer: Viewer, collectionId: string, objectId: string): Promise<void> {
    const { collection, scope } = await this.collections.resolve(viewer, collectionId);
    const p = new SqlParams();
    const sql = taxiiObjectExistsSql(scope, collectionFilter(collection), objectId, p);
    const [{ found }] = await runAsViewer(this.dataSource, scope, (m) => m.query(sql, p.values));
    if (!found) throw notFound('Object');
    await this.publishing.revoke(viewer, objectId);
  }
}
