import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { graphqlEnumOf, ROLES, SCOPES, VIEWER_KINDS, type Role as RoleValue, type Scope as ScopeValue, type Viewer } from '@cairn/common';

/** GraphQL names for roles (READER, …), built from the one list; the values are the stored strings ('reader', …). */
export const RoleEnum = graphqlEnumOf(ROLES);
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'What a person may do inside their tenant: READER reads, ANALYST also publishes and sights, ADMIN also manages users and API keys.',
});

/** GraphQL names for scopes (INTEL_READ, …), built from the one list; the values are the strings used everywhere else ('intel:read', …). */
export const ScopeEnum = graphqlEnumOf(SCOPES);
registerEnumType(ScopeEnum, {
  name: 'Scope',
  description:
    'A permission: intel:read, intel:write, sightings:write, taxii:read, taxii:write, tenant:admin. API keys cannot hold TENANT_ADMIN.',
});

const VIEWER_KIND_NAMES: Readonly<Record<Viewer['kind'], string>> = { user: 'USER', apikey: 'API_KEY' };
export const ViewerKind = graphqlEnumOf(VIEWER_KINDS, (k) => VIEWER_KIND_NAMES[k]);
registerEnumType(ViewerKind, { name: 'ViewerKind', description: 'A person signed in with a token, or a machine with an API key.' });

@ObjectType({ description: "The tenant a user or key belongs to (the caller's own tenant)." })
export class TenantRef {
  @Field(() => ID)
  id: string;

  @Field()
  slug: string;

  @Field()
  name: string;
}

@ObjectType({ description: 'A person who signs in. E-mail addresses are unique across the exchange.' })
export class User {
  @Field(() => ID)
  id: string;

  @Field()
  email: string;

  @Field()
  name: string;

  @Field(() => RoleEnum)
  role: RoleValue;

  @Field({ description: 'Exchange staff (only on the exchange tenant).' })
  operator: boolean;

  @Field()
  disabled: boolean;

  @Field(() => Date, { nullable: true })
  lastLoginAt: Date | null;

  @Field()
  createdAt: Date;

  @Field(() => TenantRef)
  tenant: TenantRef;
}

@ObjectType({ description: 'A machine credential. The secret part is shown only once, when the key is created.' })
export class ApiKey {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'Public part of the key (`cairn_` + 8 characters); also accepted as the HTTP Basic username.' })
  prefix: string;

  @Field(() => [ScopeEnum])
  scopes: ScopeValue[];

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute.' })
  lastUsedAt: Date | null;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({
    description:
      'The full key `<prefix>.<secret>`, shown this once and never stored. Send it as `Authorization: Bearer <key>`, or as HTTP Basic with the key as password (any username), or username = prefix and password = the part after the dot.',
  })
  secret: string;
}

@ObjectType({ description: 'A signed-in session.' })
export class AuthPayload {
  @Field({ description: 'Short-lived JWT: send as `Authorization: Bearer <token>`.' })
  accessToken: string;

  @Field({ description: 'Single-use: exchange it with refreshToken for a new pair before it expires. Re-using one ends the session.' })
  refreshToken: string;

  @Field({ description: 'When the access token expires.' })
  expiresAt: Date;

  @Field(() => User)
  user: User;
}

@ObjectType({ description: 'Who the caller is.' })
export class Me {
  @Field(() => ViewerKind)
  kind: Viewer['kind'];

  @Field(() => TenantRef)
  tenant: TenantRef;

  @Field(() => User, { nullable: true, description: 'Set when a person is signed in.' })
  user: User | null;

  @Field(() => ApiKey, { nullable: true, description: 'Set when the caller is an API key.' })
  apiKey: ApiKey | null;

  @Field(() => RoleEnum, { nullable: true })
  role: RoleValue | null;

  @Field()
  operator: boolean;

  @Field(() => [ScopeEnum])
  scopes: ScopeValue[];
}
