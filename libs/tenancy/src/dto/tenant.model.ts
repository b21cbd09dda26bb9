import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DISTRIBUTIONS, type Distribution } from '@cairn/access';
import { graphqlEnumOf } from '@cairn/common';
import { TLP_LEVELS_IN_WORDS } from '@cairn/stix';
import { ATTRIBUTIONS, TENANT_STATUSES, type Attribution, type TenantStatus } from '../entities/tenant.entity';

// The GraphQL enums, built from the one list of each vocabulary.
export const DistributionEnum = graphqlEnumOf(DISTRIBUTIONS);
registerEnumType(DistributionEnum, { name: 'Distribution', description: 'Who an object is shared with (see README: access control)' });

export const AttributionEnum = graphqlEnumOf(ATTRIBUTIONS);
registerEnumType(AttributionEnum, {
  name: 'Attribution',
  description: 'Whether other members see the tenant as the author of what it publishes',
});

export const TenantStatusEnum = graphqlEnumOf(TENANT_STATUSES, (s) => s);
registerEnumType(TenantStatusEnum, { name: 'TenantStatus' });

@ObjectType('Tenant', { description: 'A member organisation as every member may see it.' })
export class TenantModel {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;

  @Field({ description: 'ISO 3166-1 alpha-2' })
  country: string;

  @Field(() => [String])
  sectors: string[];
}

@ObjectType('TenantAccount', { description: "A tenant's full record: for its own admins and the exchange operator." })
export class TenantAccountModel extends TenantModel {
  @Field()
  kind: string;

  @Field(() => TenantStatusEnum)
  status: TenantStatus;

  @Field(() => DistributionEnum)
  defaultDistribution: Distribution;

  @Field({ description: TLP_LEVELS_IN_WORDS })
  defaultTlp: string;

  @Field(() => AttributionEnum)
  attribution: Attribution;

  @Field(() => [String])
  domains: string[];

  @Field(() => [String])
  redactionTerms: string[];

  @Field()
  createdAt: Date;
}

@ObjectType('SharingGroup')
export class SharingGroupModel {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;

  @Field({ description: 'True when the viewer’s tenant owns the group and so manages its members.' })
  owned: boolean;

  @Field(() => [TenantModel], {
    description: 'Tenants that accepted an invitation (and the owner): only they see what is shared with the group.',
  })
  members: TenantModel[];

  @Field(() => [TenantModel], { description: 'Invited and not yet answered; listed to the owner only (empty for other members).' })
  pendingInvitations: TenantModel[];
}

@ObjectType('SharingGroupInvitation', {
  description: 'An invitation addressed to your organisation: who invites you to which group. Nothing of its members until you accept.',
})
export class SharingGroupInvitationModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  groupId: string;

  @Field()
  groupSlug: string;

  @Field()
  groupName: string;

  @Field(() => TenantModel, { description: 'The organisation that owns the group and invites you.' })
  owner: TenantModel;

  @Field()
  invitedAt: Date;
}

@InputType()
export class CreateTenantInput {
  @Field()
  slug: string;

  @Field()
  name: string;

  @Field()
  country: string;

  @Field(() => [String])
  sectors: string[];

  @Field(() => [String], { nullable: true })
  domains?: string[];

  @Field(() => DistributionEnum, { nullable: true })
  defaultDistribution?: Distribution;

  @Field({ nullable: true })
  defaultTlp?: string;

  @Field(() => AttributionEnum, { nullable: true })
  attribution?: Attribution;
}

@InputType()
export class UpdateTenantProfileInput {
  @Field({ nullable: true })
  name?: string;

  @Field({ nullable: true })
  country?: string;

  @Field(() => [String], { nullable: true })
  sectors?: string[];
}

@InputType()
export class UpdateTenantSettingsInput {
  @Field(() => DistributionEnum, { nullable: true })
  defaultDistribution?: Distribution;

  @Field({ nullable: true, description: TLP_LEVELS_IN_WORDS })
  defaultTlp?: string;

  @Field(() => AttributionEnum, { nullable: true })
  attribution?: Attribution;

  @Field(() => [String], { nullable: true })
  redactionTerms?: string[];

  @Field(() => [String], { nullable: true })
  domains?: string[];
}

@InputType()
export class CreateSharingGroupInput {
  @Field()
  slug: string;

  @Field()
  name: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'Member tenants (ids or slugs) to invite; each joins only when its admin accepts. The creating tenant is the owner and first member.',
  })
  invite?: string[];
}
