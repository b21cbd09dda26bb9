import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireRoles, type Viewer } from '@cairn/common';
import { SharingGroupsService, SharingGroupView } from './sharing-groups.service';
import { TenancyService } from './tenancy.service';
import { CreateSharingGroupInput, SharingGroupModel } from './dto/tenant.model';
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

  @Mutation(() => SharingGroupModel, { description: 'Create a sharing group owned by the viewer’s tenant (tenant admin).' })
  @RequireRoles('admin')
  async createSharingGroup(@CurrentViewer() viewer: Viewer, @Args('input') input: CreateSharingGroupInput): Promise<SharingGroupModel> {
    const view = await this.groups.createGroup({ ...input, ownerTenantId: viewer.tenantId }, viewer);
    return (await this.toModels(viewer, [view]))[0];
  }

  @Mutation(() => SharingGroupModel, { description: 'Add or remove members of a group the viewer’s tenant owns (tenant admin).' })
  @RequireRoles('admin')
  async changeSharingGroupMembers(
    @CurrentViewer() viewer: Viewer,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('add', { type: () => [ID], nullable: true }) add?: string[],
    @Args('remove', { type: () => [ID], nullable: true }) remove?: string[],
  ): Promise<SharingGroupModel> {
    const view = await this.groups.changeMembers(groupId, { add, remove }, viewer);
    return (await this.toModels(viewer, [view]))[0];
  }

  private async toModels(viewer: Viewer, views: SharingGroupView[]): Promise<SharingGroupModel[]> {
    const tenants = new Map((await this.tenancy.findTenants([...new Set(views.flatMap((v) => v.memberTenantIds))])).map((t) => [t.id, t]));
    return views.map((v) => ({
      id: v.group.id,
      slug: v.group.slug,
      name: v.group.name,
      owned: v.group.ownerTenantId === viewer.tenantId,
      members: v.memberTenantIds.flatMap((id) => (tenants.has(id) ? [toPublic(tenants.get(id)!)] : [])),
    }));
  }
}
