import { analyze } from '@cairn/database';
import { CliCommand } from '../cli-command';
import { numberFlag } from '../cli-runner';
import { withCliContext } from '../cli-context';
import { seedDemo } from '../../../api/src/demo/demo-seeder';

export const demoCommands: CliCommand[] = [
  {
    path: ['seed-demo'],
    usage: '[--seed N] [--scale X]',
    description: 'Load the deterministic demo data set (member tenants, the DPRK IT-worker campaign, sightings)',
    flags: {
      seed: { description: 'random seed (default 1): the same seed gives the same data' },
      scale: { description: 'size factor (default 1 = ~60 tenants, ~130 identities, ~6,500 sightings)' },
    },
    async run(args, io) {
      const seed = numberFlag(args, 'seed', 1);
      const scale = numberFlag(args, 'scale', 1);
      const summary = await withCliContext(async (ctx) => {
        const loaded = await seedDemo(ctx.app, { seed, scale });
        await analyze(ctx.databaseUrl);
        return loaded;
      }, io.err);
      io.out(summary);
      return 0;
    },
  },
];
