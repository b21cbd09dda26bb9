import { Field, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '@cairn/common';
import { DistributionEnum } from '@cairn/tenancy';
import type { Distribution } from '@cairn/access';
import type { Tlp } from '@cairn/stix';
import { PublishedObjectModel, PublishIssueModel } from './publish-result.model';
import { TlpEnum } from './stix-object.model';

@ObjectType('PreviewObject', { description: 'One object as it would be stored and served to other members.' })
export class PreviewObjectModel {
  @Field({ description: 'The id as it would be stored.' })
  id: string;

  @Field()
  type: string;

  @Field(() => JsonScalar, {
    description: 'The document after anonymisation, redaction and protection of personal data: what other members would be served.',
  })
  document: Record<string, unknown>;

  @Field(() => TlpEnum)
  tlp: Tlp;

  @Field(() => DistributionEnum)
  distribution: Distribution;

  @Field(() => String, {
    nullable: true,
    description: 'Set when a reference narrows this object’s sharing below what was requested: the referenced object.',
  })
  narrowedBy: string | null;
}

@ObjectType('PublishPreview', { description: 'A dry run of publishing: every check and transformation, nothing stored.' })
export class PublishPreviewModel {
  @Field({ description: 'True when publishing the same input now would store it (no issues).' })
  valid: boolean;

  @Field(() => [PublishIssueModel], {
    description: 'Every problem at once, by object (as submitted) and property (JSON path), in bundle order.',
  })
  issues: PublishIssueModel[];

  @Field(() => [PublishedObjectModel], { description: 'What publishing would report for each submitted object.' })
  outcomes: PublishedObjectModel[];

  @Field(() => [PreviewObjectModel], {
    description: 'The documents that would be stored (empty when there are issues with the objects themselves).',
  })
  objects: PreviewObjectModel[];
}
