import { Field, InputType } from '@nestjs/graphql';
import type { Distribution } from '@cairn/access';
import type { Tlp } from '@cairn/stix';
import { DistributionEnum } from '@cairn/tenancy';
import { TlpEnum } from './stix-object.model';

@InputType({ description: "How published objects are shared; every field falls back to the tenant's defaults." })
export class SharingInput {
  @Field(() => DistributionEnum, { nullable: true })
  distribution?: Distribution;

  @Field(() => TlpEnum, {
    nullable: true,
    description: 'Marked on every object (object_marking_refs). TLP:RED needs ORGANISATION or RECIPIENTS.',
  })
  tlp?: Tlp;

  @Field(() => [String], { nullable: true, description: "Distribution SECTOR: the sectors (default: the publisher's own)." })
  sectors?: string[];

  @Field(() => [String], { nullable: true, description: 'Only members in these countries (ISO 3166-1 alpha-2) may see the objects.' })
  countries?: string[];

  @Field(() => String, { nullable: true, description: 'Distribution SHARING_GROUP: a group the publisher belongs to.' })
  groupId?: string;

  @Field(() => [String], { nullable: true, description: 'Distribution RECIPIENTS: member tenant ids.' })
  recipientTenantIds?: string[];

  @Field({
    nullable: true,
    description:
      'Keep e-mail addresses, phone numbers, person names, postal addresses and bank accounts raw instead of as keyed hashes. ' +
      'Only at TLP:AMBER or stricter with distribution SHARING_GROUP or RECIPIENTS.',
  })
  shareProtectedRaw?: boolean;
}
