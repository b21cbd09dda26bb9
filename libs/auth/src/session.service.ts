import { Injectable } from '@nestjs/common';
import { ClientInfo, unauthenticated } from '@cairn/common';
import { tooManyFailedAttempts } from './auth.errors';
import { AuditService } from '@cairn/audit';
import { AccessTokenService } from './access-token.service';
import { AuthThrottle } from './auth-throttle.service';
import { PasswordService } from './password.service';
import { RefreshTokenService } from './refresh-token.service';
import { normaliseEmail, UsersService } from './users.service';
import { viewerForPrincipal, type Principal } from './principal';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires. */
  expiresAt: Date;
  user: Principal;
}

/** Sign-in with e-mail and password, refresh-token rotation, and sign-out. */
@Injectable()
export class SessionService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly throttle: AuthThrottle,
    private readonly audit: AuditService,
  ) {}

  /**
   * Unknown e-mail, wrong password, disabled user, suspended tenant: one error, and the same
   * scrypt work (a dummy hash for unknown e-mails), so neither the answer nor its timing says
   * whether an account exists. A locked account answers RATE_LIMITED even to the right password.
   */
  async login(emailInput: string, password: string, client: ClientInfo = {}): Promise<Session> {
    const email = normaliseEmail(emailInput).slice(0, 320);
    this.throttle.assertLoginAllowed(email, client.ip);
    const principal = await this.users.loadPrincipalByEmail(email);
    const passwordOk = await this.passwords.verify(password, principal?.passwordHash ?? (await this.passwords.dummyHash()));
    const lockedMs = principal?.lockedUntil ? principal.lockedUntil.getTime() - Date.now() : 0;
    if (lockedMs > 0) throw tooManyFailedAttempts(lockedMs);
    const viewer = principal && passwordOk ? viewerForPrincipal(principal) : null;
    if (!principal || !viewer) {
      this.throttle.loginFailed(email, client.ip);
      if (principal) await this.users.recordFailedLogin(principal);
      await this.audit.record({
        action: 'auth.login_failed',
        tenantId: principal?.tenant.id ?? null,
        targetType: principal ? 'user' : undefined,
        targetId: principal?.userId,
        details: { ip: client.ip ?? null, reason: !principal ? 'unknown_email' : !passwordOk ? 'bad_password' : 'inactive' },
      });
      throw unauthenticated();
    }
    this.throttle.loginSucceeded(email);
    await this.users.recordSuccessfulLogin(principal);
    const refresh = await this.refreshTokens.issue(principal.userId, principal.tenant.id);
    const access = await this.accessTokens.issue(principal.userId, principal.tenant.id, refresh.familyId);
    await this.audit.record({
      action: 'auth.login',
      viewer,
      targetType: 'user',
      targetId: principal.userId,
      details: { ip: client.ip ?? null },
    });
    const { passwordHash: _hidden, ...user } = principal;
    return { accessToken: access.token, refreshToken: refresh.token, expiresAt: access.expiresAt, user };
  }

  /** Exchanges a refresh token for a new pair. Re-use of an exchanged token revokes its whole family and is audited. */
  async refresh(token: string): Promise<Session> {
    const result = await this.refreshTokens.rotate(token);
    if (result.outcome === 'invalid') throw unauthenticated();
    const principal = await this.users.loadPrincipal(result.userId);
    if (result.outcome === 'reused') {
      await this.audit.record({
        action: 'auth.refresh_reused',
        tenantId: principal?.tenant.id ?? null,
        actorUserId: result.userId,
        targetType: 'user',
        targetId: result.userId,
        details: { familyId: result.familyId },
      });
      throw unauthenticated();
    }
    const viewer = principal ? viewerForPrincipal(principal) : null;
    if (!principal || !viewer) {
      await this.refreshTokens.revokeFamilyOf(result.next.token);
      throw unauthenticated();
    }
    const access = await this.accessTokens.issue(principal.userId, principal.tenant.id, result.next.familyId);
    return { accessToken: access.token, refreshToken: result.next.token, expiresAt: access.expiresAt, user: principal };
  }

  /**
   * Ends the sign-in the token belongs to, and with it every access token of that sign-in (their
   * `sid` no longer names a live session). Answers the same for unknown tokens, so it is no oracle.
   */
  async logout(token: string): Promise<void> {
    const revoked = await this.refreshTokens.revokeFamilyOf(token);
    if (!revoked) return;
    const principal = await this.users.loadPrincipal(revoked.userId);
    await this.audit.record({
      action: 'auth.logout',
      tenantId: principal?.tenant.id ?? null,
      actorUserId: revoked.userId,
      targetType: 'user',
      targetId: revoked.userId,
    });
  }
}
