import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar, graphqlEnumOf } from '@cairn/common';
import { PageInfo, TlpEnum } from '@cairn/intel';
import { DistributionEnum } from '@cairn/tenancy';
import { HIRING_CHANNELS, INTERVIEW_STAGES, ROLE_CATEGORIES, type HiringChannel, type InterviewStage, type RoleCategory } from '../vocab';

export enum FeedItemTypeEnum {
  SIGHTING = 'sighting',
  INDICATOR = 'indicator',
}
// The GraphQL enums of the sighting context, built from its lists (vocab.ts).
export const InterviewStageEnum = graphqlEnumOf(INTERVIEW_STAGES);
export const RoleCategoryEnum = graphqlEnumOf(ROLE_CATEGORIES);
export const HiringChannelEnum = graphqlEnumOf(HIRING_CHANNELS);
registerEnumType(InterviewStageEnum, { name: 'InterviewStage', description: 'How far in hiring the identity got when it was sighted' });
registerEnumType(RoleCategoryEnum, { name: 'RoleCategory', description: 'The kind of role applied for' });
registerEnumType(HiringChannelEnum, { name: 'HiringChannel', description: 'How the applicant came in' });
registerEnumType(FeedItemTypeEnum, { name: 'FeedItemType' });

@InputType()
export class ReportSightingInput {
  @Field({ description: 'STIX id of what was sighted: an indicator, identity, threat-actor … you may see' })
  sightingOf: string;

  @Field()
  firstSeen: Date;

  @Field({ nullable: true })
  lastSeen?: Date;

  @Field(() => Int, { nullable: true, description: 'How many times (default 1)' })
  count?: number;

  @Field(() => Int, { nullable: true, description: '0–100' })
  confidence?: number;

  @Field(() => InterviewStageEnum, { nullable: true })
  interviewStage?: InterviewStage;

  @Field(() => RoleCategoryEnum, { nullable: true })
  roleCategory?: RoleCategory;

  @Field(() => HiringChannelEnum, { nullable: true })
  hiringChannel?: HiringChannel;
}

@ObjectType({ description: 'The sector + area a sighting is reported under: never narrower than k members.' })
export class SightingCell {
  @Field()
  sector: string;

  @Field({ description: 'A country code, a region, or "global"' })
  area: string;

  @Field({ description: 'The shared STIX identity used as where_sighted_refs' })
  identityId: string;
}

@ObjectType({
  description:
    'The sharing a sighting was stored with: the requested one, narrowed so that nobody who may not see what was sighted sees the sighting.',
})
export class SightingSharing {
  @Field(() => DistributionEnum)
  distribution: string;

  @Field(() => TlpEnum, { description: 'At least the TLP of what was sighted' })
  tlp: string;

  @Field({ description: 'True when what was sighted is shared more narrowly than requested, and the sighting with it' })
  narrowed: boolean;
}

@ObjectType()
export class ReportedSighting {
  @Field()
  id: string;

  @Field({ description: 'Feed cursor of the stored sighting' })
  cursor: string;

  @Field(() => SightingCell)
  reportedAs: SightingCell;

  @Field(() => SightingSharing)
  sharedAs: SightingSharing;
}

@InputType()
export class FeedFilterInput {
  @Field(() => [String], {
    nullable: true,
    description: 'Sightings reported in these sectors (or in a coarser cell that includes them); indicators shared with them',
  })
  sectors?: string[];

  @Field(() => [String], {
    nullable: true,
    description:
      "ISO country codes; sightings reported there or in a region/global cell containing them; indicators whose audience includes them (others' indicators: only your own country)",
  })
  countries?: string[];

  @Field(() => [FeedItemTypeEnum], { nullable: true })
  types?: FeedItemTypeEnum[];

  @Field({ nullable: true, description: 'STIX id of a threat-actor or intrusion-set: items about it or linked to it' })
  actor?: string;

  @Field(() => Int, { nullable: true })
  minConfidence?: number;
}

@ObjectType()
export class SightingContext {
  @Field()
  sector: string;

  @Field()
  area: string;

  @Field(() => InterviewStageEnum, { nullable: true })
  interviewStage: string | null;

  @Field(() => RoleCategoryEnum, { nullable: true })
  roleCategory: string | null;

  @Field(() => HiringChannelEnum, { nullable: true })
  hiringChannel: string | null;
}

@ObjectType({ description: 'A sighting or indicator in the feed order' })
export class FeedItem {
  @Field({ description: 'Resume or page from here' })
  cursor: string;

  @Field(() => FeedItemTypeEnum)
  type: string;

  @Field()
  id: string;

  @Field()
  dateAdded: string;

  @Field(() => TlpEnum)
  tlp: string;

  @Field({ description: "True when the viewer's own tenant published it" })
  mine: boolean;

  @Field(() => JsonScalar, { description: 'The STIX 2.1 object' })
  object: Record<string, unknown>;

  @Field(() => SightingContext, { nullable: true })
  sighting: SightingContext | null;
}

@ObjectType()
export class FeedEdge {
  @Field()
  cursor: string;

  @Field(() => FeedItem)
  node: FeedItem;
}

@ObjectType()
export class FeedConnection {
  @Field(() => [FeedEdge])
  edges: FeedEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  /** Counts the whole feed; called only when totalCount is selected (FeedConnectionResolver). */
  count?: () => Promise<number | null>;
}
