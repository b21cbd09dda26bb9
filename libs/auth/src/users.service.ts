import { Injectable } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { DbTrust } from '@cairn/access';
import { ROLES, type Role, type Viewer } from '@cairn/common';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AuditService } from '@cairn/audit';
import { UserEntity } from './entities/user.entity';
import { PasswordService } from './password.service';
import { RefreshTokenService } from './refresh-token.service';
import { TenantDirectory } from './tenant-directory';
import { principalFromRow, type Principal, type PrincipalRow } from './principal';
import { ACCOUNT_WINDOW_MS, LOGIN_FAILURES_PER_ACCOUNT } from './auth-throttle.service';

export interface NewUser {
  tenantId: string;
  email: string;
  name?: string;
  role: Role;
  password: string;
  operator?: boolean;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  disabled?: boolean;
}

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/** E-mails are compared and stored lower-case (app_user_email is a plain unique index). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** People of a tenant: creation, administration, and the lookups that sign-in needs. */
@Injectable()
export class UsersService {
  constructor(
    private readonly trust: DbTrust,
    private readonly passwords: PasswordService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly tenants: TenantDirectory,
    private readonly audit: AuditService,
  ) {}

  /** `actor` is the tenant admin doing it, or undefined for the operator CLI. */
  async create(input: NewUser, actor?: Viewer): Promise<UserEntity> {
    return (await this.createMany([input], actor))[0];
  }

  /**
   * Creates users in one transaction, all or none. Each distinct password is hashed once, so
   * seeding many users that share a demo password does not cost one slow hash each.
   */
  async createMany(inputs: NewUser[], actor?: Viewer): Promise<UserEntity[]> {
    if (inputs.length === 0) return [];
    const rows: Array<Pick<UserEntity, 'tenantId' | 'email' | 'name' | 'role' | 'operator' | 'passwordHash'> & { password: string }> = [];
    for (const input of inputs) {
      const email = normaliseEmail(input.email);
      if (!EMAIL_RE.test(email) || email.length > 254)
        throw new AuthError(AuthErrorCode.INVALID_EMAIL, 'Not a valid e-mail address', 'email');
      if (!ROLES.includes(input.role)) throw new AuthError(AuthErrorCode.INVALID_ROLE, `Role must be one of ${ROLES.join(', ')}`, 'role');
      const name = (input.name ?? '').trim();
      if (name.length > 200) throw new AuthError(AuthErrorCode.INVALID_NAME, 'Name must be at most 200 characters', 'name');
      const tenant = await this.tenants.findById(input.tenantId);
      if (!tenant) throw new AuthError(AuthErrorCode.TENANT_NOT_FOUND, 'No such tenant');
      if (input.operator && tenant.kind !== 'exchange')
        throw new AuthError(AuthErrorCode.OPERATOR_OUTSIDE_EXCHANGE, 'Only users of the exchange tenant can be operators', 'operator');
      rows.push({
        tenantId: tenant.id,
        email,
        name,
        role: input.role,
        operator: input.operator ?? false,
        passwordHash: '',
        password: input.password,
      });
    }
    const hashes = new Map<string, string>();
    for (const password of new Set(rows.map((r) => r.password))) hashes.set(password, await this.passwords.hash(password));
    // As the actor's tenant, so row-level security refuses a user for another tenant; the CLI and the operator as the operator.
    return this.trust.asActor(actor, async (m) => {
      const repo = m.getRepository(UserEntity);
      let users: UserEntity[];
      try {
        users = await repo.save(
          rows.map(({ password, ...r }) => repo.create({ ...r, passwordHash: hashes.get(password)! })),
          { chunk: 500 },
        );
      } catch (err) {
        // Uniqueness is exchange-wide because people sign in by e-mail alone.
        if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
          throw new AuthError(AuthErrorCode.EMAIL_TAKEN, 'A user with this e-mail address already exists');
        }
        throw err;
      }
      await this.audit.record(
        users.map((user) => ({
          action: 'user.created' as const,
          tenantId: user.tenantId,
          viewer: actor,
          targetType: 'user',
          targetId: user.id,
          details: { role: user.role, operator: user.operator },
        })),
        m,
      );
      return users;
    });
  }

  /** Which of these e-mail addresses have an account already, in one query (app_user_email): an operator's bulk load checks before it writes. */
  async existingEmails(emails: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(emails.map(normaliseEmail))];
    if (wanted.length === 0) return [];
    const rows: Array<{ email: string }> = await this.trust.asOperator((m) =>
      m.query(`SELECT email FROM app_user WHERE email = ANY ($1::text[]) ORDER BY email`, [wanted]),
    );
    return rows.map((r) => r.email);
  }

  listForTenant(tenantId: string): Promise<UserEntity[]> {
    return this.trust.asTenant(tenantId, (m) =>
      m.getRepository(UserEntity).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
  }

  /** Only within the admin's own tenant; another tenant's user is NOT_FOUND, not FORBIDDEN, so ids leak nothing. */
  async update(admin: Viewer, userId: string, patch: UserPatch): Promise<UserEntity> {
    return this.trust.asTenant(admin.tenantId, (m) => this.updateIn(m, admin, userId, patch));
  }

  private async updateIn(m: EntityManager, admin: Viewer, userId: string, patch: UserPatch): Promise<UserEntity> {
    const user = await m.getRepository(UserEntity).findOne({ where: { id: userId, tenantId: admin.tenantId } });
    if (!user) throw new AuthError(AuthErrorCode.USER_NOT_FOUND, 'No such user');
    const changes: Record<string, unknown> = {};
    if (patch.role !== undefined && patch.role !== user.role) {
      if (!ROLES.includes(patch.role)) throw new AuthError(AuthErrorCode.INVALID_ROLE, `Role must be one of ${ROLES.join(', ')}`, 'role');
      changes.role = patch.role;
    }
    if (patch.disabled !== undefined && patch.disabled !== user.disabled) changes.disabled = patch.disabled;
    if (patch.name !== undefined && patch.name.trim() !== user.name) {
      if (patch.name.trim().length > 200) throw new AuthError(AuthErrorCode.INVALID_NAME, 'Name must be at most 200 characters', 'name');
      changes.name = patch.name.trim();
    }
    // A tenant must not lose its last way in by its admin's own slip.
    if (user.id === admin.userId && (changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin'))) {
      throw new AuthError(AuthErrorCode.CANNOT_LOCK_OUT_SELF, 'You cannot disable yourself or give up your own admin role');
    }
    if (Object.keys(changes).length === 0) return user;
    await m.getRepository(UserEntity).update({ id: user.id }, changes);
    // Disabling ends every session at once: access tokens fail on the next request, refresh tokens here.
    if (changes.disabled === true) await this.refreshTokens.revokeAllForUser(user.id, m);
    await this.audit.record({ action: 'user.updated', viewer: admin, targetType: 'user', targetId: user.id, details: { changes } }, m);
    return (await m.getRepository(UserEntity).findOneByOrFail({ id: user.id })) as UserEntity;
  }

  /**
   * The user a valid access token (or refresh token) names, with their tenant: app_user_pkey +
   * tenant_pkey, through the SECURITY DEFINER lookup, since the tenant is not known yet.
   */
  async loadPrincipal(userId: string): Promise<Principal | null> {
    const rows = (await this.trust.asNobody((m) => m.query(`SELECT * FROM cairn_auth_principal($1)`, [userId]))) as PrincipalRow[];
    return rows[0] ? principalFromRow(rows[0]) : null;
  }

  /**
   * The user an access token names, if its sign-in `sessionId` (refresh-token family) is still live:
   * one SECURITY DEFINER lookup (app_user_pkey + tenant_pkey + refresh_token_family_live) on every
   * request, since the tenant is not known yet; so a logout or a revoked family is seen by every
   * API instance at once.
   */
  async loadSessionPrincipal(userId: string, sessionId: string): Promise<Principal | null> {
    const rows = (await this.trust.asNobody((m) =>
      m.query(`SELECT * FROM cairn_auth_session_principal($1, $2)`, [userId, sessionId]),
    )) as PrincipalRow[];
    return rows[0] ? principalFromRow(rows[0]) : null;
  }

  /** For sign-in and for external-IdP tokens (whose `email` claim names the user): app_user_email + tenant_pkey. */
  async loadPrincipalByEmail(email: string): Promise<(Principal & { passwordHash: string }) | null> {
    const rows = (await this.trust.asNobody((m) =>
      m.query(`SELECT * FROM cairn_auth_principal_by_email($1)`, [normaliseEmail(email)]),
    )) as Array<PrincipalRow & { password_hash: string }>;
    return rows[0] ? { ...principalFromRow(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  /** Counts a failed password; the Nth consecutive one locks the account for the window (shared by all API instances). */
  async recordFailedLogin(p: Pick<Principal, 'userId' | 'tenant'>): Promise<void> {
    await this.trust.asTenant(p.tenant.id, (m) =>
      m.query(
        `UPDATE app_user SET
         locked_until  = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END,
         failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
       WHERE id = $1`,
        [p.userId, LOGIN_FAILURES_PER_ACCOUNT, ACCOUNT_WINDOW_MS / 1000],
      ),
    );
  }

  async recordSuccessfulLogin(p: Pick<Principal, 'userId' | 'tenant'>): Promise<void> {
    await this.trust.asTenant(p.tenant.id, (m) =>
      m.query(`UPDATE app_user SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1`, [p.userId]),
    );
  }

  /** For the CLI: a tenant by slug, or a clear NOT_FOUND. */
  async tenantBySlug(slug: string) {
    const tenant = await this.tenants.findBySlug(slug);
    if (!tenant) throw new AuthError(AuthErrorCode.TENANT_NOT_FOUND, `No tenant with slug "${slug}"`, 'slug');
    return tenant;
  }
}
