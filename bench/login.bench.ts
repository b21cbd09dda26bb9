import { randomBytes } from 'node:crypto';
import { JsonLogger, loadConfig } from '@cairn/common';
import { SessionService, UsersService } from '@cairn/auth';
import { TenancyService } from '@cairn/tenancy';
import { createApp } from '../apps/api/src/create-app';
import { benchEnv, median, ms1, numberArg, percentile, type Bench } from './bench';
import { benchDatabase } from './bench-database';

const PASSWORD = 'correct horse battery staple';

/**
 * The timing side channel of sign-in, measured rather than tested (test/auth-attacks checks that
 * both paths do the same password work): failed logins for an existing e-mail and for an unknown
 * one, interleaved, each from its own client address and each account tried fewer times than the
 * lock-out allows, so neither brake is in the figures.
 */
export const benches: Bench[] = [
  {
    name: 'login',
    description:
      'failed login (wrong password) for a known vs an unknown e-mail through SessionService: median and p90 of each, and their ratio (--runs=N per side)',
    async run(args) {
      const runs = numberArg(args, 'runs', 40);
      const database = await benchDatabase('login');
      let close: (() => Promise<void>) | undefined;
      try {
        const config = loadConfig(benchEnv(database.databaseUrl));
        const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
        close = () => app.close();
        const tenant = await app.get(TenancyService).createTenant({
          slug: `bench-login-${randomBytes(3).toString('hex')}`,
          name: 'Bench login',
          country: 'DE',
          sectors: ['technology'],
        });
        const users = app.get(UsersService);
        // Four failures each: one fewer than locks an account (LOGIN_FAILURES_PER_ACCOUNT).
        const known: string[] = [];
        for (let i = 0; i < Math.ceil(runs / 4); i++)
          known.push(
            (await users.create({ tenantId: tenant.id, email: `known-${i}@bench.example`, role: 'reader', password: PASSWORD })).email,
          );
        const sessions = app.get(SessionService);
        let ip = 0;
        const attempt = async (email: string): Promise<number> => {
          ip++;
          const started = performance.now();
          await sessions.login(email, 'wrong password!!', { ip: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}` }).then(
            () => {
              throw new Error('a wrong password signed in');
            },
            (err: { code?: string }) => {
              if (err.code !== 'UNAUTHENTICATED') throw new Error(`expected UNAUTHENTICATED, got ${err.code}`);
            },
          );
          return performance.now() - started;
        };
        // Warm-up, not counted: the first unknown e-mail makes the dummy hash (once per process).
        await attempt(`warm-up-${randomBytes(4).toString('hex')}@bench.example`);
        const times = { known: [] as number[], unknown: [] as number[] };
        for (let i = 0; i < runs; i++) {
          times.known.push(await attempt(known[i % known.length]));
          times.unknown.push(await attempt(`ghost-${i}-${randomBytes(4).toString('hex')}@bench.example`));
        }
        const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
        const [k, u] = [sorted(times.known), sorted(times.unknown)];
        process.stdout.write(
          `\nlogin (wrong password, ${runs} attempts each, interleaved)\n` +
            `  known e-mail:   median ${ms1(median(k))} ms, p90 ${ms1(percentile(k, 90))} ms\n` +
            `  unknown e-mail: median ${ms1(median(u))} ms, p90 ${ms1(percentile(u, 90))} ms\n` +
            `  ratio of medians unknown/known ${(median(u) / median(k)).toFixed(2)} (1.00: nothing to tell them apart by)\n`,
        );
      } finally {
        await close?.();
        await database.stop();
      }
    },
  },
];
