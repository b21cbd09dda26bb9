import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { EntityManager, QueryFailedError } from 'typeorm';
import { DbTrust } from '@cairn/access';
import { isUuid, SCOPES, type CredentialFailure, type Scope, type Viewer } from '@cairn/common';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AuditService } from '@cairn/audit';
import { ApiKeyEntity } from './entities/api-key.entity';
import { API_KEY_PREFIX_RE, generateApiKey, type Credential } from './credentials';
import { TenantDirectory } from './tenant-directory';
import { canonicalScopes } from './scopes';

/** Every scope except tenant:admin: managing people and keys is left to people, so a leaked key cannot mint more keys. */
export const GRANTABLE_KEY_SCOPES: readonly Scope[] = SCOPES.filter((s) => s !== 'tenant:admin');

export interface NewApiKey {
  tenantId: string;
  name: string;
  scopes: string[];
  expiresAt?: Date | null;
}

// last_used_at is written at most once a minute per key, and apikey.used audited at most once an hour.
const TOUCH_INTERVAL_MS = 60_000;
// Compared against when the prefix is unknown, so unknown and known keys cost the same.
const DUMMY_HASH = Buffer.alloc(32);

function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

interface KeyRow {
  id: string;
  tenant_id: string;
  scopes: Scope[];
  secret_hash: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  tenant_status: string;
}

/** API keys: creation (full key shown once), listing, revocation, and verification of presented keys. */
@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger('ApiKeys');
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly trust: DbTrust,
    private readonly tenants: TenantDirectory,
    private readonly audit: AuditService,
  ) {}

  /** `actor` is the tenant admin, or undefined for the operator CLI. Returns the key and its full secret string, which is never shown again. */
  async create(input: NewApiKey, actor?: Viewer): Promise<{ apiKey: ApiKeyEntity; secret: string }> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) throw new AuthError(AuthErrorCode.INVALID_NAME, 'Name must be 1 to 200 characters', 'name');
    // 'taxii:read' and the GraphQL spelling TAXII_READ are one scope; what is stored is the former.
    const { scopes, unknown } = canonicalScopes(input.scopes);
    if (unknown.length)
      throw new AuthError(
        AuthErrorCode.INVALID_SCOPES,
        `Unknown scopes: ${unknown.join(', ')} (allowed: ${GRANTABLE_KEY_SCOPES.join(', ')})`,
        'scopes',
      );
    if (scopes.length === 0) throw new AuthError(AuthErrorCode.INVALID_SCOPES, 'Give the key at least one scope', 'scopes');
    const refused = scopes.filter((s) => !(GRANTABLE_KEY_SCOPES as readonly string[]).includes(s));
    if (refused.length)
      throw new AuthError(
        AuthErrorCode.INVALID_SCOPES,
        `Scopes not grantable to an API key: ${refused.join(', ')} (allowed: ${GRANTABLE_KEY_SCOPES.join(', ')})`,
        'scopes',
      );
    if (input.expiresAt && (Number.isNaN(input.expiresAt.getTime()) || input.expiresAt.getTime() <= Date.now())) {
      throw new AuthError(AuthErrorCode.INVALID_EXPIRY, 'expiresAt must be in the future', 'expiresAt');
    }
    const tenant = await this.tenants.findById(input.tenantId);
    if (!tenant) throw new AuthError(AuthErrorCode.TENANT_NOT_FOUND, 'No such tenant');

    for (let attempt = 0; ; attempt++) {
      const generated = generateApiKey();
      try {
        // As the admin's tenant, so row-level security refuses a key for another tenant; the CLI as the operator.
        return await this.trust.asActor(actor, async (m) => {
          const repo = m.getRepository(ApiKeyEntity);
          const saved = await repo.save(
            repo.create({
              tenantId: tenant.id,
              name,
              prefix: generated.prefix,
              secretHash: sha256(generated.secret).toString('hex'),
              scopes: scopes as Scope[],
              expiresAt: input.expiresAt ?? null,
              createdByUserId: actor?.userId ?? null,
            }),
          );
          await this.audit.record(
            {
              action: 'apikey.created',
              tenantId: tenant.id,
              viewer: actor,
              targetType: 'api_key',
              targetId: saved.id,
              details: { prefix: saved.prefix, scopes },
            },
            m,
          );
          return { apiKey: saved, secret: generated.full };
        });
      } catch (err) {
        // 62^8 prefixes make a collision rare; retry with a new one rather than fail.
        const duplicate = err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505';
        if (!duplicate || attempt >= 3) throw err;
      }
    }
  }

  listForTenant(tenantId: string): Promise<ApiKeyEntity[]> {
    return this.trust.asTenant(tenantId, (m) =>
      m.getRepository(ApiKeyEntity).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
  }

  findInTenant(tenantId: string, id: string): Promise<ApiKeyEntity | null> {
    return isUuid(id)
      ? this.trust.asTenant(tenantId, (m) => m.getRepository(ApiKeyEntity).findOne({ where: { id, tenantId } }))
      : Promise.resolve(null);
  }

  /** Revokes a key of the admin's own tenant; another tenant's key is NOT_FOUND. Takes effect on the next request, on either door. */
  async revoke(admin: Viewer, id: string): Promise<ApiKeyEntity> {
    if (!isUuid(id)) throw new AuthError(AuthErrorCode.API_KEY_NOT_FOUND, 'No such API key', 'id');
    return this.trust.asTenant(admin.tenantId, async (m) => {
      const key = await m.getRepository(ApiKeyEntity).findOne({ where: { id, tenantId: admin.tenantId } });
      if (!key) throw new AuthError(AuthErrorCode.API_KEY_NOT_FOUND, 'No such API key', 'id');
      return this.revokeKey(m, key, admin);
    });
  }

  /** Operator CLI: any tenant's key, by id or prefix. */
  async revokeByIdOrPrefix(idOrPrefix: string): Promise<ApiKeyEntity> {
    const where = isUuid(idOrPrefix) ? { id: idOrPrefix } : API_KEY_PREFIX_RE.test(idOrPrefix) ? { prefix: idOrPrefix } : null;
    return this.trust.asOperator(async (m) => {
      const key = where ? await m.getRepository(ApiKeyEntity).findOne({ where }) : null;
      if (!key) throw new AuthError(AuthErrorCode.API_KEY_NOT_FOUND, `No API key with id or prefix "${idOrPrefix}"`);
      return this.revokeKey(m, key);
    });
  }

  private async revokeKey(m: EntityManager, key: ApiKeyEntity, actor?: Viewer): Promise<ApiKeyEntity> {
    if (key.revokedAt) return key;
    await m.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [key.id]);
    await this.audit.record(
      {
        action: 'apikey.revoked',
        tenantId: key.tenantId,
        viewer: actor,
        targetType: 'api_key',
        targetId: key.id,
        details: { prefix: key.prefix },
      },
      m,
    );
    return m.getRepository(ApiKeyEntity).findOneByOrFail({ id: key.id });
  }

  /**
   * The viewer a presented key acts as, or why not: `invalid` (unknown, wrong secret), and only for
   * the right secret `expired` or `revoked` (key revoked, tenant suspended).
   */
  async verify(credential: Exclude<Credential, { kind: 'jwt' }>): Promise<Viewer | CredentialFailure> {
    // Before the tenant is known: the SECURITY DEFINER lookup (api_key_prefix_key or api_key_pkey, + tenant_pkey).
    const [prefix, id] = credential.kind === 'apikey' ? [credential.prefix, null] : [null, credential.id];
    const rows = (await this.trust.asNobody((m) => m.query(`SELECT * FROM cairn_auth_api_key($1, $2::uuid)`, [prefix, id]))) as KeyRow[];
    const row = rows[0];
    const matches = timingSafeEqual(sha256(credential.secret), row ? Buffer.from(row.secret_hash, 'hex') : DUMMY_HASH);
    if (!row || !matches) return 'invalid';
    if (row.revoked_at || row.tenant_status !== 'active') return 'revoked';
    if (row.expires_at && row.expires_at.getTime() <= Date.now()) return 'expired';
    const viewer: Viewer = {
      kind: 'apikey',
      tenantId: row.tenant_id,
      apiKeyId: row.id,
      operator: false,
      scopes: new Set(row.scopes),
      expiresAt: row.expires_at?.getTime(),
    };
    this.touch(viewer);
    return viewer;
  }

  /** Records use without a write per request; never delays or fails the request it belongs to. */
  private touch(viewer: Viewer): void {
    const keyId = viewer.apiKeyId as string;
    const now = Date.now();
    if (now - (this.lastTouched.get(keyId) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.lastTouched.set(keyId, now);
    if (this.lastTouched.size > 10_000) this.lastTouched.delete(this.lastTouched.keys().next().value as string);
    // The WHERE keeps several API instances to one write a minute between them, too.
    void this.trust
      .asTenant(viewer.tenantId, (m) =>
        m.query(
          `UPDATE api_key SET last_used_at = now(),
                used_audited_at = CASE WHEN used_audited_at IS NULL OR used_audited_at < now() - interval '1 hour' THEN now() ELSE used_audited_at END
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
          RETURNING used_audited_at = now() AS audit`,
          [keyId],
        ),
      )
      .then(async ([rows]: [Array<{ audit: boolean }>, number]) => {
        if (rows[0]?.audit) {
          await this.audit.record({ action: 'apikey.used', viewer, targetType: 'api_key', targetId: keyId }).catch(() => undefined);
        }
      })
      .catch((err: unknown) => this.logger.warn(`could not record use of API key ${keyId}: ${(err as Error).message}`));
  }
}
