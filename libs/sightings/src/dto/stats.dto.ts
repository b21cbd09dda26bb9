import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum StatsIntervalEnum {
  DAY = 'day',
  WEEK = 'week',
}
registerEnumType(StatsIntervalEnum, { name: 'StatsInterval' });

@ObjectType()
export class StatsBucket {
  @Field({ description: 'Start of the day or ISO week (UTC), YYYY-MM-DD' })
  bucket: string;

  @Field(() => Int)
  sightings: number;

  @Field(() => Int)
  newIndicators: number;
}

@ObjectType()
export class TopIdentity {
  @Field({ description: 'STIX id of what was sighted' })
  subjectId: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => Int, { description: 'How many members reported it (never which)' })
  reportingMembers: number;

  @Field(() => Int)
  sightings: number;
}

@ObjectType()
export class CountByKey {
  @Field()
  key: string;

  @Field(() => Int)
  sightings: number;
}

@ObjectType({ description: 'Sightings and new indicators for one sector, from what the viewer may see' })
export class SectorStatsModel {
  @Field(() => Int)
  totalSightings: number;

  @Field(() => [StatsBucket])
  series: StatsBucket[];

  @Field(() => [TopIdentity])
  topIdentities: TopIdentity[];

  @Field(() => [CountByKey], { description: 'By reported area: country, region or global (small-crowd protected)' })
  byArea: CountByKey[];

  @Field(() => [CountByKey])
  byRoleCategory: CountByKey[];

  @Field(() => [CountByKey])
  byStage: CountByKey[];
}
