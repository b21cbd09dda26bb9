import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AUTH_CONFIG, type AuthConfig } from './auth.config';

/**
 * Claims of Cairn's own access tokens. `tid` is checked against the user's tenant and `sid` (the
 * sign-in's refresh-token family) against the live sessions on every request, so logout and
 * refresh-token reuse end the access token at once.
 */
export interface CairnAccessClaims {
  sub: string;
  tid: string;
  sid: string;
  jti: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/** Signs short-lived HS256 access tokens. Verification lives in CairnJwtStrategy (passport-jwt). */
@Injectable()
export class AccessTokenService {
  private readonly jwt: JwtService;

  constructor(@Inject(AUTH_CONFIG) private readonly config: AuthConfig) {
    this.jwt = new JwtService({ secret: config.jwtSecret });
  }

  async issue(userId: string, tenantId: string, sessionId: string): Promise<IssuedAccessToken> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.config.accessTokenTtlSeconds;
    const token = await this.jwt.signAsync(
      { tid: tenantId, sid: sessionId, iat: now, exp },
      { algorithm: 'HS256', issuer: this.config.jwtIssuer, audience: this.config.jwtAudience, subject: userId, jwtid: randomUUID() },
    );
    return { token, expiresAt: new Date(exp * 1000) };
  }
}
