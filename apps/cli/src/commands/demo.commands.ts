import { analyze } from '@cairn/database';
import { CliCommand, CliUsageError } from '../cli-command';
import { numberFlag, optionalFlag } from '../cli-runner';
import { withCliContext } from '../cli-context';
import { seedDemo } from '@cairn/demo';

export const demoCommands: CliCommand[] = [
  {
    path: ['seed-demo'],
    usage: '[--seed N] [--scale X] [--anchor YYYY-MM-DD]',
    description:
      'Load the deterministic demo data set (member tenants, the DPRK IT-worker campaign, sightings) into a database without it: all or nothing',
    flags: {
      seed: { description: 'random seed (default 1): the same seed gives the same data' },
      scale: { description: 'size factor (default 1 = ~60 tenants, ~130 identities, ~6,500 sightings)' },
      anchor: {
        description: 'the day the 4½ years of activity lead up to (default today, UTC): the same seed and anchor give the same data',
      },
    },
    async run(args, io) {
      const seed = numberFlag(args, 'seed', 1);
      const scale = numberFlag(args, 'scale', 1);
      const anchor = optionalFlag(args, 'anchor');
      if (anchor !== undefined && !isDate(anchor)) throw new CliUsageError(`--anchor must be a date YYYY-MM-DD, got ${anchor}`);
      const summary = await withCliContext(async (ctx) => {
        const loaded = await seedDemo(ctx.app, { seed, scale, anchor });
        await analyze(ctx.databaseUrl);
        return loaded;
      }, io.err);
      io.out(summary);
      return 0;
    },
  },
];

function isDate(s: string): boolean {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00.000Z`) : NaN;
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}
