import { ApiKeyService, PasswordService, UsersService, canonicalScopes } from '@cairn/auth';
import { ROLES, type Role } from '@cairn/common';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { CliCommand, CliUsageError } from '../cli-command';
import { withCliContext } from '../cli-context';
import { noPositional, optionalFlag, requireFlag } from '../cli-runner';

/** Parses YYYY-MM-DD (midnight UTC) or a full ISO 8601 timestamp. */
export function parseExpiry(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T/.test(value)
      ? new Date(value)
      : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new CliUsageError(`--expires must be a date like 2027-01-01 (got "${value}")`);
  return date;
}

export const authCommands: CliCommand[] = [
  {
    path: ['user', 'create'],
    usage: '--tenant <slug> --email <e-mail> --role <admin|analyst|reader> [--name <name>] [--password <pw>] [--operator]',
    description: 'Create a user; without --password a random one is generated and printed once',
    flags: {
      tenant: { description: 'slug of the tenant the user belongs to' },
      email: { description: 'e-mail address (sign-in name, unique across the exchange)' },
      role: { description: `one of ${ROLES.join(', ')}` },
      name: { description: 'display name' },
      password: { description: 'at least 12 characters (visible in the process list: prefer the generated one)' },
      operator: { description: 'exchange staff (only on the exchange tenant)', boolean: true },
    },
    async run(args, io) {
      noPositional(args);
      const slug = requireFlag(args, 'tenant');
      const email = requireFlag(args, 'email');
      const role = requireFlag(args, 'role') as Role;
      if (!ROLES.includes(role)) throw new CliUsageError(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
      const given = optionalFlag(args, 'password');
      const password = given ?? PasswordService.generate();
      const user = await withCliContext(async (ctx) => {
        const users = ctx.app.get(UsersService);
        const tenant = await users.tenantBySlug(slug);
        return users.create({
          tenantId: tenant.id,
          email,
          name: optionalFlag(args, 'name'),
          role,
          password,
          operator: args.flags.operator === true,
        });
      }, io.err);
      io.out(`Created user ${user.email} (${user.id}), role ${user.role}${user.operator ? ', operator' : ''}`);
      if (!given) io.out(`Password (shown once): ${password}`);
      return 0;
    },
  },
  {
    path: ['apikey', 'create'],
    usage: '--tenant <slug> --scopes <a,b> [--name <name>] [--expires <YYYY-MM-DD>]',
    description: 'Create an API key for a tenant and print it once',
    flags: {
      tenant: { description: 'slug of the tenant the key acts for' },
      scopes: {
        description:
          'comma-separated: intel:read, intel:write, sightings:write, taxii:read, taxii:write (the GraphQL spelling TAXII_READ is accepted too)',
      },
      name: { description: 'what the key is for (default: "cli")' },
      expires: { description: 'expiry date, e.g. 2027-01-01 (default: never)' },
    },
    async run(args, io) {
      noPositional(args);
      const slug = requireFlag(args, 'tenant');
      const given = requireFlag(args, 'scopes')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (given.length === 0) throw new CliUsageError('--scopes needs at least one scope');
      // Unknown words are left to the service, which names them with the grantable scopes.
      const { scopes: canonical, unknown } = canonicalScopes(given);
      const scopes = [...canonical, ...unknown];
      const expires = optionalFlag(args, 'expires');
      const expiresAt = expires ? parseExpiry(expires) : null;
      const created = await withCliContext(async (ctx) => {
        const tenant = await ctx.app.get(UsersService).tenantBySlug(slug);
        return ctx.app.get(ApiKeyService).create({ tenantId: tenant.id, name: optionalFlag(args, 'name') ?? 'cli', scopes, expiresAt });
      }, io.err);
      io.out(`Created API key ${created.apiKey.prefix} (${created.apiKey.id}) with scopes ${created.apiKey.scopes.join(',')}`);
      io.out(`Key (shown once): ${created.secret}`);
      return 0;
    },
  },
  {
    path: ['user', 'list'],
    usage: '[--tenant <slug>]',
    description: 'List users (all tenants, or one): e-mail, role, operator, disabled, last sign-in; never a password hash',
    flags: { tenant: { description: 'only this tenant' } },
    async run(args, io) {
      noPositional(args);
      const rows = await withCliContext(async (ctx) => {
        const users = ctx.app.get(UsersService);
        const out: string[] = [];
        for (const t of await tenantsOf(ctx.app.get(TenancyService), optionalFlag(args, 'tenant'))) {
          for (const u of await users.listForTenant(t.id)) {
            out.push(
              [
                t.slug,
                u.email,
                u.id,
                u.role,
                u.operator ? 'operator' : '-',
                u.disabled ? 'disabled' : 'enabled',
                u.lastLoginAt?.toISOString() ?? 'never',
              ].join('\t'),
            );
          }
        }
        return out;
      }, io.err);
      io.out(['tenant', 'email', 'id', 'role', 'operator', 'status', 'last_login'].join('\t'));
      rows.forEach((r) => io.out(r));
      return 0;
    },
  },
  {
    path: ['apikey', 'list'],
    usage: '[--tenant <slug>]',
    description: 'List API keys (all tenants, or one): prefix, name, scopes, expiry, last use, revocation; never a secret or its hash',
    flags: { tenant: { description: 'only this tenant' } },
    async run(args, io) {
      noPositional(args);
      const rows = await withCliContext(async (ctx) => {
        const keys = ctx.app.get(ApiKeyService);
        const out: string[] = [];
        for (const t of await tenantsOf(ctx.app.get(TenancyService), optionalFlag(args, 'tenant'))) {
          for (const k of await keys.listForTenant(t.id)) {
            const state = k.revokedAt
              ? `revoked ${k.revokedAt.toISOString()}`
              : k.expiresAt && k.expiresAt.getTime() <= Date.now()
                ? 'expired'
                : 'active';
            out.push(
              [
                t.slug,
                k.prefix,
                k.id,
                k.name,
                k.scopes.join(','),
                k.expiresAt?.toISOString() ?? 'never',
                k.lastUsedAt?.toISOString() ?? 'never',
                state,
              ].join('\t'),
            );
          }
        }
        return out;
      }, io.err);
      io.out(['tenant', 'prefix', 'id', 'name', 'scopes', 'expires', 'last_used', 'status'].join('\t'));
      rows.forEach((r) => io.out(r));
      return 0;
    },
  },
  {
    path: ['apikey', 'revoke'],
    usage: '<id-or-prefix>',
    description: 'Revoke an API key at once, by its id or its prefix (cairn_XXXXXXXX)',
    async run(args, io) {
      if (args.positional.length !== 1) throw new CliUsageError('Give exactly one key id or prefix');
      const ref = args.positional[0];
      const key = await withCliContext((ctx) => ctx.app.get(ApiKeyService).revokeByIdOrPrefix(ref), io.err);
      io.out(`Revoked API key ${key.prefix} (${key.id})`);
      return 0;
    },
  },
];

/** One tenant by slug, or every tenant in slug order. */
async function tenantsOf(tenancy: TenancyService, slug: string | undefined): Promise<TenantEntity[]> {
  return slug ? [await tenancy.getTenantBySlug(slug)] : tenancy.listTenants();
}
