import type { Viewer } from './viewer';

/** Where a credential came from; the address feeds the per-IP brute-force brake. */
export interface ClientInfo {
  ip?: string;
}

/** What AuthGuard needs from AuthService. */
export interface Authenticator {
  authenticate(authorization: string | undefined | null, client?: ClientInfo): Promise<Viewer>;
}

/**
 * AuthGuard injects AuthService through this token so that the guard's file does not load the
 * services (and, through them, @cairn/audit and @cairn/tenancy, whose resolvers use the guard):
 * that keeps the guard and decorators defined whichever library Node loads first.
 */
export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
