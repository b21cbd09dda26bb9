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
];
