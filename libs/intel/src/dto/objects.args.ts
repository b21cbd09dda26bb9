import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { TlpEnum } from './stix-object.model';

@InputType()
export class ObjectFilterInput {
  @Field(() => [String], { nullable: true, description: 'STIX types, e.g. ["indicator", "email-addr"]' })
  types?: string[];

  @Field(() => [String], { nullable: true })
  ids?: string[];

  @Field(() => [TlpEnum], { nullable: true })
  tlp?: TlpEnum[];
}

@ArgsType()
export class ObjectsArgs {
  @Field(() => ObjectFilterInput, { nullable: true })
  filter?: ObjectFilterInput;

  @Field(() => Int, { defaultValue: 100, description: 'Page size, at most 1000.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor from a previous page (pageInfo.endCursor).' })
  after?: string;
}
