import type { ApiKeyEntity } from '../entities/api-key.entity';
import type { UserEntity } from '../entities/user.entity';
import type { Principal } from '../principal';
import type { TenantSummary } from '../tenant-directory';
import type { ApiKey, TenantRef, User } from './auth.models';

export function toTenantRef(t: TenantSummary): TenantRef {
  return { id: t.id, slug: t.slug, name: t.name };
}

export function toUser(u: UserEntity, tenant: TenantSummary): User {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    operator: u.operator,
    disabled: u.disabled,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
    tenant: toTenantRef(tenant),
  };
}

/** For sign-in answers, built from the principal query (no second read). */
export function principalToUser(p: Principal): User {
  return {
    id: p.userId,
    email: p.email,
    name: p.name,
    role: p.role,
    operator: p.operator,
    disabled: p.disabled,
    lastLoginAt: p.lastLoginAt,
    createdAt: p.createdAt,
    tenant: toTenantRef(p.tenant),
  };
}

export function toApiKey(k: ApiKeyEntity): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    lastUsedAt: k.lastUsedAt,
    createdAt: k.createdAt,
  };
}
