import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import type { Distribution } from '@cairn/access';
import type { Tlp } from '@cairn/stix';
import { DistributionEnum } from '@cairn/tenancy';
import { TlpEnum } from './stix-object.model';

@InputType()
export class ObjectFilterInput {
  @Field(() => [String], { nullable: true, description: 'STIX types, e.g. ["indicator", "email-addr"]' })
  types?: string[];

  @Field(() => [String], { nullable: true })
  ids?: string[];

  @Field(() => [TlpEnum], { nullable: true })
  tlp?: Tlp[];

  @Field(() => [String], {
    nullable: true,
    description:
      "Shared with any of these sectors (distribution SECTOR). Answered for your own sectors only: listing any other would read another member's sector list (a row of yours that references another member's data carries its audience too).",
  })
  sectors?: string[];

  @Field(() => [String], {
    nullable: true,
    description:
      "Audience includes any of these countries (ISO 3166-1 alpha-2), answered for your own country only: others' objects match it (you see them, so their audience includes it); yours match when not narrowed by country or narrowed to a list that includes it. Any other country matches nothing: another member's narrowing is not yours to read, and a row of yours that references its data carries it.",
  })
  countries?: string[];

  @Field(() => [String], { nullable: true, description: 'Carrying any of these STIX labels.' })
  labels?: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Id, name or alias of a threat actor or intrusion set: objects a relationship you may see links to it.',
  })
  actor?: string;

  @Field(() => String, { nullable: true, description: 'Added by the exchange after this RFC 3339 time (exclusive).' })
  addedAfter?: string;

  @Field(() => String, { nullable: true, description: 'Added before this time (exclusive).' })
  addedBefore?: string;

  @Field(() => String, { nullable: true, description: 'STIX modified after this time (exclusive).' })
  modifiedAfter?: string;

  @Field(() => String, { nullable: true, description: 'STIX modified before this time (exclusive).' })
  modifiedBefore?: string;

  @Field(() => String, { nullable: true, description: 'Words in name or description (web-search syntax: "quoted phrase", -excluded, or).' })
  search?: string;

  @Field(() => Boolean, { nullable: true, description: 'true: revoked versions only; false: no revoked versions; unset: both.' })
  revoked?: boolean;

  @Field(() => [DistributionEnum], {
    nullable: true,
    description: 'Shared with any of these distributions (the TAXII community collection is COMMUNITY).',
  })
  distributions?: Distribution[];

  @Field(() => [ID], { nullable: true, description: 'Shared with any of these sharing groups (the TAXII group collections).' })
  groupIds?: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: "true: only what the viewer's tenant published (the TAXII own collection); false: only others'.",
  })
  mine?: boolean;
}

@ArgsType()
export class ObjectsArgs {
  @Field(() => ObjectFilterInput, { nullable: true })
  filter?: ObjectFilterInput;

  @Field(() => Int, { defaultValue: 100, description: 'Page size, 1 to 1000; outside that, BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor from a previous page (pageInfo.endCursor).' })
  after?: string;
}

@ArgsType()
export class ExportArgs {
  @Field(() => ObjectFilterInput, { nullable: true })
  filter?: ObjectFilterInput;

  @Field(() => Int, {
    nullable: true,
    description: 'Objects per page, 1 to MAX_BUNDLE_OBJECTS (the default); outside that, BAD_USER_INPUT.',
  })
  first?: number;

  @Field(() => String, { nullable: true, description: 'nextCursor of the previous page, with the same filter.' })
  after?: string;
}

@ArgsType()
export class ObjectArgs {
  @Field()
  id: string;

  @Field(() => String, { nullable: true, description: 'A version (its STIX modified); the newest when unset.' })
  version?: string;
}
