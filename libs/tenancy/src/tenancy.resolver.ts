import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, OperatorOnly, RequireRoles, type Viewer } from '@cairn/common';
import type { Tlp } from '@cairn/stix';
import { TenantEntity } from './entities/tenant.entity';
import { TenancyService } from './tenancy.service';
import {
  CreateTenantInput,
  TenantAccountModel,
  TenantModel,
  UpdateTenantProfileInput,
  UpdateTenantSettingsInput,
} from './dto/tenant.model';

@Resolver(() => TenantModel)
@UseGuards(AuthGuard)
export class TenancyResolver {
  constructor(private readonly tenancy: TenancyService) {}

  @Query(() => [TenantModel], { description: 'The member directory (for choosing recipients): names, countries and sectors only.' })
  async tenants(): Promise<TenantModel[]> {
    return (await this.tenancy.listTenants({ kind: 'member' })).map(toPublic);
  }

  @Query(() => TenantAccountModel, { description: "The viewer's own tenant with its settings." })
  async myTenant(@CurrentViewer() viewer: Viewer): Promise<TenantAccountModel> {
    return (await this.tenancy.getTenant(viewer.tenantId)) as TenantAccountModel;
  }

  @Query(() => [TenantAccountModel], { description: 'Every tenant with its status and settings (exchange operator).' })
  @OperatorOnly()
  async tenantAccounts(): Promise<TenantAccountModel[]> {
    return (await this.tenancy.listTenants()) as TenantAccountModel[];
  }

  @Mutation(() => TenantAccountModel, { description: 'Onboard a member tenant (exchange operator).' })
  @OperatorOnly()
  async createTenant(@CurrentViewer() viewer: Viewer, @Args('input') input: CreateTenantInput): Promise<TenantAccountModel> {
    return (await this.tenancy.createTenant({ ...input, defaultTlp: input.defaultTlp as Tlp | undefined }, viewer)) as TenantAccountModel;
  }

  @Mutation(() => TenantAccountModel, { description: "Change a tenant's name, country or sectors (exchange operator)." })
  @OperatorOnly()
  async updateTenantProfile(
    @CurrentViewer() viewer: Viewer,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateTenantProfileInput,
  ) {
    return (await this.tenancy.updateProfile(id, input, viewer)) as TenantAccountModel;
  }

  @Mutation(() => TenantAccountModel, { description: 'Suspend a tenant: its users and keys stop working at once (exchange operator).' })
  @OperatorOnly()
  async suspendTenant(@CurrentViewer() viewer: Viewer, @Args('id', { type: () => ID }) id: string) {
    return (await this.tenancy.setStatus(id, 'suspended', viewer)) as TenantAccountModel;
  }

  @Mutation(() => TenantAccountModel, { description: 'Lift a suspension (exchange operator).' })
  @OperatorOnly()
  async reactivateTenant(@CurrentViewer() viewer: Viewer, @Args('id', { type: () => ID }) id: string) {
    return (await this.tenancy.setStatus(id, 'active', viewer)) as TenantAccountModel;
  }

  @Mutation(() => TenantAccountModel, {
    description: "Change the viewer's own tenant defaults, attribution, domains and redaction terms (tenant admin).",
  })
  @RequireRoles('admin')
  async updateTenantSettings(@CurrentViewer() viewer: Viewer, @Args('input') input: UpdateTenantSettingsInput) {
    return (await this.tenancy.updateSettings(
      viewer.tenantId,
      { ...input, defaultTlp: input.defaultTlp as Tlp | undefined },
      viewer,
    )) as TenantAccountModel;
  }
}

export function toPublic(t: TenantEntity): TenantModel {
  return { id: t.id, slug: t.slug, name: t.name, country: t.country, sectors: t.sectors };
}
