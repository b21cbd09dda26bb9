import { LookupService } from '@cairn/lookup';
import { CliCommand, CliUsageError } from '../cli-command';
import { withCliContext } from '../cli-context';

export const lookupCommands: CliCommand[] = [
  {
    path: ['lookup', 'reindex'],
    usage: '',
    description: 'Rebuild the identifier index behind checkIdentifiers from the stored objects (one transaction per publisher)',
    async run(args, io) {
      if (args.positional.length > 0) throw new CliUsageError('lookup reindex takes no arguments');
      const started = Date.now();
      const totals = await withCliContext((ctx) => ctx.app.get(LookupService).reindexAll(io.err), io.err);
      io.out(`Reindexed ${totals.objects} object versions of ${totals.tenants} tenants: ${totals.entries} index rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    },
  },
];
