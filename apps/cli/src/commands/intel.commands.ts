import { createWriteStream } from 'node:fs';
import { DISTRIBUTIONS, type Distribution } from '@cairn/access';
import { TLP_LEVELS, newStixId, type Tlp } from '@cairn/stix';
import type { Viewer } from '@cairn/common';
import { IntelService, type SharingRequest } from '@cairn/intel';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { CliCommand, CliUsageError, type CliArgs } from '../cli-command';
import { withCliContext } from '../cli-context';
import { listFlag, optionalFlag, requireFlag } from '../cli-runner';
import { importCommand, taxiiRepairCommand } from './import.command';

/** The CLI acts as the tenant, as one of its API keys would (and is audited as such). */
function tenantViewer(t: TenantEntity): Viewer {
  return { kind: 'apikey', tenantId: t.id, operator: false, scopes: new Set(['intel:read', 'intel:write']) };
}

function sharingFlags(args: CliArgs): SharingRequest {
  const distribution = optionalFlag(args, 'distribution')?.toUpperCase();
  if (distribution !== undefined && !(DISTRIBUTIONS as readonly string[]).includes(distribution))
    throw new CliUsageError(`--distribution must be one of ${DISTRIBUTIONS.join(', ')}`);
  const tlp = optionalFlag(args, 'tlp')?.toUpperCase().replace(/^TLP:/, '');
  if (tlp !== undefined && !(TLP_LEVELS as readonly string[]).includes(tlp))
    throw new CliUsageError(`--tlp must be one of ${TLP_LEVELS.join(', ')}`);
  const sharing: SharingRequest = {
    distribution: distribution as Distribution | undefined,
    tlp: tlp as Tlp | undefined,
    shareProtectedRaw: args.flags['share-protected-raw'] === true ? true : undefined,
  };
  const sectors = listFlag(args, 'sectors');
  const countries = listFlag(args, 'countries').map((c) => c.toUpperCase());
  const recipients = listFlag(args, 'recipients');
  if (sectors.length) sharing.sectors = sectors;
  if (countries.length) sharing.countries = countries;
  if (recipients.length) sharing.recipientTenantIds = recipients;
  const group = optionalFlag(args, 'group');
  if (group) sharing.groupId = group;
  return sharing;
}

const SHARING_FLAGS: NonNullable<CliCommand['flags']> = {
  distribution: { description: 'ORGANISATION, RECIPIENTS, SHARING_GROUP, SECTOR or COMMUNITY (default: the tenant’s)' },
  tlp: { description: 'CLEAR, GREEN, AMBER, AMBER+STRICT or RED (default: the tenant’s)' },
  sectors: { description: 'distribution SECTOR: comma-separated sectors' },
  countries: { description: 'only members in these countries' },
  group: { description: 'distribution SHARING_GROUP: the group id' },
  recipients: { description: 'distribution RECIPIENTS: comma-separated tenant ids' },
  'share-protected-raw': { description: 'keep personal data raw (AMBER or stricter, SHARING_GROUP or RECIPIENTS only)', boolean: true },
};

export const intelCommands: CliCommand[] = [
  importCommand(tenantViewer, sharingFlags, SHARING_FLAGS),
  taxiiRepairCommand(tenantViewer),
  {
    path: ['export'],
    usage: '--tenant <slug> [--types a,b] [--out <file>]',
    description: 'Write a STIX 2.1 bundle of what the tenant may see (newest versions) to --out, or to stdout',
    flags: {
      tenant: { description: 'slug of the tenant whose view is exported' },
      types: { description: 'comma-separated STIX types, e.g. indicator,email-addr' },
      out: { description: "file to write (stdout: use 'npm run --silent cli', or npm's banner lands in a redirected file)" },
    },
    async run(args, io) {
      if (args.positional.length) throw new CliUsageError(`Unexpected argument: ${args.positional[0]}`);
      const slug = requireFlag(args, 'tenant');
      const types = listFlag(args, 'types');
      const out = optionalFlag(args, 'out');
      // Page by page (nextCursor) into one bundle, written as it comes: an export of any size
      // neither stops at MAX_BUNDLE_OBJECTS nor has to fit in memory.
      const file = out ? createWriteStream(out) : undefined;
      const write = (text: string) => (file ? file.write(text) : io.out(text));
      let count = 0;
      await withCliContext(async (ctx) => {
        const tenant = await ctx.app.get(TenancyService).getTenantBySlug(slug);
        const intel = ctx.app.get(IntelService);
        const viewer = tenantViewer(tenant);
        const written = new Set<string>();
        let after: string | undefined;
        let first = true;
        write(`{"type":"bundle","id":"${newStixId('bundle')}","objects":[`);
        do {
          const page = await intel.exportBundle(viewer, types.length ? { types } : {}, { after });
          // Each page repeats the definitions and identities it references; the file holds each once.
          for (const o of page.bundle.objects) {
            const key = `${String(o.id)}|${String(o.modified ?? '')}`;
            if (written.has(key)) continue;
            written.add(key);
            write(`${first ? '' : ','}\n${JSON.stringify(o)}`);
            first = false;
          }
          count += page.objectCount;
          after = page.nextCursor ?? undefined;
          if (after) io.err(`… ${count} objects`);
        } while (after);
        write('\n]}\n');
      }, io.err);
      if (file) {
        await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
        io.err(`Wrote ${count} objects to ${out}`);
      }
      return 0;
    },
  },
];
