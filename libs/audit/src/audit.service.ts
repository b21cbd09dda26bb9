import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
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
  | 'sighting.reported';

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
  /**
   * The exchange operator's own tenant: other tenants' publishing, sighting and read events are left
   * out, since their timing alone would link objects the operator can see to their publishers.
   */
  operatorTenantId?: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>) {}

  /** Appends events in one statement; pass the transaction's manager to commit them with the change they describe. */
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
    const repo = manager ? manager.getRepository(AuditEntryEntity) : this.entries;
    await repo.createQueryBuilder().insert().values(rows as Partial<AuditEntryEntity>[] as never).execute();
  }

  /** Newest first. Callers decide the tenant: the operator may pass none (all), a tenant only its own. */
  async query(q: AuditQuery): Promise<AuditEntryEntity[]> {
    const qb = this.entries.createQueryBuilder('a').orderBy('a.id', 'DESC').limit(Math.min(Math.max(q.limit, 1), 500));
    if (q.tenantId) qb.andWhere('a.tenant_id = :tenantId', { tenantId: q.tenantId });
    if (q.actions?.length) qb.andWhere('a.action = ANY(:actions)', { actions: q.actions });
    if (q.since) qb.andWhere('a.at >= :since', { since: q.since });
    if (q.before) qb.andWhere('a.at < :before', { before: q.before });
    if (q.beforeId) qb.andWhere('a.id < :beforeId', { beforeId: q.beforeId });
    if (q.operatorTenantId) {
      qb.andWhere("(a.tenant_id = :own OR NOT (a.action LIKE 'intel.%' OR a.action LIKE 'sighting.%'))", { own: q.operatorTenantId });
    }
    return qb.getMany();
  }
}
