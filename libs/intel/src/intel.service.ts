import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runAsViewer } from '@cairn/access';
import type { Viewer } from '@cairn/common';
import { TenancyService } from '@cairn/tenancy';
import { AuditService } from '@cairn/audit';
import { decodeCursor, encodeCursor } from './cursor';
import { IntelError, IntelErrorCode } from './intel.errors';
import { insertObjects, listVisible, type NewObjectRow, type StoredObject } from './object-store';
import { resolveSharing, type SharingRequest } from './sharing';

export interface ObjectFilter {
  types?: string[];
  ids?: string[];
  tlps?: string[];
}

export interface ObjectPage {
  nodes: Array<StoredObject & { cursor: string }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

const MAX_PAGE = 1000;

/** Member intelligence: storing versions with their sharing, and reading what a viewer may see. */
@Injectable()
export class IntelService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
  ) {}

  /** Stores object versions with one sharing decision, all in one transaction. */
  async storeObjects(viewer: Viewer, docs: Array<Record<string, unknown>>, sharing: SharingRequest = {}): Promise<{ stored: number }> {
    const publisher = await this.tenancy.getTenant(viewer.tenantId);
    const scope = await this.tenancy.accessScope(viewer.tenantId);
    const recipients = sharing.recipientTenantIds?.length ? await this.tenancy.findTenants(sharing.recipientTenantIds) : [];
    const resolved = resolveSharing(sharing, publisher, {
      publisherGroupIds: scope.groupIds,
      existingRecipientIds: new Set(recipients.filter((t) => t.kind === 'member').map((t) => t.id)),
    });
    const rows = docs.map((doc, i) => toRow(doc, i));
    const inserted = await runAsViewer(this.dataSource, scope, async (m) => {
      const result = await insertObjects(m, resolved.audience, resolved.tlp, rows);
      await this.audit.record({ action: 'intel.published', viewer, details: { count: result.length, distribution: resolved.audience.distribution, tlp: resolved.tlp } }, m);
      return result;
    });
    return { stored: inserted.length };
  }

  /** A page of the objects the viewer may see, oldest first in feed order. */
  async listObjects(viewer: Viewer, filter: ObjectFilter, first: number, after?: string): Promise<ObjectPage> {
    const limit = Math.min(Math.max(first, 1), MAX_PAGE);
    const afterSeq = after ? decodeCursor(after) : undefined;
    const scope = await this.tenancy.accessScope(viewer.tenantId);
    const rows = await runAsViewer(this.dataSource, scope, (m) => listVisible(m, scope, { ...filter, afterSeq, limit: limit + 1 }));
    await this.auditRestrictedReads(viewer, rows.slice(0, limit));
    const nodes = rows.slice(0, limit).map((r) => ({ ...r, cursor: encodeCursor(r.feedSeq) }));
    return { nodes, hasNextPage: rows.length > limit, endCursor: nodes.length ? nodes[nodes.length - 1].cursor : null };
  }

  /** The newest visible version of one object, or NOT_FOUND (also when it exists but is not visible). */
  async getObject(viewer: Viewer, id: string): Promise<StoredObject> {
    const scope = await this.tenancy.accessScope(viewer.tenantId);
    const rows = await runAsViewer(this.dataSource, scope, (m) => listVisible(m, scope, { ids: [id], limit: MAX_PAGE }));
    if (rows.length === 0) throw new IntelError(IntelErrorCode.OBJECT_NOT_FOUND, 'No such object', 'id');
    const newest = rows.reduce((a, b) => (b.modified > a.modified ? b : a));
    await this.auditRestrictedReads(viewer, [newest]);
    return newest;
  }

  /** Reads of another tenant's TLP:AMBER+STRICT and TLP:RED objects are audited (one entry per request). */
  private async auditRestrictedReads(viewer: Viewer, rows: StoredObject[]): Promise<void> {
    const restricted = rows.filter((r) => !r.publishedByViewer && (r.tlp === 'RED' || r.tlp === 'AMBER+STRICT'));
    if (restricted.length === 0) return;
    await this.audit.record({
      action: 'intel.read_restricted',
      viewer,
      targetType: 'stix_object',
      details: { count: restricted.length, objects: restricted.slice(0, 100).map((r) => ({ id: r.id, modified: r.modified, tlp: r.tlp })) },
    });
  }
}

function toRow(doc: Record<string, unknown>, index: number): NewObjectRow {
  const id = doc.id;
  const type = doc.type;
  if (typeof id !== 'string' || typeof type !== 'string' || !id.startsWith(`${type}--`)) {
    throw new IntelError(IntelErrorCode.INVALID_OBJECT, `Object ${index} needs a type and an id of the form <type>--<uuid>`, `objects[${index}].id`);
  }
  const modified = (doc.modified ?? doc.created ?? '1970-01-01T00:00:00.000Z') as string;
  return { id, type, modified, revoked: doc.revoked === true, validUntil: (doc.valid_until as string | undefined) ?? null, doc };
}
