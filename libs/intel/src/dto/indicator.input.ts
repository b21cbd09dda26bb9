import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { graphqlEnumOf } from '@cairn/common';
import { INDICATOR_KINDS, type IndicatorKind } from '../publish/indicator-builder';

/** The GraphQL enum IndicatorKind, built from the builder's list (so the two cannot drift apart). */
export const IndicatorKindEnum = graphqlEnumOf(INDICATOR_KINDS);
registerEnumType(IndicatorKindEnum, { name: 'IndicatorKind', description: 'What kind of identifier an indicator is about' });

@InputType()
export class IndicatorInput {
  @Field(() => IndicatorKindEnum)
  type: IndicatorKind;

  @Field({ description: 'The identifier as written; it is normalised (lower-case e-mail, E.164 phone, …).' })
  value: string;

  @Field(() => [String], { nullable: true })
  labels?: string[];

  @Field(() => Int, { nullable: true, description: '0–100' })
  confidence?: number;

  @Field(() => String, { nullable: true, description: 'RFC 3339 timestamp after which the indicator no longer applies.' })
  validUntil?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Id, name or alias of a threat actor or intrusion set you may see; adds an `indicates` relationship.',
  })
  threatActor?: string;
}
