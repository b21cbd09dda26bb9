import { ApiKeyService, PasswordService, UsersService } from '@cairn/auth';
import { ROLES, type Role } from '@cairn/common';
import { CliCommand, CliUsageError } from '../cli-command';
import { withCliContext } from '../cli-context';
import { noPositional, optionalFlag, requireFlag } from '../cli-runner';

/** Parses YYYY-MM-DD (midnight UTC) or a full ISO 8601 timestamp. */
export function parseExpiry(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(NaN);
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
        return users.create({ tenantId: tenant.id, email, name: optionalFlag(args, 'name'), role, password, operator: args.flags.operator === true });
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
      scopes: { description: 'comma-separated: intel:read, intel:write, sightings:write, taxii:read, taxii:write' },
      name: { description: 'what the key is for (default: "cli")' },
      expires: { description: 'expiry date, e.g. 2027-01-01 (default: never)' },
    },
    async run(args, io) {
      noPositional(args);
      const slug = requireFlag(args, 'tenant');
      const scopes = requireFlag(args, 'scopes').split(',').map((s) => s.trim()).filter(Boolean);
      if (scopes.length === 0) throw new CliUsageError('--scopes needs at least one scope');
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
