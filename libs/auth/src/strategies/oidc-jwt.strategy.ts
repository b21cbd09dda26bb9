import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { passportJwtSecret } from 'jwks-rsa';
import type { Viewer } from '@cairn/common';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config';
import { UsersService } from '../users.service';
import { viewerForPrincipal } from '../principal';

/** Asymmetric algorithms accepted from the external identity provider. Never HS*: its "secret" would be a public key. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;

/**
 * Tokens of an external identity provider, checked against its JWKS (keys cached, fetches rate
 * limited so unknown `kid`s cannot make us hammer the IdP). The `email` claim, verified by the IdP
 * (`email_verified: true`), must name an existing Cairn user: nobody is provisioned from a token.
 */
@Injectable()
export class OidcJwtStrategy extends PassportStrategy(Strategy, 'oidc-jwt') {
  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    private readonly users: UsersService,
  ) {
    const oidc = config.oidc;
    if (!oidc) throw new Error('OidcJwtStrategy needs config.auth.oidc');
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: passportJwtSecret({
        jwksUri: oidc.jwksUrl,
        cache: true,
        cacheMaxEntries: 10,
        cacheMaxAge: 10 * 60_000,
        rateLimit: true,
        jwksRequestsPerMinute: 10,
        timeout: 5000,
      }),
      algorithms: [...OIDC_ALGORITHMS],
      issuer: oidc.issuer,
      audience: oidc.audience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: Record<string, unknown>): Promise<Viewer | null> {
    const { email, exp } = payload;
    // A token without expiry would be valid forever. An address the IdP did not check could be anyone's
    // (self sign-up, a user-editable mail attribute): only `email_verified: true` vouches for it (OIDC Core §5.1),
    // so a missing claim, or "false" as a string, signs nobody in as the Cairn person of that address.
    if (typeof email !== 'string' || typeof exp !== 'number' || payload.email_verified !== true) return null;
    const principal = await this.users.loadPrincipalByEmail(email);
    const viewer = principal ? viewerForPrincipal(principal) : null;
    return viewer && { ...viewer, expiresAt: exp * 1000 };
  }
}
