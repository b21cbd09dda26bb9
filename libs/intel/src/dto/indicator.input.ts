import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { INDICATOR_KINDS } from '../publish/indicator-builder';

export enum IndicatorKindEnum {
  EMAIL = 'EMAIL',
  PHONE = 'PHONE',
  IP = 'IP',
  DOMAIN = 'DOMAIN',
  URL = 'URL',
  FILE_HASH = 'FILE_HASH',
  GITHUB = 'GITHUB',
  LINKEDIN = 'LINKEDIN',
  TELEGRAM = 'TELEGRAM',
  WALLET = 'WALLET',
  PERSONA_NAME = 'PERSONA_NAME',
  BANK_ACCOUNT = 'BANK_ACCOUNT',
}
registerEnumType(IndicatorKindEnum, { name: 'IndicatorKind', description: 'What kind of identifier an indicator is about' });
// The GraphQL enum and the builder's list must not drift apart.
void (INDICATOR_KINDS satisfies readonly `${IndicatorKindEnum}`[]);

@InputType()
export class IndicatorInput {
  @Field(() => IndicatorKindEnum)
  type: IndicatorKindEnum;

  @Field({ description: 'The identifier as written; it is normalised (lower-case e-mail, E.164 phone, …).' })
  value: string;

  @Field(() => [String], { nullable: true })
  labels?: string[];

  @Field(() => Int, { nullable: true, description: '0–100' })
  confidence?: number;

  @Field(() => String, { nullable: true, description: 'RFC 3339 timestamp after which the indicator no longer applies.' })
  validUntil?: string;

  @Field(() => String, { nullable: true, description: 'Id, name or alias of a threat actor or intrusion set you may see; adds an `indicates` relationship.' })
  threatActor?: string;
}
