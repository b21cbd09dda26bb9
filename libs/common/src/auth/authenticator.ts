import type { Viewer } from './viewer';

/** Where a credential came from; the address feeds the per-IP brute-force brake. */
export interface ClientInfo {
  ip?: string;
}

/**
 * A credential authenticated earlier (an open WebSocket), as it stands now: `valid`; `expired`
 * (its own lifetime ended: authenticate again); `revoked` (key revoked, user disabled, tenant
 * suspended, session logged out); `changed` (still valid, but the user's role or operator flag is
 * not what it was: the rights it was granted with are stale).
 */
export type CredentialState = 'valid' | 'expired' | 'revoked' | 'changed';

/** What AuthGuard needs from AuthService. */
export interface Authenticator {
  authenticate(authorization: string | undefined | null, client?: ClientInfo): Promise<Viewer>;
  /** Whether a viewer authenticated earlier (an open WebSocket) still holds: key not revoked or expired, user enabled, tenant active. */
  stillValid(viewer: Viewer): Promise<boolean>;
  /** The state of each viewer's credential, in one query however many there are (the WebSocket door's sweep). */
  recheck(viewers: readonly Viewer[]): Promise<CredentialState[]>;
}

/** AuthService, for code outside libs/auth (the guard, the feed): they depend on libs/common only. */
export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
