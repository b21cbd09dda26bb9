import { SECTORS, SharingGroupsService, TenancyService, parentSector, type TenantStatus } from '@cairn/tenancy';
import { CliCommand, CliUsageError } from '../cli-command';
import { withCliContext } from '../cli-context';
import { listFlag, requireFlag } from '../cli-runner';

export const tenancyCommands: CliCommand[] = [
  {
    path: ['tenant', 'create'],
    usage: '<slug> --name <name> --country <CC> --sectors <a,b> [--domains <d1,d2>] [--exchange]',
    description: 'Onboard a member tenant (or, with --exchange, the operator tenant)',
    flags: {
      name: { description: 'display name' },
      country: { description: 'ISO 3166-1 alpha-2 code, e.g. DE' },
      sectors: { description: "comma-separated sectors, e.g. financial-services,insurance (the list: 'sectors')" },
      domains: { description: 'comma-separated e-mail/web domains (redacted from what it publishes)' },
      exchange: { description: 'create the exchange operator tenant', boolean: true },
    },
    async run(args, io) {
      const slug = args.positional[0];
      if (!slug || args.positional.length > 1) throw new CliUsageError('Give exactly one tenant slug');
      const input = {
        slug,
        name: requireFlag(args, 'name'),
        country: requireFlag(args, 'country').toUpperCase(),
        sectors: listFlag(args, 'sectors'),
        domains: listFlag(args, 'domains'),
        kind: args.flags.exchange ? ('exchange' as const) : ('member' as const),
      };
      const tenant = await withCliContext((ctx) => ctx.app.get(TenancyService).createTenant(input), io.err);
      io.out(`Created tenant ${tenant.slug} (${tenant.id})`);
      return 0;
    },
  },
  {
    path: ['tenant', 'list'],
    usage: '',
    description: 'List tenants with country, sectors and status',
    async run(_args, io) {
      const tenants = await withCliContext((ctx) => ctx.app.get(TenancyService).listTenants(), io.err);
      for (const t of tenants) io.out(`${t.slug}\t${t.id}\t${t.kind}\t${t.status}\t${t.country}\t${t.sectors.join(',')}`);
      return 0;
    },
  },
  statusCommand(
    'suspend',
    'suspended',
    'Suspend a tenant: its users cannot sign in, its API keys and sessions stop working at once; its data stays',
  ),
  statusCommand('resume', 'active', 'Reactivate a suspended tenant'),
  {
    path: ['sectors'],
    usage: '',
    description: 'List the sector vocabulary (tenants, SECTOR distribution, sectorStats), with the parent a small sector is reported as',
    async run(args, io) {
      if (args.positional.length) throw new CliUsageError(`Unexpected argument: ${args.positional[0]}`);
      for (const s of SECTORS) io.out(parentSector(s) === s ? s : `${s}\t(reported as ${parentSector(s)} where too few members share it)`);
      return 0;
    },
  },
  {
    path: ['group', 'create'],
    usage: '<slug> --name <name> --owner <tenant-slug> [--members <slug,slug>]',
    description: 'Create a sharing group owned by a tenant',
    flags: {
      name: { description: 'display name' },
      owner: { description: 'slug of the owning tenant' },
      members: { description: 'comma-separated slugs of the other member tenants' },
    },
    async run(args, io) {
      const slug = args.positional[0];
      if (!slug || args.positional.length > 1) throw new CliUsageError('Give exactly one group slug');
      const name = requireFlag(args, 'name');
      const owner = requireFlag(args, 'owner');
      const view = await withCliContext(async (ctx) => {
        const tenancy = ctx.app.get(TenancyService);
        const ownerTenant = await tenancy.getTenantBySlug(owner);
        const members = await Promise.all(listFlag(args, 'members').map((s) => tenancy.getTenantBySlug(s)));
        // The operator on the server is trusted: the members it names join without an invitation.
        return ctx.app
          .get(SharingGroupsService)
          .createGroupWithMembers({ slug, name, ownerTenantId: ownerTenant.id, memberTenantIds: members.map((m) => m.id) });
      }, io.err);
      io.out(`Created sharing group ${view.group.slug} (${view.group.id}) with ${view.memberTenantIds.length} members`);
      return 0;
    },
  },
];

function statusCommand(word: 'suspend' | 'resume', status: TenantStatus, description: string): CliCommand {
  return {
    path: ['tenant', word],
    usage: '<slug>',
    description,
    async run(args, io) {
      const slug = args.positional[0];
      if (!slug || args.positional.length > 1) throw new CliUsageError('Give exactly one tenant slug');
      const tenant = await withCliContext(async (ctx) => {
        const tenancy = ctx.app.get(TenancyService);
        const found = await tenancy.getTenantBySlug(slug);
        if (found.kind === 'exchange' && status === 'suspended') throw new CliUsageError('The exchange tenant cannot be suspended');
        return found.status === status ? found : tenancy.setStatus(found.id, status);
      }, io.err);
      io.out(`Tenant ${tenant.slug} (${tenant.id}) is ${tenant.status}`);
      return 0;
    },
  };
}
