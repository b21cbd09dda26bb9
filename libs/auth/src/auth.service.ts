import { Injectable } from '@nestjs/common';
import { DbTrust } from '@cairn/access';
import { type Viewer, unauthenticated, Authenticator, ClientInfo } from '@cairn/common';
import { parseAuthorization } from './credentials';
import { ApiKeyService } from './api-key.service';
import { AuthThrottle } from './auth-throttle.service';
import { JwtVerifier } from './strategies/jwt-verifier';

/**
 * The one door for credentials: the guard (HTTP, GraphQL), WebSocket connection init and TAXII
 * all call `authenticate`. Every failure is the same UNAUTHENTICATED error, whichever part was wrong.
 */
@Injectable()
export class AuthService implements Authenticator {
  constructor(
    private readonly jwt: JwtVerifier,
    private readonly apiKeys: ApiKeyService,
    private readonly throttle: AuthThrottle,
    private readonly trust: DbTrust,
  ) {}

  /** One query over this module's tables and the tenant's status (tenant_pkey, api_key_pkey, app_user_pkey). */
  async stillValid(v: Viewer): Promise<boolean> {
    const [row] = await this.trust.asTenant(v.tenantId, (m) => m.query(
      `SELECT EXISTS (SELECT 1 FROM tenant t WHERE t.id = $1::uuid AND t.status = 'active'
         AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM api_key k WHERE k.id = $2::uuid AND k.tenant_id = t.id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())))
         AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM app_user u WHERE u.id = $3::uuid AND u.tenant_id = t.id AND NOT u.disabled))) AS ok`,
      [v.tenantId, v.apiKeyId ?? null, v.userId ?? null],
    ));
    return row?.ok === true;
  }

  /**
   * Accepts `Bearer <jwt>`, `Bearer <api key>`, `Basic …` carrying an API key, or a bare
   * token (as WebSocket connection params send it). Throws UNAUTHENTICATED or RATE_LIMITED.
   */
  async authenticate(authorization: string | undefined | null, client: ClientInfo = {}): Promise<Viewer> {
    const credential = parseAuthorization(authorization);
    if (!credential) throw unauthenticated();
    if (credential.kind === 'jwt') {
      // Signatures cannot be guessed, so JWT failures are not throttled (and cannot lock out a NAT).
      const viewer = await this.jwt.verify(credential.token);
      if (!viewer) throw unauthenticated();
      return viewer;
    }
    this.throttle.assertApiKeyAllowed(client.ip);
    const viewer = await this.apiKeys.verify(credential);
    if (!viewer) {
      this.throttle.apiKeyFailed(client.ip);
      throw unauthenticated();
    }
    return viewer;
  }
}
