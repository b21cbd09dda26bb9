import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DbTrust } from '@cairn/access';
import { currentRequestId, type Viewer } from '@cairn/common';
import { AuditEntryEntity } from './audit-entry.entity';

/** Stable names of audited events. */
export type AuditAction =
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.refresh_reused'
  | 'apikey.created'
  | 'apikey.revoked'
  | 'apikey.used'
  | 'user.created'
  | 'user.updated'
  | 'tenant.created'
  | 'tenant.updated'
  | 'tenant.suspended'
  | 'tenant.reactivated'
  | 'group.created'
  | 'group.member_added'
  | 'group.member_removed'
  | 'group.invited'
  | 'group.invitation_accepted'
  | 'group.invitation_declined'
  | 'group.invitation_cancelled'
  | 'group.left'
  | 'intel.published'
  | 'intel.revoked'
  | 'intel.read_restricted'
  | 'sighting.reported'
  | 'taxii.collection_repair'
  | 'watch.added'
  | 'watch.removed'
  | 'watch.hits'
  | 'webhook.created'
  | 'webhook.deleted'
  | 'webhook.replayed'
  /** Written by the database (cairn_lookup_charge / cairn_lookup_close_windows): one per tenant per minute with lookups. */
  | 'lookup.volume';

export interface AuditEvent {
  action: AuditAction;
  tenantId?: string | null;
  /** The caller; its user / key id is recorded as the actor. */
  viewer?: Viewer;
  actorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  tenantId?: string;
  actions?: string[];
  since?: Date;
  before?: Date;
  limit: number;
  /** Keyset cursor: entries with a smaller id. */
  beforeId?: string;
}

@Injectable()
export class AuditService {
  constructor(private readonly trust: DbTrust) {}

  /**
   * Appends events in one statement; pass the transaction's manager to commit them with the change
   * they describe (its row-level-security viewer must be the events' tenant, or the operator).
   * Without one, each tenant's events are appended in a transaction of that tenant: the callers are
   * Cairn's own code naming the tenant an event concerns, and an entry can be added, never read
   * back or changed, that way.
   */
  async record(events: AuditEvent | AuditEvent[], manager?: EntityManager): Promise<void> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return;
    const requestId = currentRequestId() ?? null;
    const rows = list.map((e) => ({
      tenantId: e.tenantId ?? e.viewer?.tenantId ?? null,
      actorUserId: e.actorUserId ?? e.viewer?.userId ?? null,
      actorKeyId: e.viewer?.apiKeyId ?? null,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      details: e.details ?? {},
      requestId,
    }));
    // No RETURNING (updateEntity false): an entry without a tenant may be appended by anyone but read by the operator only.
    const insert = (m: EntityManager, list: typeof rows) =>
      m
        .getRepository(AuditEntryEntity)
        .createQueryBuilder()
        .insert()
        .values(list as Partial<AuditEntryEntity>[] as never)
        .updateEntity(false)
        .execute();
    if (manager) {
      await insert(manager, rows);
      return;
    }
    for (const tenantId of new Set(rows.map((r) => r.tenantId))) {
      const ofTenant = rows.filter((r) => r.tenantId === tenantId);
      await (tenantId === null
        ? this.trust.asNobody((m) => insert(m, ofTenant))
        : this.trust.asTenant(tenantId, (m) => insert(m, ofTenant)));
    }
  }

  /**
   * Newest first, as `viewer` may see them: the operator every tenant's (or `q.tenantId`'s), anyone
   * else its own tenant's only — the resolver decides the filter, row-level security the rows.
   */
  async query(q: AuditQuery, viewer: Viewer): Promise<AuditEntryEntity[]> {
    return viewer.operator
      ? this.trust.asOperator((m) => this.read(m, q, viewer.tenantId))
      : this.trust.asTenant(viewer.tenantId, (m) => this.read(m, q));
  }

  /**
   * With `operatorTenantId` (the operator's own tenant), other tenants' activity is left out: their
   * publishing, sighting and read events (lookups included), their watchlists (what they register
   * says how much they screen, and a hit's time says which identifier of an object the operator can
   * see they watch), webhook replays, and `apikey.used` (written by the request that used the key,
   * so its time is a publication's). Their timing alone would link objects the operator can see to
   * their publishers. Account and key administration (created, revoked, sign-ins) stays visible.
   */
  private read(m: EntityManager, q: AuditQuery, operatorTenantId?: string): Promise<AuditEntryEntity[]> {
    const qb = m.getRepository(AuditEntryEntity).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(q.limit);
    if (q.tenantId) qb.andWhere('a.tenant_id = :tenantId', { tenantId: q.tenantId });
    if (q.actions?.length) qb.andWhere('a.action = ANY(:actions)', { actions: q.actions });
    if (q.since) qb.andWhere('a.at >= :since', { since: q.since });
    if (q.before) qb.andWhere('a.at < :before', { before: q.before });
    if (q.beforeId) qb.andWhere('a.id < :beforeId', { beforeId: q.beforeId });
    if (operatorTenantId) {
      qb.andWhere(`(a.tenant_id = :own OR NOT (${OTHERS_ACTIVITY}))`, { own: operatorTenantId });
    }
    return qb.getMany();
  }
}

/** Audit actions that are a tenant's activity, hidden from the operator for other tenants (AuditService.read). */
const OTHERS_ACTIVITY = ['intel.%', 'sighting.%', 'lookup.%', 'watch.%', 'webhook.replayed', 'apikey.used']
  .map((a) => `a.action ${a.endsWith('%') ? 'LIKE' : '='} '${a}'`)
  .join(' OR ');
