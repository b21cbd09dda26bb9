import { Injectable } from '@nestjs/common';
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
  ) {}

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
