import { Injectable } from '@nestjs/common';
import { DbTrust } from '@cairn/access';
import { type CredentialState, type Viewer, unauthenticated, Authenticator, ClientInfo } from '@cairn/common';
import { parseAuthorization } from './credentials';
import { ApiKeyService } from './api-key.service';
import { apiKeyDigest, AuthThrottle } from './auth-throttle.service';
import { JwtVerifier } from './strategies/jwt-verifier';

/**
 * The one door for credentials: the guard (HTTP, GraphQL), WebSocket connection init and TAXII
 * all call `authenticate`. Every failure is the same UNAUTHENTICATED error, whichever part was wrong
 * (the reason rides along for the WebSocket door's close code only: credentialFailureOf).
 */
@Injectable()
export class AuthService implements Authenticator {
  constructor(
    private readonly jwt: JwtVerifier,
    private readonly apiKeys: ApiKeyService,
    private readonly throttle: AuthThrottle,
    private readonly trust: DbTrust,
  ) {}

  /** For the feed's deliveries: the credential still works (neither expired nor revoked; a changed role is fine there). */
  async stillValid(v: Viewer): Promise<boolean> {
    const [state] = await this.recheck([v]);
    return state === 'valid' || state === 'changed';
  }

  /**
   * One query for any number of viewers authenticated earlier (cairn_auth_recheck): what HTTP would
   * decide for the same credential now, plus whether a user's role or operator flag moved since.
   */
  async recheck(viewers: readonly Viewer[]): Promise<CredentialState[]> {
    if (viewers.length === 0) return [];
    const now = Date.now();
    // Viewers of many tenants at once, before any tenant is set: the SECURITY DEFINER re-check, one round trip.
    const rows = (await this.trust.asNobody((m) =>
      m.query(`SELECT * FROM cairn_auth_recheck($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[])`, [
        viewers.map((v) => v.tenantId),
        viewers.map((v) => v.apiKeyId ?? null),
        viewers.map((v) => v.userId ?? null),
        viewers.map((v) => v.sessionId ?? null),
      ]),
    )) as Array<{ i: number; role: string | null; operator: boolean | null; ok: boolean | null }>;
    const states: CredentialState[] = viewers.map(() => 'revoked');
    for (const r of rows) {
      const v = viewers[r.i - 1];
      if (v.expiresAt !== undefined && v.expiresAt <= now) states[r.i - 1] = 'expired';
      else if (r.ok !== true) states[r.i - 1] = 'revoked';
      else if (v.kind === 'user' && (r.role !== v.role || r.operator !== v.operator)) states[r.i - 1] = 'changed';
      else states[r.i - 1] = 'valid';
    }
    return states;
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
      if (typeof viewer === 'string') throw unauthenticated(viewer);
      return viewer;
    }
    const digest = apiKeyDigest(credential);
    this.throttle.assertApiKeyAllowed(digest, client.ip);
    const viewer = await this.apiKeys.verify(credential);
    if (typeof viewer === 'string') {
      this.throttle.apiKeyFailed(client.ip, viewer);
      throw unauthenticated(viewer);
    }
    this.throttle.apiKeySucceeded(digest);
    return viewer;
  }
}
