import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessScope } from '@cairn/access';
import { AuditService } from '@cairn/audit';
import { isUuid, type Viewer } from '@cairn/common';
import { SharingGroupsService, TenancyService } from '@cairn/tenancy';
import { notFound } from '../taxii.errors';
import { collectionDefinitions, isCurrent, type CollectionKind } from './collection-kinds';

/** A row of taxii_collection. */
export interface TaxiiCollectionRecord {
  id: string;
  kind: CollectionKind;
  key: string;
  title: string;
  description?: string;
  alias?: string;
  /** POSTs here are published in repair mode (an operator's choice, CLI `taxii repair`). */
  repair_on_post?: boolean;
}

/** A collection resolved for one request, with the viewer's access scope read once. */
export interface ResolvedCollection {
  collection: TaxiiCollectionRecord;
  scope: AccessScope;
}

/** Each tenant's collections: created on first listing, ids kept for good (SIEMs are configured with them). */
@Injectable()
export class TaxiiCollectionsService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly groups: SharingGroupsService,
    private readonly audit: AuditService,
  ) {}

  /** The viewer's tenant's current collections, creating the rows of new ones. */
  async list(viewer: Viewer): Promise<TaxiiCollectionRecord[]> {
    const [tenant, scope, groups] = await Promise.all([
      this.tenancy.getTenant(viewer.tenantId),
      this.tenancy.accessScope(viewer.tenantId),
      this.groups.groupsOf(viewer.tenantId),
    ]);
    const defs = collectionDefinitions(
      tenant.name,
      scope.sectors,
      groups.map((g) => g.group),
    );
    const rows = await this.tenancy.asViewer(scope, async (m) => {
      // A title follows a renamed tenant or group; the id never changes.
      await m.query(
        `INSERT INTO taxii_collection (tenant_id, kind, key, title)
         SELECT $1::uuid, d.kind, d.key, d.title FROM jsonb_to_recordset($2::jsonb) AS d(kind text, key text, title text)
         ON CONFLICT (tenant_id, kind, key) DO UPDATE SET title = EXCLUDED.title
           WHERE taxii_collection.title IS DISTINCT FROM EXCLUDED.title`,
        [viewer.tenantId, JSON.stringify(defs.map(({ kind, key, title }) => ({ kind, key, title })))],
      );
      return m.query(`SELECT id, kind, key, title FROM taxii_collection WHERE tenant_id = $1::uuid`, [viewer.tenantId]) as Promise<
        TaxiiCollectionRecord[]
      >;
    });
    const byKey = new Map(rows.map((r) => [`${r.kind}|${r.key}`, r]));
    return defs.map((d) => ({ ...byKey.get(`${d.kind}|${d.key}`)!, description: d.description, alias: d.alias }));
  }

  /**
   * One of the viewer's tenant's current collections, in a transaction of its own. Another tenant's
   * collection, an unknown id and a sector or group the tenant has left are all the same 404: ids leak nothing.
   */
  async resolve(viewer: Viewer, id: string): Promise<ResolvedCollection> {
    return this.tenancy.asViewer(viewer.tenantId, (m, scope) => this.resolveIn(m, scope, viewer, id));
  }

  /** resolve, on `m`: a transaction whose viewer is `scope`, the viewer's (TenancyService.asViewer). */
  async resolveIn(m: EntityManager, scope: AccessScope, viewer: Viewer, id: string): Promise<ResolvedCollection> {
    if (!isUuid(id)) throw notFound('Collection');
    const rows: TaxiiCollectionRecord[] = await m.query(
      `SELECT id, kind, key, title, repair_on_post FROM taxii_collection WHERE id = $1::uuid AND tenant_id = $2::uuid`,
      [id, viewer.tenantId],
    );
    if (rows.length === 0 || !isCurrent(rows[0], scope)) throw notFound('Collection');
    return { collection: rows[0], scope };
  }

  /**
   * Turns repair mode for POSTs on or off for one of the tenant's collections, named by id or alias
   * (`all`, `own`, `community`, `sector-<s>`, `group-<slug>`); returns it. For the operator's CLI:
   * a member's publications stay strict unless the operator chose otherwise for that collection.
   */
  async setRepairOnPost(viewer: Viewer, idOrAlias: string, repair: boolean): Promise<TaxiiCollectionRecord> {
    const found = (await this.list(viewer)).find((c) => c.id === idOrAlias || c.alias === idOrAlias);
    if (!found) throw notFound('Collection');
    await this.tenancy.asViewer(viewer.tenantId, async (m) => {
      await m.query(`UPDATE taxii_collection SET repair_on_post = $2 WHERE id = $1::uuid AND tenant_id = $3::uuid`, [
        found.id,
        repair,
        viewer.tenantId,
      ]);
      await this.audit.record(
        {
          action: 'taxii.collection_repair',
          viewer,
          targetType: 'taxii_collection',
          targetId: found.id,
          details: { alias: found.alias, repairOnPost: repair },
        },
        m,
      );
    });
    return { ...found, repair_on_post: repair };
  }
}
