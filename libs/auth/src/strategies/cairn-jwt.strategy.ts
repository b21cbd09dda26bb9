import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { isUuid, type Viewer } from '@cairn/common';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config';
import { UsersService } from '../users.service';
import { viewerForPrincipal } from '../principal';

/**
 * Cairn's own access tokens: HS256 with the shared secret and nothing else. The algorithm list
 * is fixed here, never taken from the token, so an RS256/none token cannot be checked with this key.
 */
@Injectable()
export class CairnJwtStrategy extends PassportStrategy(Strategy, 'cairn-jwt') {
  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      ignoreExpiration: false,
    });
  }

  /**
   * Re-reads the user, tenant and session on every request, so disabling, suspending, logout and
   * refresh-token reuse take effect at once. A token without a session (`sid`) is refused.
   */
  async validate(payload: Record<string, unknown>): Promise<Viewer | null> {
    const { sub, tid, sid, exp, jti } = payload;
    if (typeof sub !== 'string' || !isUuid(sub) || typeof tid !== 'string' || typeof exp !== 'number' || typeof jti !== 'string')
      return null;
    if (typeof sid !== 'string' || !isUuid(sid)) return null;
    const principal = await this.users.loadSessionPrincipal(sub, sid);
    if (!principal || principal.tenant.id !== tid) return null;
    const viewer = viewerForPrincipal(principal);
    return viewer && { ...viewer, sessionId: sid, expiresAt: exp * 1000 };
  }
}
