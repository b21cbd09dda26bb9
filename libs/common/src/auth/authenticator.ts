import type { Viewer } from './viewer';

/** Where a credential came from; the address feeds the per-IP brute-force brake. */
export interface ClientInfo {
  ip?: string;
}

/** What AuthGuard needs from AuthService. */
export interface Authenticator {
  authenticate(authorization: string | undefined | null, client?: ClientInfo): Promise<Viewer>;
  /** Whether a viewer authenticated earlier (an open WebSocket) still holds: key not revoked or expired, user enabled, tenant active. */
  stillValid(viewer: Viewer): Promise<boolean>;
}

/** AuthService, for code outside libs/auth (the guard, the feed): they depend on libs/common only. */
export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
