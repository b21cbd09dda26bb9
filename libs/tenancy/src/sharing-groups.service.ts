import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { Viewer } from '@cairn/common';
import { AuditService } from '@cairn/audit';
import { DbTrust } from '@cairn/access';
import { SharingGroupEntity } from './entities/sharing-group.entity';
import { SharingGroupMemberEntity } from './entities/sharing-group-member.entity';
import { TenantEntity } from './entities/tenant.entity';
import { TenancyError, TenancyErrorCode } from './tenancy.errors';

export interface SharingGroupView {
  group: SharingGroupEntity;
  memberTenantIds: string[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Sharing groups: owned by one tenant, which alone changes membership. */
@Injectable()
export class SharingGroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly trust: DbTrust,
  ) {}

  /** Creates a group owned by `ownerTenantId`; the owner is always a member. */
  async createGroup(input: { slug: string; name: string; ownerTenantId: string; memberTenantIds?: string[] }, actor?: Viewer): Promise<SharingGroupView> {
    if (!SLUG.test(input.slug)) throw new TenancyError(TenancyErrorCode.INVALID_SLUG, 'Slug must be 2–63 lower-case letters, digits or hyphens', 'slug');
    if (!input.name?.trim()) throw new TenancyError(TenancyErrorCode.INVALID_SLUG, 'Name must not be empty', 'name');
    const members = [...new Set([input.ownerTenantId, ...(input.memberTenantIds ?? [])])];
    // As the actor, so the audit entry is admitted for the owner's tenant (audit_log row-level security).
    return this.trust.asActor(actor, async (m) => {
      if (await m.exists(SharingGroupEntity, { where: { slug: input.slug } })) {
        throw new TenancyError(TenancyErrorCode.SLUG_TAKEN, `Sharing group slug already in use: ${input.slug}`, 'slug');
      }
      await this.assertMemberTenants(members, m.getRepository(TenantEntity));
      const group = await m.save(SharingGroupEntity, m.create(SharingGroupEntity, { slug: input.slug, name: input.name.trim(), ownerTenantId: input.ownerTenantId }));
      await m.insert(SharingGroupMemberEntity, members.map((tenantId) => ({ groupId: group.id, tenantId })));
      await this.audit.record({ action: 'group.created', tenantId: input.ownerTenantId, viewer: actor, targetType: 'sharing_group', targetId: group.id, details: { members: members.length } }, m);
      return { group, memberTenantIds: members };
    });
  }

  /** Adds or removes members; only the owning tenant may. The owner cannot leave its own group. */
  async changeMembers(groupId: string, change: { add?: string[]; remove?: string[] }, actor: Viewer): Promise<SharingGroupView> {
    return this.trust.asActor(actor, async (m) => {
      const group = await m.findOne(SharingGroupEntity, { where: { id: groupId }, lock: { mode: 'pessimistic_write' } });
      if (!group) throw new TenancyError(TenancyErrorCode.GROUP_NOT_FOUND, 'No such sharing group', 'groupId');
      if (group.ownerTenantId !== actor.tenantId) throw new TenancyError(TenancyErrorCode.NOT_GROUP_OWNER, 'Only the owning tenant may change a sharing group', 'groupId');
      const add = [...new Set(change.add ?? [])];
      const remove = [...new Set(change.remove ?? [])].filter((id) => id !== group.ownerTenantId);
      if (add.length) {
        await this.assertMemberTenants(add, m.getRepository(TenantEntity));
        await m.createQueryBuilder().insert().into(SharingGroupMemberEntity).values(add.map((tenantId) => ({ groupId, tenantId }))).orIgnore().execute();
      }
      if (remove.length) await m.delete(SharingGroupMemberEntity, { groupId, tenantId: In(remove) });
      await this.audit.record(
        [
          ...add.map((t) => ({ action: 'group.member_added' as const, viewer: actor, targetType: 'sharing_group', targetId: groupId, details: { tenantId: t } })),
          ...remove.map((t) => ({ action: 'group.member_removed' as const, viewer: actor, targetType: 'sharing_group', targetId: groupId, details: { tenantId: t } })),
        ],
        m,
      );
      const members = await m.find(SharingGroupMemberEntity, { where: { groupId } });
      return { group, memberTenantIds: members.map((x) => x.tenantId) };
    });
  }

  /** The groups a tenant belongs to, with their members. */
  async groupsOf(tenantId: string): Promise<SharingGroupView[]> {
    const rows: Array<SharingGroupEntity & { members: string[] }> = await this.dataSource.query(
      `SELECT g.id, g.slug, g.name, g.owner_tenant_id AS "ownerTenantId", g.created_at AS "createdAt",
              array_agg(all_m.tenant_id::text ORDER BY all_m.tenant_id) AS members
         FROM sharing_group g
         JOIN sharing_group_member mine ON mine.group_id = g.id AND mine.tenant_id = $1
         JOIN sharing_group_member all_m ON all_m.group_id = g.id
        GROUP BY g.id
        ORDER BY g.slug`,
      [tenantId],
    );
    return rows.map(({ members, ...group }) => ({ group: group as SharingGroupEntity, memberTenantIds: members }));
  }

  /** True when the tenant is a member of the group. */
  async isMember(groupId: string, tenantId: string): Promise<boolean> {
    return this.dataSource.getRepository(SharingGroupMemberEntity).exists({ where: { groupId, tenantId } });
  }

  async getBySlug(slug: string): Promise<SharingGroupEntity> {
    const group = await this.dataSource.getRepository(SharingGroupEntity).findOne({ where: { slug } });
    if (!group) throw new TenancyError(TenancyErrorCode.GROUP_NOT_FOUND, `No sharing group "${slug}"`, 'slug');
    return group;
  }

  private async assertMemberTenants(ids: string[], tenants: { find: (o: object) => Promise<TenantEntity[]> }): Promise<void> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const found = valid.length ? await tenants.find({ where: { id: In(valid), kind: 'member' } }) : [];
    if (found.length !== ids.length) throw new TenancyError(TenancyErrorCode.TENANT_NOT_FOUND, 'Every group member must be an existing member tenant', 'memberTenantIds');
  }
}
