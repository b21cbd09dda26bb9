import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DbTrust } from '@cairn/access';
import { AUTH_CONFIG, type AuthConfig } from './auth.config';

export interface IssuedRefreshToken {
  token: string;
  familyId: string;
  expiresAt: Date;
}

export type RotationResult =
  | { outcome: 'rotated'; userId: string; next: IssuedRefreshToken }
  /** A token that was already exchanged came back: someone holds a copy. The family is now revoked. */
  | { outcome: 'reused'; userId: string; familyId: string }
  | { outcome: 'invalid' };

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Refresh tokens: 32 random bytes (base64url), stored as SHA-256. Each use consumes the token
 * and issues the next one of the same family; presenting a consumed token again revokes the
 * whole family, so a thief and the victim cannot both keep a session (OAuth 2.0 Security BCP
 * §4.14). Each new token lives refreshTokenTtlSeconds from its own issue (sliding sessions), but no
 * sign-in outlives sessionMaxSeconds from its first token: else a copied refresh token, kept fresh by
 * its thief after the victim simply closed the tab (no reuse ever shows), would be a session for ever.
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    private readonly trust: DbTrust,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** A new token for the user of tenant `tenantId` (row-level security checks that it is that tenant's). */
  async issue(userId: string, tenantId: string, familyId: string = randomUUID(), manager?: EntityManager): Promise<IssuedRefreshToken> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000);
    await this.trust.asTenant(
      tenantId,
      (m) =>
        m.query(`INSERT INTO refresh_token (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [
          userId,
          familyId,
          hashToken(token),
          expiresAt,
        ]),
      manager,
    );
    return { token, familyId, expiresAt };
  }

  /** Whose token this hash is: the one lookup before the tenant is known (SECURITY DEFINER, refresh_token_token_hash_key). */
  private async owner(hash: string): Promise<{ user_id: string; tenant_id: string } | undefined> {
    const rows = (await this.trust.asNobody((m) =>
      m.query(`SELECT user_id, tenant_id FROM cairn_auth_refresh_token_owner($1)`, [hash]),
    )) as Array<{
      user_id: string;
      tenant_id: string;
    }>;
    return rows[0];
  }

  /** Consumes `token` and issues its successor, atomically: of two concurrent uses only one wins. */
  async rotate(token: string): Promise<RotationResult> {
    if (!TOKEN_RE.test(token)) return { outcome: 'invalid' };
    const hash = hashToken(token);
    const owner = await this.owner(hash);
    if (!owner) return { outcome: 'invalid' };
    return this.trust.asTenant(owner.tenant_id, async (m) => {
      // refresh_token_token_hash_key (unique); the sign-in's start: refresh_token_family
      const consumed = (await m.query(
        `UPDATE refresh_token SET consumed_at = now()
          WHERE token_hash = $1 AND consumed_at IS NULL AND revoked_at IS NULL AND expires_at > now()
            AND (SELECT min(f.created_at) FROM refresh_token f WHERE f.family_id = refresh_token.family_id)
                > now() - make_interval(secs => $2)
          RETURNING user_id, family_id`,
        [hash, this.config.sessionMaxSeconds],
      )) as [Array<{ user_id: string; family_id: string }>, number];
      const row = consumed[0][0];
      if (row) return { outcome: 'rotated', userId: row.user_id, next: await this.issue(row.user_id, owner.tenant_id, row.family_id, m) };

      const known = (await m.query(`SELECT user_id, family_id, consumed_at, revoked_at FROM refresh_token WHERE token_hash = $1`, [
        hash,
      ])) as Array<{
        user_id: string;
        family_id: string;
        consumed_at: Date | null;
        revoked_at: Date | null;
      }>;
      const old = known[0];
      if (old && old.consumed_at && !old.revoked_at) {
        await this.revokeFamily(old.family_id, m);
        return { outcome: 'reused', userId: old.user_id, familyId: old.family_id };
      }
      return { outcome: 'invalid' };
    });
  }

  /** Ends the sign-in `token` belongs to (whether or not it was already rotated). Returns its user, or null for an unknown token. */
  async revokeFamilyOf(token: string): Promise<{ userId: string } | null> {
    if (!TOKEN_RE.test(token)) return null;
    const hash = hashToken(token);
    const owner = await this.owner(hash);
    if (!owner) return null;
    return this.trust.asTenant(owner.tenant_id, async (m) => {
      const rows = (await m.query(`SELECT user_id, family_id FROM refresh_token WHERE token_hash = $1`, [hash])) as Array<{
        user_id: string;
        family_id: string;
      }>;
      if (!rows[0]) return null;
      await this.revokeFamily(rows[0].family_id, m);
      return { userId: rows[0].user_id };
    });
  }

  /** Inside the caller's transaction, whose viewer is the user's tenant. */
  async revokeAllForUser(userId: string, manager: EntityManager): Promise<void> {
    // refresh_token_user_live (partial: only live rows)
    await manager.query(`UPDATE refresh_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }

  private async revokeFamily(familyId: string, manager: EntityManager): Promise<void> {
    // refresh_token_family
    await manager.query(`UPDATE refresh_token SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
  }
}
