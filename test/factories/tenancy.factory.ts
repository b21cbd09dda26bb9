import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiKeyService, UsersService } from '@cairn/auth';
import { gql } from '../support/test-app';
import { SCOPES, type Role, type Scope, type Viewer } from '@cairn/common';
import { SharingGroupsService, TenancyService, type NewTenant, type TenantEntity } from '@cairn/tenancy';

/** A fresh member tenant with a unique slug; override anything. */
export async function newTenant(app: INestApplicationContext, over: Partial<NewTenant> = {}): Promise<TenantEntity> {
  const slug = over.slug ?? `t-${randomBytes(5).toString('hex')}`;
  return app.get(TenancyService).createTenant({ slug, name: `Tenant ${slug}`, country: 'US', sectors: ['technology'], ...over });
}

/** A group whose members are in it already (the trusted path, as if each had accepted an invitation). */
export async function newGroup(app: INestApplicationContext, owner: TenantEntity, members: TenantEntity[]): Promise<string> {
  const slug = `g-${randomBytes(5).toString('hex')}`;
  const view = await app
    .get(SharingGroupsService)
    .createGroupWithMembers({ slug, name: slug, ownerTenantId: owner.id, memberTenantIds: members.map((m) => m.id) });
  return view.group.id;
}

/** An API key of the tenant with the given scopes; returns the Authorization header value. */
export async function newApiKey(
  app: INestApplicationContext,
  tenant: TenantEntity,
  scopes: Scope[] = ['intel:read', 'intel:write', 'sightings:write', 'taxii:read', 'taxii:write'],
): Promise<string> {
  const { secret } = await app.get(ApiKeyService).create({ tenantId: tenant.id, name: 'test key', scopes });
  return `Bearer ${secret}`;
}

/** A service-level viewer for a tenant, as an analyst API key would be. */
export function machineViewer(tenant: TenantEntity, scopes: readonly Scope[] = SCOPES): Viewer {
  return {
    kind: 'apikey',
    tenantId: tenant.id,
    apiKeyId: '00000000-0000-4000-8000-000000000000',
    operator: false,
    scopes: new Set(scopes),
  };
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A user of the tenant, signed in over HTTP; returns headers carrying its access token. */
export async function signedInUser(
  app: INestApplicationContext,
  baseUrl: string,
  tenant: TenantEntity,
  role: Role,
  opts: { operator?: boolean } = {},
): Promise<Record<string, string>> {
  const email = `${role}-${randomBytes(5).toString('hex')}@${tenant.slug}.example`;
  await app.get(UsersService).create({ tenantId: tenant.id, email, role, password: TEST_PASSWORD, operator: opts.operator });
  const res = await gql<{ login: { accessToken: string } }>(
    baseUrl,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    { e: email, p: TEST_PASSWORD },
  );
  if (!res.data) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
  return { authorization: `Bearer ${res.data.login.accessToken}` };
}
