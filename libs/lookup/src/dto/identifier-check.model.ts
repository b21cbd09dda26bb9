import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/** libs/stix IdentifierType, as GraphQL sees it. */
export enum IdentifierTypeEnum {
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  IPV4 = 'IPV4',
  IPV6 = 'IPV6',
  DOMAIN = 'DOMAIN',
  URL = 'URL',
  MD5 = 'MD5',
  SHA1 = 'SHA1',
  SHA256 = 'SHA256',
  SHA512 = 'SHA512',
  WALLET = 'WALLET',
  HANDLE = 'HANDLE',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(IdentifierTypeEnum, {
  name: 'IdentifierType',
  description: 'What a checked value was recognised as; UNKNOWN when it could not be parsed.',
});

@ObjectType('ReporterCell', {
  description: 'A sector + area (country, region or "global") shared by at least k member tenants; never one member.',
})
export class ReporterCellModel {
  @Field({ description: 'A sector, its parent sector, or "any-sector".' })
  sector: string;

  @Field({ description: 'An ISO country code, a region such as "europe", or "global".' })
  area: string;

  @Field({ description: 'e.g. "healthcare members in europe"' })
  label: string;
}

@ObjectType('IdentifierCheck', { description: 'What the viewer may see about one checked value. Never names who reported it.' })
export class IdentifierCheckModel {
  @Field({ description: 'The value as given (an echo of the caller’s own input).' })
  value: string;

  @Field(() => IdentifierTypeEnum)
  type: IdentifierTypeEnum;

  @Field(() => String, { nullable: true, description: 'The canonical form the value was matched by.' })
  normalised: string | null;

  @Field({ description: 'True when at least one object the viewer may see carries the value.' })
  known: boolean;

  @Field(() => Int, {
    nullable: true,
    description:
      'How many distinct member tenants published or sighted it (among what the viewer may see); null when fewer than k of them are not you (small-count protection).',
  })
  reporters: number | null;

  @Field(() => [ReporterCellModel], {
    description: 'Where the reporters are: cells that at least k members report under (a sighting by the cell it was reported under).',
  })
  cells: ReporterCellModel[];

  @Field(() => String, { nullable: true })
  firstSeen: string | null;

  @Field(() => String, { nullable: true })
  lastSeen: string | null;

  @Field(() => [String], {
    description: 'Threat actors and intrusion sets linked to the matching objects by relationships the viewer may see.',
  })
  linkedActors: string[];

  @Field(() => Int, { nullable: true })
  maxConfidence: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'TLP of the most recently added matching object: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.',
  })
  latestTlp: string | null;

  @Field(() => String, { nullable: true, description: 'Why the value could not be parsed (type UNKNOWN).' })
  error: string | null;
}
