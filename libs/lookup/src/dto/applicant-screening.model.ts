import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
// The feed's own enums (registered by its DTOs): a stage reads the same in a screening as in the feed.
import { InterviewStageEnum, RoleCategoryEnum } from '@cairn/sightings';
import { ReporterCellModel } from './identifier-check.model';

export enum ApplicantFieldEnum {
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  HANDLE = 'HANDLE',
  NAME = 'NAME',
  RESUME_HASH = 'RESUME_HASH',
  IP = 'IP',
  WALLET = 'WALLET',
  ADDRESS = 'ADDRESS',
}
registerEnumType(ApplicantFieldEnum, { name: 'ApplicantField', description: 'Which list of an ApplicantInput a value came from.' });

@ObjectType('IdentifierMatch', {
  description: 'One identifier of an applicant that objects the viewer may see carry. Never names who reported it.',
})
export class IdentifierMatchModel {
  @Field(() => ApplicantFieldEnum)
  field: ApplicantFieldEnum;

  @Field({ description: 'The value as given (a handle as platform:value).' })
  value: string;

  @Field({ description: 'The canonical form it was matched by.' })
  normalised: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Distinct member tenants that published or sighted it; null when fewer than k of them are not you.',
  })
  reporters: number | null;

  @Field(() => [ReporterCellModel], { description: 'Sector + area cells of the reporters, each one at least k members report under.' })
  cells: ReporterCellModel[];

  @Field(() => String, { nullable: true })
  firstSeen: string | null;

  @Field(() => String, { nullable: true })
  lastSeen: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Sightings of it the viewer may see; null when fewer than k sighting members are not you.',
  })
  sightings: number | null;

  @Field(() => [InterviewStageEnum], { description: 'Interview stages of those sightings (distinct values, never counts).' })
  interviewStages: string[];

  @Field(() => [RoleCategoryEnum], { description: 'Role categories of those sightings (distinct values, never counts).' })
  roleCategories: string[];

  @Field(() => [String], { description: 'Threat actors and intrusion sets linked by relationships the viewer may see.' })
  linkedActors: string[];

  @Field(() => [String], { description: 'STIX ids of personas it is, or is linked to.' })
  linkedPersonas: string[];

  @Field(() => Int, { nullable: true })
  maxConfidence: number | null;

  @Field(() => String, { nullable: true })
  latestTlp: string | null;
}

@ObjectType('RejectedIdentifier', { description: 'A value that could not be screened, and why; the applicant’s other values were.' })
export class RejectedIdentifierModel {
  @Field(() => ApplicantFieldEnum)
  field: ApplicantFieldEnum;

  @Field()
  value: string;

  @Field()
  reason: string;
}

@ObjectType('ScreeningSignals', {
  description: 'What the matches add up to: figures drawn from the per-identifier answers only. Not a verdict about the person.',
})
export class ScreeningSignalsModel {
  @Field(() => Int)
  matchedIdentifiers: number;

  @Field(() => [ApplicantFieldEnum])
  matchedFields: ApplicantFieldEnum[];

  @Field(() => Int, { description: 'Matched identifiers that sightings (interviews) are reported for.' })
  sightedIdentifiers: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The largest reporters figure shown among the matches (never a count across identifiers).',
  })
  maxReporters: number | null;

  @Field(() => [String])
  linkedActors: string[];

  @Field(() => [String])
  linkedPersonas: string[];

  @Field(() => [InterviewStageEnum])
  interviewStages: string[];

  @Field(() => [RoleCategoryEnum])
  roleCategories: string[];

  @Field(() => String, { nullable: true })
  firstSeen: string | null;

  @Field(() => String, { nullable: true })
  lastSeen: string | null;
}

@ObjectType('ApplicantScreening', { description: 'The screening of one applicant, in input order.' })
export class ApplicantScreeningModel {
  @Field({ description: 'Your reference, echoed (never stored).' })
  ref: string;

  @Field(() => [IdentifierMatchModel])
  matches: IdentifierMatchModel[];

  @Field(() => [RejectedIdentifierModel])
  rejected: RejectedIdentifierModel[];

  @Field(() => ScreeningSignalsModel)
  signals: ScreeningSignalsModel;
}
