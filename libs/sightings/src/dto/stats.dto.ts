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

  @Field(() => Int, {
    nullable: true,
    description: 'Null where fewer than k members other than you stand behind the figure (small-count protection)',
  })
  sightings: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Null where fewer than k members other than you stand behind the figure (small-count protection)',
  })
  newIndicators: number | null;
}

@ObjectType()
export class TopIdentity {
  @Field({ description: 'STIX id of what was sighted' })
  subjectId: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => Int, {
    description: 'How many members reported it (never which); a subject is listed only when at least k members other than you did',
  })
  reportingMembers: number;

  @Field(() => Int)
  sightings: number;
}

@ObjectType()
export class CountByKey {
  @Field()
  key: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Null where fewer than k members other than you stand behind the figure (small-count protection); hidden figures of one breakdown together always stand for at least k',
  })
  sightings: number | null;
}

@ObjectType({ description: 'Sightings and new indicators for one sector, from what the viewer may see' })
export class SectorStatsModel {
  @Field(() => Int, {
    nullable: true,
    description: 'Null where fewer than k members other than you stand behind the figure (small-count protection)',
  })
  totalSightings: number | null;

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
