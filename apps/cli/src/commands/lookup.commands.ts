import { ProtectionRepairService } from '@cairn/intel';
import { LookupService } from '@cairn/lookup';
import { SightingFactsRepair } from '@cairn/sightings';
import { CliCommand, CliUsageError } from '../cli-command';
import { withCliContext } from '../cli-context';

export const lookupCommands: CliCommand[] = [
  {
    path: ['lookup', 'reindex'],
    usage: '',
    description:
      'Rebuild what lookups and stats read from the stored objects: the identifier index behind checkIdentifiers, and the sighting facts that stored sightings lack (one transaction per publisher; safe to repeat)',
    async run(args, io) {
      if (args.positional.length > 0) throw new CliUsageError('lookup reindex takes no arguments');
      const started = Date.now();
      const { index, facts } = await withCliContext(async (ctx) => {
        const index = await ctx.app.get(LookupService).reindexAll(io.err);
        // Facts are only ever added: an existing fact names the cell its sighting was reported under.
        const facts = await ctx.app.get(SightingFactsRepair).rebuildMissing(io.err);
        return { index, facts };
      }, io.err);
      io.out(
        `Reindexed ${index.objects} object versions of ${index.tenants} tenants: ${index.entries} index rows, ` +
          `${facts.facts} missing sighting facts written, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return 0;
    },
  },
  {
    path: ['protect', 'repair'],
    usage: '[--dry-run]',
    description:
      "Apply today's personal-data protection to versions stored under older rules (in place, one transaction per publisher; versions that may hold raw data are left), then rebuild the identifier index; safe to repeat",
    flags: { 'dry-run': { description: 'count what would be rewritten, write nothing', boolean: true } },
    async run(args, io) {
      if (args.positional.length > 0) throw new CliUsageError('protect repair takes no arguments');
      const dryRun = args.flags['dry-run'] === true;
      const totals = await withCliContext(async (ctx) => {
        const repaired = await ctx.app.get(ProtectionRepairService).repairAll({ dryRun, log: io.err });
        // Even when nothing is left to rewrite: a run that rewrote and stopped before its reindex left
        // the index of what it rewrote stale, and the next run finds nothing to rewrite.
        if (!dryRun) await ctx.app.get(LookupService).reindexAll(io.err);
        return repaired;
      }, io.err);
      for (const u of totals.unrepairable)
        io.out(`cannot repair in place: ${u.tenant} ${u.id} (row ${u.pk}) ${u.path}: ${u.message} — have the publisher revoke it`);
      io.out(
        `${totals.rewritten} of ${totals.versions} object versions of ${totals.tenants} tenants ${dryRun ? 'would be rewritten' : 'rewritten'}` +
          (totals.unrepairable.length ? `; ${totals.unrepairable.length} cannot be repaired in place` : ''),
      );
      return totals.unrepairable.length > 0 ? 1 : 0;
    },
  },
];
