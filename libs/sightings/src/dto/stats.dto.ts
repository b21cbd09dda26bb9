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
    description:
      'Null where fewer than k members other than you stand behind the figure (small-count protection); a day also where the rest of its week would give it back',
  })
  sightings: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Null where fewer than k members other than you stand behind the figure (small-count protection); a day also where the rest of its week would give it back',
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
    description:
      'At least this many members reported it (never which): k once a week of it is shown, plus you if you reported it. A floor, never the exact number, which two answers could be subtracted to count one member',
  })
  reportingMembers: number;

  @Field(() => Int, { description: 'Its sightings in the weeks where they may be shown (see SectorStatsModel)' })
  sightings: number;
}

@ObjectType()
export class CountByKey {
  @Field()
  key: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'The sum of its weekly figures that may be shown (see SectorStatsModel); null when none may. Within a week, hidden figures of one breakdown together always stand for at least k',
  })
  sightings: number | null;
}

@ObjectType({
  description:
    "Sightings and new indicators for one sector, from what the viewer may see, over whole ISO weeks (UTC). Each week's figures are shown or hidden by that week alone (small-count protection); a figure over the window (total, breakdown row, top identity) is the sum of the weekly figures shown, so two windows differ only by figures shown anyway. It may be less than what was sighted, never more",
})
export class SectorStatsModel {
  @Field({ description: 'Start of the window: from, moved back to its Monday 00:00 UTC' })
  from: Date;

  @Field({ description: 'End of the window (excluded): to, moved on to the next Monday 00:00 UTC unless it is one' })
  to: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'Sightings in the weeks whose figure is shown; null when no week with sightings may be shown',
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
