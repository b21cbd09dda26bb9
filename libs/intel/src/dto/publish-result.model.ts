import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { graphqlEnumOf, JsonScalar } from '@cairn/common';
import { PUBLISH_STATUSES, type PublishStatus } from '../publish/publish.types';

export const PublishStatusEnum = graphqlEnumOf(PUBLISH_STATUSES);
registerEnumType(PublishStatusEnum, {
  name: 'PublishStatus',
  description:
    'CREATED: a new object. NEW_VERSION: a new version of an object you published. UNCHANGED: this version is already stored (or repeated in the bundle). ' +
    'SKIPPED: not stored because the exchange serves it (TLP definitions) or it would name you (your own identity), or, in repair mode, because of its errors. REJECTED: see errors; nothing was stored.',
});

@ObjectType('PublishIssue', { description: 'One problem, naming the object (as submitted) and the property (JSON path).' })
export class PublishIssueModel {
  @Field(() => String, { nullable: true })
  objectId: string | null;

  @Field()
  path: string;

  @Field()
  code: string;

  @Field()
  message: string;
}

@ObjectType('PublishedObject')
export class PublishedObjectModel {
  @Field(() => Int, { description: 'Position in the submitted bundle.' })
  index: number;

  @Field({ description: 'The id as stored.' })
  id: string;

  @Field()
  type: string;

  @Field(() => PublishStatusEnum)
  status: PublishStatus;

  @Field(() => String, { nullable: true })
  modified?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The id you submitted, when the exchange replaced it (deterministic or protected observable ids).',
  })
  correctedFrom?: string;

  @Field(() => String, { nullable: true })
  reason?: string;

  @Field(() => [PublishIssueModel], { nullable: true })
  errors?: PublishIssueModel[];

  @Field(() => [PublishIssueModel], { nullable: true, description: 'Repair mode: what was changed in this object before it was stored.' })
  repairs?: PublishIssueModel[];
}

@ObjectType('PublishResult')
export class PublishResultModel {
  @Field(() => Int)
  created: number;

  @Field(() => Int)
  newVersions: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => Int)
  skipped: number;

  @Field(() => Int, { description: 'Objects whose id the exchange corrected.' })
  corrected: number;

  @Field(() => Int, { description: 'Repair mode: objects stored after a repair.' })
  repaired: number;

  @Field(() => [PublishIssueModel], {
    description: 'Repair mode: every repair made (code, path), the bundle-level ones included; empty in strict mode.',
  })
  repairs: PublishIssueModel[];

  @Field(() => [PublishedObjectModel])
  objects: PublishedObjectModel[];
}

@ObjectType('ExportedBundle')
export class ExportedBundleModel {
  @Field(() => JsonScalar, { description: 'A STIX 2.1 bundle with a fresh id.' })
  bundle: Record<string, unknown>;

  @Field(() => Int, { description: 'Objects matching the filter in the bundle (served definitions and identities not counted).' })
  objectCount: number;

  @Field({ description: 'More objects follow this page: continue with nextCursor.' })
  truncated: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Pass as `after` (with the same filter) for the next page; null on the last page. Pages cover a snapshot taken when the export began: each object once.',
  })
  nextCursor: string | null;
}
