import { scopesForRole, type Role, type Viewer } from '@cairn/common';
import type { TenantSummary } from './tenant-directory';

/** A user with the tenant facts that decide whether they may act now. */
export interface Principal {
  userId: string;
  email: string;
  name: string;
  role: Role;
  operator: boolean;
  disabled: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  tenant: TenantSummary;
}

/** A row of cairn_auth_principal / cairn_auth_principal_by_email (migration AccountRls1764000300000). */
export interface PrincipalRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  operator: boolean;
  disabled: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  tenant_kind: TenantSummary['kind'];
  tenant_status: TenantSummary['status'];
}

export function principalFromRow(r: PrincipalRow): Principal {
  return {
    userId: r.user_id,
    email: r.email,
    name: r.name,
    role: r.role,
    operator: r.operator,
    disabled: r.disabled,
    lockedUntil: r.locked_until,
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    tenant: { id: r.tenant_id, slug: r.tenant_slug, name: r.tenant_name, kind: r.tenant_kind, status: r.tenant_status },
  };
}

/** The viewer a principal acts as, or null when it may not act at all (disabled user, suspended tenant). */
export function viewerForPrincipal(p: Principal): Viewer | null {
  if (p.disabled || p.tenant.status !== 'active') return null;
  return {
    kind: 'user',
    tenantId: p.tenant.id,
    userId: p.userId,
    role: p.role,
    // Belt and braces with the database trigger: operator powers exist only on the exchange tenant.
    operator: p.operator && p.tenant.kind === 'exchange',
    scopes: new Set(scopesForRole(p.role)),
  };
}
