import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessScope } from '@cairn/access';
import { CAIRN_CONFIG, type CairnConfig, type Viewer } from '@cairn/common';
import { FeedCursors, IntelService, PublishService, StoredObjectsService, type CollectionRow } from '@cairn/intel';
import { TenancyService } from '@cairn/tenancy';
import { collectionFilter } from '../collections/collection-kinds';
import { TaxiiCollectionsService } from '../collections/taxii-collections.service';
import { NextTokens } from '../next-token';
import { toPage, type TaxiiPage, type TaxiiRow } from '../taxii-page';
import { isObjectIdShape, type TaxiiQuery } from '../taxii-query';
import { notFound } from '../taxii.errors';

type FetchedRow = TaxiiRow & CollectionRow;

/** Reading a collection (objects, manifest, one object, its versions) and revoking in it. */
@Injectable()
export class TaxiiObjectsService {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly tenancy: TenancyService,
    private readonly collections: TaxiiCollectionsService,
    private readonly publishing: PublishService,
    private readonly intel: IntelService,
    private readonly storedObjects: StoredObjectsService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    cursors: FeedCursors,
  ) {
    this.nextTokens = new NextTokens(cursors.cipher);
  }

  /** The server's largest page, which a larger `limit` is lowered to. */
  get maxPage(): number {
    return this.config.taxiiMaxPage;
  }

  /**
   * A page of the collection. With `objectId`, only that object's versions, and 404 when the
   * collection holds no version of it at all (whatever the filters).
   */
  async page(viewer: Viewer, collectionId: string, query: TaxiiQuery, opts: { withDoc: boolean; objectId?: string }): Promise<TaxiiPage> {
    if (opts.objectId !== undefined) checkObjectId(opts.objectId);
    let q = opts.objectId ? { ...query, ids: [opts.objectId] } : query;
    // One transaction: the collection, the page, and for an object's page that came back empty,
    // whether the collection holds the object at all (a page with rows already says it does).
    let boundTo = '';
    const rows = await this.tenancy.asViewerReading('taxii.objects', viewer.tenantId, async (m, scope) => {
      const { collection } = await this.collections.resolveIn(m, scope, viewer, collectionId);
      boundTo = collection.id;
      if (q.next !== undefined) q = { ...q, afterSeq: this.nextTokens.decode(viewer.tenantId, collection.id, q.next) };
      const filter = collectionFilter(collection);
      const found: FetchedRow[] = await this.storedObjects.collectionPage(m, scope, filter, { ...q, withDoc: opts.withDoc });
      if (opts.objectId && found.length === 0 && !(await this.holds(m, scope, filter, opts.objectId))) throw notFound('Object');
      return found;
    });
    const page = toPage(rows, q.limit, (seq) => this.nextTokens.encode(viewer.tenantId, boundTo, seq));
    if (opts.withDoc)
      await this.intel.auditRestrictedReads(
        viewer,
        (page.rows as FetchedRow[]).map((r) => ({ id: r.id, modified: r.version, tlp: r.tlp, publishedByViewer: r.ownRow })),
        'taxii',
      );
    return page;
  }

  /**
   * DELETE: the object's publisher revokes it (a new version with revoked: true, the same
   * sharing), rather than erasing it — SIEMs that already pulled it learn of the withdrawal by
   * pulling the revoked version. 404 when the collection does not hold it; 403 when the viewer
   * did not publish it.
   */
  async revoke(viewer: Viewer, collectionId: string, objectId: string): Promise<void> {
    checkObjectId(objectId);
    const held = await this.tenancy.asViewer(viewer.tenantId, async (m, scope) => {
      const { collection } = await this.collections.resolveIn(m, scope, viewer, collectionId);
      return this.holds(m, scope, collectionFilter(collection), objectId);
    });
    if (!held) throw notFound('Object');
    await this.publishing.revoke(viewer, objectId);
  }

  /** Whether the collection holds any version of the object, whatever the filters. */
  private async holds(
    m: EntityManager,
    scope: AccessScope,
    filter: ReturnType<typeof collectionFilter>,
    objectId: string,
  ): Promise<boolean> {
    return this.storedObjects.collectionHolds(m, scope, filter, objectId);
  }
}

/**
 * An object id in the path that is not of the STIX shape names no object: 404 with a TAXII error, as
 * an unknown object id and a malformed collection or status id are (TAXII 2.1 gives 404 for an Object
 * ID not found; 400 is for query parameters, as a malformed match[id] gets), rather than text sent
 * to SQL, which refused a NUL with a 500.
 */
function checkObjectId(objectId: string): void {
  if (!isObjectIdShape(objectId)) throw notFound('Object');
}
