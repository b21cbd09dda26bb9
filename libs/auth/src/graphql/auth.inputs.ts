import { Field, InputType } from '@nestjs/graphql';
import type { Role as RoleValue, Scope as ScopeValue } from '@cairn/common';
import { RoleEnum, ScopeEnum } from './auth.models';

@InputType()
export class CreateUserInput {
  @Field()
  email: string;

  @Field({ nullable: true })
  name?: string;

  @Field(() => RoleEnum)
  role: RoleValue;

  @Field({ description: 'At least 12 characters.' })
  password: string;
}

@InputType()
export class UpdateUserInput {
  @Field({ nullable: true })
  name?: string;

  @Field(() => RoleEnum, { nullable: true })
  role?: RoleValue;

  @Field({ nullable: true, description: 'Disabling ends all of the user’s sessions at once.' })
  disabled?: boolean;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  name: string;

  @Field(() => [ScopeEnum], { description: 'Any scope except TENANT_ADMIN.' })
  scopes: ScopeValue[];

  @Field(() => Date, { nullable: true, description: 'No expiry when omitted.' })
  expiresAt?: Date | null;
}
