import { Injectable, Optional } from '@nestjs/common';
import type { CredentialFailure, Viewer } from '@cairn/common';
import { jwtHeaderAlg } from '../credentials';
import { CairnJwtStrategy } from './cairn-jwt.strategy';
import { OIDC_ALGORITHMS, OidcJwtStrategy } from './oidc-jwt.strategy';
import { runStrategy } from './run-strategy';

/**
 * Picks the one strategy a JWT may be verified by, from its header `alg`: HS256 → Cairn's
 * shared secret; RS256/ES256 → the IdP's JWKS (when configured); anything else → rejected.
 * Each strategy also pins its own algorithm list, so a wrong pick could still not verify
 * an HS256 token with a public key or an RS256 token with the secret.
 */
@Injectable()
export class JwtVerifier {
  constructor(
    private readonly cairn: CairnJwtStrategy,
    @Optional() private readonly oidc?: OidcJwtStrategy,
  ) {}

  /**
   * The viewer, or why not. passport-jwt checks the signature before the expiry, so `expired` and
   * `revoked` (signature, issuer and audience good, but validate() refused the user, tenant or
   * session) are only ever said of tokens that Cairn or the IdP really issued.
   */
  async verify(token: string): Promise<Viewer | CredentialFailure> {
    const alg = jwtHeaderAlg(token);
    const strategy =
      alg === 'HS256' ? this.cairn : this.oidc && (OIDC_ALGORITHMS as readonly string[]).includes(alg ?? '') ? this.oidc : undefined;
    if (!strategy) return 'invalid';
    let failure: CredentialFailure = 'invalid';
    const viewer = await runStrategy<Viewer>(strategy, `Bearer ${token}`, (info) => {
      // No info: the token verified and validate() returned null. TokenExpiredError: signed, but past `exp`.
      failure = info === undefined ? 'revoked' : (info as Error).name === 'TokenExpiredError' ? 'expired' : 'invalid';
    });
    return viewer ?? failure;
  }
}
