import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { isUuid, type Viewer } from '@cairn/common';
import { AuditService, type AuditEvent } from '@cairn/audit';
import { DbTrust } from '@cairn/access';
import { SharingGroupEntity } from './entities/sharing-group.entity';
import { SharingGroupMemberEntity } from './entities/sharing-group-member.entity';
import { TenantEntity } from './entities/tenant.entity';
import { checkName, checkSlug } from './names';
import { TenancyError, TenancyErrorCode } from './tenancy.errors';

export interface SharingGroupView {
  group: SharingGroupEntity;
  memberTenantIds: string[];
  /** Tenants invited and not yet answered: filled for the owner only. */
  pendingTenantIds: string[];
}

/** An invitation as the invited tenant sees it: the group's name and owner, nothing of its members. */
export interface SharingGroupInvitation {
  id: string;
  groupId: string;
  groupSlug: string;
  groupName: string;
  ownerTenantId: string;
  invitedAt: Date;
}

const MAX_INVITES = 100;

/**
 * Sharing groups: owned by one tenant, joined only by consent. The owner invites; the invited
 * tenant accepts (and only then is a member: sees the group's objects, gets its TAXII collection)
 * or declines; a member may leave; the owner may remove members. A tenant learns nothing about a
 * group it is not in — a group it cannot see and one that does not exist give the same
 * GROUP_NOT_FOUND — except the pending invitations addressed to it.
 */
@Injectable()
export class SharingGroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly trust: DbTrust,
  ) {}

  /** Creates a group owned by the actor's tenant (the owner is its first member) and invites `invite` (ids or slugs). */
  async createGroup(
    input: { slug: string; name: string; ownerTenantId: string; invite?: string[] },
    actor: Viewer,
  ): Promise<SharingGroupView> {
    return this.asParty(input.ownerTenantId, async (m) => {
      const group = await this.insertGroup(m, input, [input.ownerTenantId], actor);
      await this.inviteIn(m, group, input.invite ?? [], actor);
      return this.view(m, group, input.ownerTenantId);
    });
  }

  /**
   * For trusted code only (the operator's CLI, demo seeding, tests): a group whose members join
   * without being asked. Member-facing paths use createGroup and invitations.
   */
  async createGroupWithMembers(
    input: { slug: string; name: string; ownerTenantId: string; memberTenantIds?: string[] },
    actor?: Viewer,
  ): Promise<SharingGroupView> {
    const members = [...new Set([input.ownerTenantId, ...(input.memberTenantIds ?? [])])];
    return this.asParty(input.ownerTenantId, async (m) => {
      await this.tenantIds(m, members, 'memberTenantIds');
      const group = await this.insertGroup(m, input, members, actor);
      return this.view(m, group, input.ownerTenantId);
    });
  }

  /** Invites tenants (ids or slugs) to a group the actor's tenant owns; members and pending invitees are left as they are. */
  async invite(groupId: string, tenants: string[], actor: Viewer): Promise<SharingGroupView> {
    return this.asParty(actor.tenantId, async (m) => {
      const group = await this.owned(m, groupId, actor.tenantId);
      await this.inviteIn(m, group, tenants, actor);
      return this.view(m, group, actor.tenantId);
    });
  }

  /** Removes members, or withdraws pending invitations, of a group the actor's tenant owns. The owner stays. */
  async removeMembers(groupId: string, tenantIds: string[], actor: Viewer): Promise<SharingGroupView> {
    return this.asParty(actor.tenantId, async (m) => {
      const group = await this.owned(m, groupId, actor.tenantId);
      const remove = [...new Set(tenantIds)].filter((id) => isUuid(id) && id !== group.ownerTenantId);
      const events: AuditEvent[] = [];
      if (remove.length) {
        const removed: Array<{ tenant_id: string }> = await m.query(
          `WITH d AS (DELETE FROM sharing_group_member WHERE group_id = $1 AND tenant_id = ANY ($2::uuid[]) RETURNING tenant_id) SELECT * FROM d`,
          [groupId, remove],
        );
        const cancelled: Array<{ tenant_id: string }> = await m.query(
          `WITH u AS (UPDATE sharing_group_invitation SET status = 'CANCELLED', responded_at = now()
            WHERE group_id = $1 AND tenant_id = ANY ($2::uuid[]) AND status = 'PENDING' RETURNING tenant_id) SELECT * FROM u`,
          [groupId, remove],
        );
        events.push(...removed.map((r) => this.event('group.member_removed', actor, groupId, r.tenant_id)));
        events.push(...cancelled.map((r) => this.event('group.invitation_cancelled', actor, groupId, r.tenant_id)));
      }
      await this.audit.record(events, m);
      return this.view(m, group, actor.tenantId);
    });
  }

  /** The pending invitations addressed to a tenant. */
  async invitationsFor(tenantId: string): Promise<SharingGroupInvitation[]> {
    // Read only, no audit entry: the invitation table's own-party rule is all it needs, no operator proof.
    return this.trust.asTenant(tenantId, (m) =>
      m.query(
        `SELECT i.id, g.id AS "groupId", g.slug AS "groupSlug", g.name AS "groupName", g.owner_tenant_id AS "ownerTenantId", i.invited_at AS "invitedAt"
           FROM sharing_group_invitation i JOIN sharing_group g ON g.id = i.group_id
          WHERE i.tenant_id = $1 AND i.status = 'PENDING'
          ORDER BY i.invited_at, i.id`,
        [tenantId],
      ),
    );
  }

  /** The invited tenant's answer: accepting makes it a member; both end the invitation. */
  async respond(invitationId: string, accept: boolean, actor: Viewer): Promise<SharingGroupView | null> {
    return this.asParty(actor.tenantId, async (m) => {
      const rows: Array<{ group_id: string }> = isUuid(invitationId)
        ? await m.query(
            `WITH u AS (UPDATE sharing_group_invitation SET status = $3, responded_at = now()
              WHERE id = $1 AND tenant_id = $2 AND status = 'PENDING' RETURNING group_id) SELECT * FROM u`,
            [invitationId, actor.tenantId, accept ? 'ACCEPTED' : 'DECLINED'],
          )
        : [];
      if (rows.length === 0)
        throw new TenancyError(
          TenancyErrorCode.INVITATION_NOT_FOUND,
          'No pending invitation with this id for your organisation',
          'invitationId',
        );
      const groupId = rows[0].group_id;
      if (accept)
        await m
          .createQueryBuilder()
          .insert()
          .into(SharingGroupMemberEntity)
          .values({ groupId, tenantId: actor.tenantId })
          .orIgnore()
          .execute();
      const group = await m.findOneOrFail(SharingGroupEntity, { where: { id: groupId } });
      await this.audit.record(
        this.bothLogs(
          accept ? 'group.invitation_accepted' : 'group.invitation_declined',
          actor,
          groupId,
          actor.tenantId,
          group.ownerTenantId,
        ),
        m,
      );
      return accept ? this.view(m, group, actor.tenantId) : null;
    });
  }

  /** The actor's tenant leaves a group it is a member of; the owner cannot leave its own group. */
  async leave(groupId: string, actor: Viewer): Promise<void> {
    await this.asParty(actor.tenantId, async (m) => {
      const group = await this.visible(m, groupId, actor.tenantId);
      if (group.ownerTenantId === actor.tenantId)
        throw new TenancyError(
          TenancyErrorCode.OWNER_CANNOT_LEAVE,
          'The owning organisation cannot leave its own sharing group',
          'groupId',
        );
      await m.delete(SharingGroupMemberEntity, { groupId, tenantId: actor.tenantId });
      await this.audit.record(this.bothLogs('group.left', actor, groupId, actor.tenantId, group.ownerTenantId), m);
    });
  }

  /** The groups a tenant belongs to, with their members (and, for the groups it owns, its pending invitees). */
  async groupsOf(tenantId: string): Promise<SharingGroupView[]> {
    return this.trust.asTenant(tenantId, async (m) => {
      const rows: Array<SharingGroupEntity & { members: string[]; pending: string[] | null }> = await m.query(
        `SELECT g.id, g.slug, g.name, g.owner_tenant_id AS "ownerTenantId", g.created_at AS "createdAt",
                array_agg(all_m.tenant_id::text ORDER BY all_m.tenant_id) AS members,
                (SELECT array_agg(i.tenant_id::text ORDER BY i.tenant_id) FROM sharing_group_invitation i
                  WHERE i.group_id = g.id AND i.status = 'PENDING' AND g.owner_tenant_id = $1) AS pending
           FROM sharing_group g
           JOIN sharing_group_member mine ON mine.group_id = g.id AND mine.tenant_id = $1
           JOIN sharing_group_member all_m ON all_m.group_id = g.id
          GROUP BY g.id
          ORDER BY g.slug`,
        [tenantId],
      );
      return rows.map(({ members, pending, ...group }) => ({
        group: group as SharingGroupEntity,
        memberTenantIds: members,
        pendingTenantIds: pending ?? [],
      }));
    });
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

  /**
   * One transaction in which the invitation table's row-level security sees `tenantId` as the viewer.
   * Each step is audited in both parties' logs, which audit_log's row-level security admits only
   * with the operator proof; the checks of who may do what are this service's (owned, invitation).
   */
  private asParty<T>(tenantId: string, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.trust.asOperator(async (m) => {
      await m.query(`SELECT set_config('cairn.tenant_id', $1, true)`, [tenantId]);
      return fn(m);
    });
  }

  private async insertGroup(
    m: EntityManager,
    input: { slug: string; name: string; ownerTenantId: string },
    members: string[],
    actor?: Viewer,
  ): Promise<SharingGroupEntity> {
    checkSlug(input.slug);
    checkName(input.name);
    if (await m.exists(SharingGroupEntity, { where: { slug: input.slug } })) {
      throw new TenancyError(TenancyErrorCode.SLUG_TAKEN, `Sharing group slug already in use: ${input.slug}`, 'slug');
    }
    const group = await m.save(
      SharingGroupEntity,
      m.create(SharingGroupEntity, { slug: input.slug, name: input.name.trim(), ownerTenantId: input.ownerTenantId }),
    );
    await m.insert(
      SharingGroupMemberEntity,
      members.map((tenantId) => ({ groupId: group.id, tenantId })),
    );
    await this.audit.record(
      [
        {
          action: 'group.created',
          tenantId: input.ownerTenantId,
          viewer: actor,
          targetType: 'sharing_group',
          targetId: group.id,
          details: { members: members.length },
        },
        ...members
          .filter((t) => t !== input.ownerTenantId)
          .map((t) => ({ ...this.event('group.member_added', actor, group.id, t), tenantId: input.ownerTenantId })),
      ],
      m,
    );
    return group;
  }

  /** Invites on `m`; the owner, members and tenants already pending are skipped; unknown tenants are refused, all or nothing. */
  private async inviteIn(m: EntityManager, group: SharingGroupEntity, refs: string[], actor: Viewer): Promise<void> {
    if (refs.length > MAX_INVITES)
      throw new TenancyError(TenancyErrorCode.TOO_MANY_INVITES, `At most ${MAX_INVITES} tenants per invitation`, 'tenants');
    const ids = await this.tenantIds(m, refs, 'tenants');
    if (ids.length === 0) return;
    // (A data-modifying statement read through a CTE: TypeORM's query() returns its rows as they are.)
    const invited: Array<{ tenant_id: string }> = await m.query(
      `WITH ins AS (INSERT INTO sharing_group_invitation (group_id, tenant_id)
       SELECT $1, t FROM unnest($2::uuid[]) AS t
        WHERE NOT EXISTS (SELECT 1 FROM sharing_group_member gm WHERE gm.group_id = $1 AND gm.tenant_id = t)
       ON CONFLICT (group_id, tenant_id) DO UPDATE SET status = 'PENDING', invited_at = now(), responded_at = NULL
        WHERE sharing_group_invitation.status <> 'PENDING'
       RETURNING tenant_id) SELECT * FROM ins`,
      [group.id, ids],
    );
    // The owner's log, and the invited tenant's, which is how its admins learn of it besides the list.
    await this.audit.record(
      invited.flatMap((r) => this.bothLogs('group.invited', actor, group.id, r.tenant_id, r.tenant_id)),
      m,
    );
  }

  /** Member tenants' ids from ids or slugs; TENANT_NOT_FOUND naming `field` if any is not an active member tenant. */
  private async tenantIds(m: EntityManager, refs: string[], field: string): Promise<string[]> {
    const wanted = [...new Set(refs.map((r) => String(r).trim()).filter((r) => r !== ''))];
    if (wanted.length === 0) return [];
    const byId = wanted.filter(isUuid);
    const found = await m.find(TenantEntity, {
      where: [
        { id: In(byId.length ? byId : ['00000000-0000-0000-0000-000000000000']), kind: 'member' },
        { slug: In(wanted), kind: 'member' },
      ],
    });
    const missing = wanted.find((r) => !found.some((t) => t.id === r.toLowerCase() || t.slug === r));
    if (missing !== undefined)
      throw new TenancyError(TenancyErrorCode.TENANT_NOT_FOUND, `No member organisation "${missing.slice(0, 100)}"`, field);
    return [...new Set(found.map((t) => t.id))];
  }

  /** A group the tenant is a member of, locked; GROUP_NOT_FOUND otherwise (as for one that does not exist). */
  private async visible(m: EntityManager, groupId: string, tenantId: string): Promise<SharingGroupEntity> {
    const group = isUuid(groupId)
      ? await m.findOne(SharingGroupEntity, { where: { id: groupId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!group || !(await m.exists(SharingGroupMemberEntity, { where: { groupId, tenantId } }))) {
      throw new TenancyError(TenancyErrorCode.GROUP_NOT_FOUND, 'No such sharing group', 'groupId');
    }
    return group;
  }

  private async owned(m: EntityManager, groupId: string, tenantId: string): Promise<SharingGroupEntity> {
    const group = await this.visible(m, groupId, tenantId);
    if (group.ownerTenantId !== tenantId)
      throw new TenancyError(TenancyErrorCode.NOT_GROUP_OWNER, 'Only the owning tenant may change a sharing group', 'groupId');
    return group;
  }

  private async view(m: EntityManager, group: SharingGroupEntity, viewerTenantId: string): Promise<SharingGroupView> {
    const members = await m.find(SharingGroupMemberEntity, { where: { groupId: group.id } });
    const pending: Array<{ tenant_id: string }> =
      group.ownerTenantId === viewerTenantId
        ? await m.query(`SELECT tenant_id FROM sharing_group_invitation WHERE group_id = $1 AND status = 'PENDING' ORDER BY tenant_id`, [
            group.id,
          ])
        : [];
    return { group, memberTenantIds: members.map((x) => x.tenantId).sort(), pendingTenantIds: pending.map((r) => r.tenant_id) };
  }

  private event(action: AuditEvent['action'], actor: Viewer | undefined, groupId: string, tenantId: string): AuditEvent {
    return { action, viewer: actor, targetType: 'sharing_group', targetId: groupId, details: { tenantId } };
  }

  /**
   * One step between two tenants, in the actor's log and in the other party's: the other's copy
   * names no user or key of the actor's tenant.
   */
  private bothLogs(
    action: AuditEvent['action'],
    actor: Viewer,
    groupId: string,
    subjectTenantId: string,
    otherTenantId: string,
  ): AuditEvent[] {
    const own = this.event(action, actor, groupId, subjectTenantId);
    if (otherTenantId === actor.tenantId) return [own];
    return [
      own,
      { action, tenantId: otherTenantId, targetType: 'sharing_group', targetId: groupId, details: { tenantId: subjectTenantId } },
    ];
  }
}
