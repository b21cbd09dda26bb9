import { Injectable, Optional } from '@nestjs/common';
import type { Viewer } from '@cairn/common';
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

  verify(token: string): Promise<Viewer | null> {
    const alg = jwtHeaderAlg(token);
    if (alg === 'HS256') return runStrategy<Viewer>(this.cairn, `Bearer ${token}`);
    if (this.oidc && (OIDC_ALGORITHMS as readonly string[]).includes(alg ?? '')) return runStrategy<Viewer>(this.oidc, `Bearer ${token}`);
    return Promise.resolve(null);
  }
}
