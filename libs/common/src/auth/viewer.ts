/** Roles of people inside a member tenant, lowest to highest. The operator role belongs to exchange staff. */
export const ROLES = ['reader', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an API key may do. Users get the scopes of their role (see scopesForRole). */
export const SCOPES = ['intel:read', 'intel:write', 'sightings:write', 'taxii:read', 'taxii:write', 'tenant:admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What a caller can be: a person (JWT) or a machine (API key). */
export const VIEWER_KINDS = ['user', 'apikey'] as const;

/**
 * The authenticated caller of one request: a person (JWT) or a machine (API key).
 * Every service method that touches member data takes one explicitly.
 */
export interface Viewer {
  kind: (typeof VIEWER_KINDS)[number];
  tenantId: string;
  userId?: string;
  apiKeyId?: string;
  /** People only. */
  role?: Role;
  /** Exchange staff: manage tenants; see member intelligence only as their own tenant would. */
  operator: boolean;
  scopes: ReadonlySet<Scope>;
  /** The sign-in (refresh-token family) a user's access token belongs to: logout or token reuse ends it at once. */
  sessionId?: string;
  /** When the credential itself stops working (ms since the epoch): an access token's exp, an API key's expiry. */
  expiresAt?: number;
}

export function scopesForRole(role: Role): Scope[] {
  switch (role) {
    case 'reader':
      return ['intel:read', 'taxii:read'];
    case 'analyst':
      return ['intel:read', 'intel:write', 'sightings:write', 'taxii:read', 'taxii:write'];
    case 'admin':
      return ['intel:read', 'intel:write', 'sightings:write', 'taxii:read', 'taxii:write', 'tenant:admin'];
  }
}
