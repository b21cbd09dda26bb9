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

/** Columns of the principal query (one row: app_user joined to its tenant). */
export const PRINCIPAL_COLUMNS = `
  u.id AS user_id, u.email, u.name, u.role, u.operator, u.disabled, u.locked_until, u.last_login_at, u.created_at,
  t.id AS tenant_id, t.slug AS tenant_slug, t.name AS tenant_name, t.kind AS tenant_kind, t.status AS tenant_status`;

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
