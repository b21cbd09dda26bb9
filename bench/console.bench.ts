import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { UsersService } from '@cairn/auth';
import { JsonLogger, loadConfig } from '@cairn/common';
import { SECTORS, TenancyService } from '@cairn/tenancy';
import { createApp } from '../apps/api/src/create-app';
import { launchBrowser } from '../test/support/browser';
import { benchEnv, median, ms1, numberArg, type Bench } from './bench';
import { benchDatabase } from './bench-database';

const PASSWORD = 'correct horse battery staple';
const BUDGET_KB = 300;
const WEEKS = 53;

/** sectorStats answers for `sectors`, a year of weekly figures each (deterministic, some hidden as null). */
function syntheticStats(query: string, variables: Record<string, unknown>): unknown {
  const aliases = [...query.matchAll(/(s\d+): sectorStats/g)].map((m) => m[1]);
  const start = Date.UTC(2025, 0, 6);
  const data: Record<string, unknown> = {};
  aliases.forEach((alias, k) => {
    const series = Array.from({ length: WEEKS }, (_v, w) => ({
      bucket: new Date(start + w * 7 * 86400_000).toISOString().slice(0, 10),
      sightings: (w * 7 + k * 13) % 11 === 0 ? null : ((w * 31 + k * 17) % 97) + 3,
      newIndicators: (w + k) % 5 === 0 ? null : ((w * 7 + k) % 23) + 1,
    }));
    data[alias] = {
      series,
      ...(k === 0
        ? {
            totalSightings: 4321,
            byArea: ['DE', 'FR', 'GB', 'US', 'europe'].map((key, i) => ({ key, sightings: 100 - i * 9 })),
            byStage: ['APPLICATION', 'INTERVIEW', 'OFFER', 'HIRED'].map((key, i) => ({ key, sightings: 80 - i * 15 })),
            byRoleCategory: ['SOFTWARE', 'DATA', 'PAYROLL_ACCOUNTING'].map((key, i) => ({ key, sightings: 60 - i * 11 })),
            topIdentities: [
              { subjectId: 'identity--00000000-0000-4000-8000-000000000001', name: 'Persona', reportingMembers: 7, sightings: 42 },
            ],
          }
        : {}),
    };
  });
  void variables;
  return { data };
}

/** Milliseconds from the figures arriving to the frame after every chart was drawn, per page load. */
async function dashboardRenders(page: Page, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Away and back: the dashboard mounts afresh and asks for its figures again (same page, marks cleared).
    await page.goto('/#/feed');
    await page.getByRole('heading', { name: 'Live feed' }).waitFor();
    await page.evaluate('performance.clearMarks()');
    await page.goto('/#/dashboard');
    // A function, not a string: the page's CSP forbids eval, which a string predicate needs.
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { performance: { getEntriesByName(n: string): unknown[] } }).performance.getEntriesByName(
          'cairn:dashboard-rendered',
        ).length > 0,
      undefined,
      { timeout: 60_000 },
    );
    out.push(
      await page.evaluate<number>(
        "performance.getEntriesByName('cairn:dashboard-rendered')[0].startTime - performance.getEntriesByName('cairn:dashboard-data')[0].startTime",
      ),
    );
  }
  return out;
}

/**
 * The console in the test browser: the compressed JavaScript of the first page load (budget 300 KB),
 * and the sector dashboard rendering a year of weekly figures for 40 sectors (one line chart with
 * 40 series, the other charts beside), against the same dashboard for one sector as the baseline.
 * The figures are synthetic (the page's GraphQL answer is replaced in the browser): this measures
 * rendering, not sectorStats.
 */
export const benches: Bench[] = [
  {
    name: 'console',
    description:
      'web console: gzip JS of the first load vs the 300 KB budget; dashboard render of 53 weeks × 40 sectors vs × 1 sector in Chromium (--runs=N)',
    async run(args) {
      const runs = numberArg(args, 'runs', 5);
      execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-console.js')], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const database = await benchDatabase('console');
      const config = loadConfig(benchEnv(database.databaseUrl));
      const app = await createApp({ config, appDatabaseUrl: config.databaseAppUrl!, connectDatabase: true }, new JsonLogger('error'));
      await app.listen(0, '127.0.0.1');
      const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      const browser = await launchBrowser();
      try {
        const people: Record<'wide' | 'one', string> = { wide: '', one: '' };
        for (const [who, sectors] of [
          ['wide', SECTORS.slice(0, 40)],
          ['one', ['healthcare']],
        ] as const) {
          const tenant = await app.get(TenancyService).createTenant({
            slug: `bench-console-${who}-${randomBytes(3).toString('hex')}`,
            name: `Bench ${who}`,
            country: 'DE',
            sectors: [...sectors],
          });
          people[who] = `${who}-${randomBytes(3).toString('hex')}@bench.example`;
          await app.get(UsersService).create({ tenantId: tenant.id, email: people[who], role: 'analyst', password: PASSWORD });
        }
        const open = async (email: string) => {
          const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1366, height: 900 } });
          const page = await context.newPage();
          await page.route('**/graphql', async (route) => {
            const body = route.request().postDataJSON() as { query?: string; variables?: Record<string, unknown> } | null;
            if (!body?.query?.includes('sectorStats')) return route.continue();
            await route.fulfill({
              contentType: 'application/json',
              body: JSON.stringify(syntheticStats(body.query, body.variables ?? {})),
            });
          });
          // First load, signed out: every script the browser fetched, compressed (as sent) and raw.
          const scripts: Array<{ url: string; gzip: number; raw: number }> = [];
          page.on('response', async (res) => {
            if (res.request().resourceType() !== 'script') return;
            const gzip = Number(res.headers()['content-length'] ?? 0);
            scripts.push({ url: res.url(), gzip, raw: (await res.body()).length });
          });
          await page.goto('/');
          await page.getByLabel('E-mail address', { exact: true }).waitFor();
          const first = [...scripts];
          await page.getByLabel('E-mail address', { exact: true }).fill(email);
          await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByRole('heading', { name: 'Live feed' }).waitFor();
          return { context, page, first };
        };
        const wide = await open(people.wide);
        const kb = (n: number) => (n / 1024).toFixed(1);
        const gz = wide.first.reduce((s, x) => s + x.gzip, 0);
        const raw = wide.first.reduce((s, x) => s + x.raw, 0);
        const wideTimes = await dashboardRenders(wide.page, runs);
        const one = await open(people.one);
        const oneTimes = await dashboardRenders(one.page, runs);
        const load = readFileSync('/proc/loadavg', 'utf8').trim();
        process.stdout.write(
          `\nconsole (Chromium ${browser.version()}, load ${load})\n` +
            `  first load: ${wide.first.length} script(s), ${kb(gz)} KB gzip (${kb(raw)} KB raw) — budget ${BUDGET_KB} KB, ${((gz / 1024 / BUDGET_KB) * 100).toFixed(0)} % of it\n` +
            `  dashboard, ${WEEKS} weeks × 40 sectors: median ${ms1(median(wideTimes))} ms (runs: ${wideTimes.map(ms1).join(', ')})\n` +
            `  dashboard, ${WEEKS} weeks × 1 sector (baseline): median ${ms1(median(oneTimes))} ms (runs: ${oneTimes.map(ms1).join(', ')})\n` +
            `  ratio 40 sectors / 1 sector: ${(median(wideTimes) / median(oneTimes)).toFixed(2)}×\n`,
        );
        await wide.context.close();
        await one.context.close();
      } finally {
        await browser.close();
        await app.close();
        await database.stop();
      }
    },
  },
];
