import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireRoles, type Viewer } from '@cairn/common';
import { SharingGroupsService, SharingGroupView } from './sharing-groups.service';
import { TenancyService } from './tenancy.service';
import { CreateSharingGroupInput, SharingGroupInvitationModel, SharingGroupModel } from './dto/tenant.model';
import { toPublic } from './tenancy.resolver';

@Resolver(() => SharingGroupModel)
@UseGuards(AuthGuard)
export class SharingGroupsResolver {
  constructor(
    private readonly groups: SharingGroupsService,
    private readonly tenancy: TenancyService,
  ) {}

  @Query(() => [SharingGroupModel], { description: "The sharing groups the viewer's tenant belongs to." })
  async sharingGroups(@CurrentViewer() viewer: Viewer): Promise<SharingGroupModel[]> {
    return this.toModels(viewer, await this.groups.groupsOf(viewer.tenantId));
  }

  @Query(() => [SharingGroupInvitationModel], { description: "Pending invitations to sharing groups addressed to the viewer's tenant." })
  async sharingGroupInvitations(@CurrentViewer() viewer: Viewer): Promise<SharingGroupInvitationModel[]> {
    const invitations = await this.groups.invitationsFor(viewer.tenantId);
    const owners = new Map(
      (await this.tenancy.findTenants([...new Set(invitations.map((i) => i.ownerTenantId))])).map((t) => [t.id, toPublic(t)]),
    );
    return invitations.flatMap(({ ownerTenantId, ...i }) =>
      owners.has(ownerTenantId) ? [{ ...i, owner: owners.get(ownerTenantId)! }] : [],
    );
  }

  @Mutation(() => SharingGroupModel, {
    description: 'Create a sharing group owned by the viewer’s tenant, inviting other tenants (tenant admin).',
  })
  @RequireRoles('admin')
  async createSharingGroup(@CurrentViewer() viewer: Viewer, @Args('input') input: CreateSharingGroupInput): Promise<SharingGroupModel> {
    const view = await this.groups.createGroup(
      { slug: input.slug, name: input.name, invite: input.invite, ownerTenantId: viewer.tenantId },
      viewer,
    );
    return (await this.toModels(viewer, [view]))[0];
  }

  @Mutation(() => SharingGroupModel, {
    description: 'Invite tenants (ids or slugs) to a group the viewer’s tenant owns; each joins when its admin accepts (tenant admin).',
  })
  @RequireRoles('admin')
  async inviteToSharingGroup(
    @CurrentViewer() viewer: Viewer,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('tenants', { type: () => [String] }) tenants: string[],
  ): Promise<SharingGroupModel> {
    return (await this.toModels(viewer, [await this.groups.invite(groupId, tenants, viewer)]))[0];
  }

  @Mutation(() => SharingGroupModel, {
    description: 'Accept an invitation addressed to the viewer’s tenant: it becomes a member (tenant admin).',
  })
  @RequireRoles('admin')
  async acceptSharingGroupInvitation(
    @CurrentViewer() viewer: Viewer,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<SharingGroupModel> {
    return (await this.toModels(viewer, [(await this.groups.respond(id, true, viewer))!]))[0];
  }

  @Mutation(() => Boolean, { description: 'Decline an invitation addressed to the viewer’s tenant (tenant admin).' })
  @RequireRoles('admin')
  async declineSharingGroupInvitation(@CurrentViewer() viewer: Viewer, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.groups.respond(id, false, viewer);
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'The viewer’s tenant leaves a sharing group it is a member of, and stops seeing what is shared with it (tenant admin).',
  })
  @RequireRoles('admin')
  async leaveSharingGroup(@CurrentViewer() viewer: Viewer, @Args('groupId', { type: () => ID }) groupId: string): Promise<boolean> {
    await this.groups.leave(groupId, viewer);
    return true;
  }

  @Mutation(() => SharingGroupModel, {
    description:
      'Remove members of (or withdraw invitations to) a group the viewer’s tenant owns (tenant admin). New members join only by accepting an invitation.',
  })
  @RequireRoles('admin')
  async changeSharingGroupMembers(
    @CurrentViewer() viewer: Viewer,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('remove', { type: () => [ID], nullable: true }) remove?: string[],
  ): Promise<SharingGroupModel> {
    return (await this.toModels(viewer, [await this.groups.removeMembers(groupId, remove ?? [], viewer)]))[0];
  }

  private async toModels(viewer: Viewer, views: SharingGroupView[]): Promise<SharingGroupModel[]> {
    const tenants = new Map(
      (await this.tenancy.findTenants([...new Set(views.flatMap((v) => [...v.memberTenantIds, ...v.pendingTenantIds]))])).map((t) => [
        t.id,
        t,
      ]),
    );
    const publicOf = (ids: string[]) => ids.flatMap((id) => (tenants.has(id) ? [toPublic(tenants.get(id)!)] : []));
    return views.map((v) => ({
      id: v.group.id,
      slug: v.group.slug,
      name: v.group.name,
      owned: v.group.ownerTenantId === viewer.tenantId,
      members: publicOf(v.memberTenantIds),
      pendingInvitations: v.group.ownerTenantId === viewer.tenantId ? publicOf(v.pendingTenantIds) : [],
    }));
  }
}
