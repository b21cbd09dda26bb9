import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { JsonLogger, loadConfig } from '@cairn/common';
import { PublishService } from '@cairn/intel';
import { TenancyService } from '@cairn/tenancy';
import { CliModule } from '../apps/cli/src/cli.module';
import { importBundle, type ImportReport } from '../apps/cli/src/commands/import.command';
import { attackRelease } from './attack-release';
import { benchDatabase } from './bench-database';
import { benchEnv, fmt, median, numberArg, type Bench, machine } from './bench';
import { rawInsert } from './publish.bench';

const counted = (r: ImportReport, s: string) => r.outcomes.filter((o) => o.status === s).length;

export const benches: Bench[] = [
  {
    name: 'import',
    description:
      'CLI import (importBundle, in process) of an ATT&CK-sized release (1,826 objects): repair mode on a flawed copy beside strict on a repair-free copy, vs a raw pg INSERT of the rows stored (--runs=N)',
    async run(args) {
      const runs = numberArg(args, 'runs', 5);
      const database = await benchDatabase('import');
      const config = loadConfig(benchEnv(database.databaseUrl));
      const logger = new JsonLogger('error');
      // The CLI's own context (CliModule: the domain services, no GraphQL, TAXII or feed listener), as `cli import` builds it.
      const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, config.databaseAppUrl!, logger), { logger });
      const db = new Client({ connectionString: database.databaseUrl });
      await db.connect();
      try {
        const tenancy = app.get(TenancyService);
        const publishing = app.get(PublishService);
        const tenant = (label: string) =>
          tenancy.createTenant({ slug: `bench-${label}-${Date.now()}`, name: `Bench ${label}`, country: 'DE', sectors: ['energy'] });
        const strict: number[] = [];
        const repair: number[] = [];
        const raw: number[] = [];
        const brokenRuns: number[] = [];
        let last = { strict: '', repair: '', broken: '' };
        for (let r = 0; r <= runs; r++) {
          // Fresh ids per run and per mode: a release's objects belong to the tenant that first publishes them.
          const clean = attackRelease(1000 + r, false);
          const flawed = attackRelease(2000 + r, true);
          const count = clean.objects.length;
          const ts = await tenant(`strict-${r}`);
          const t0 = process.hrtime.bigint();
          const s = await importBundle(
            publishing,
            machine(ts),
            clean,
            { distribution: 'COMMUNITY', tlp: 'CLEAR' },
            { repair: false, maxBatch: config.maxBundleObjects },
            () => undefined,
          );
          const strictMs = Number(process.hrtime.bigint() - t0) / 1e6;
          if (s.rejected) throw new Error(`strict import refused: ${JSON.stringify(s.rejected.issues.slice(0, 3))}`);
          const tr = await tenant(`repair-${r}`);
          const t1 = process.hrtime.bigint();
          const p = await importBundle(
            publishing,
            machine(tr),
            flawed,
            { distribution: 'COMMUNITY', tlp: 'CLEAR' },
            { repair: true, maxBatch: config.maxBundleObjects },
            () => undefined,
          );
          const repairMs = Number(process.hrtime.bigint() - t1) / 1e6;
          const repaired = p.outcomes.filter((o) => o.repairs?.length).length;
          // One object no repair makes right (modified before created): repair mode stores the rest in later tries (the collection, which lists it, is skipped too).
          const broken = attackRelease(3000 + r, true);
          broken.objects[500] = { ...broken.objects[500], modified: '2000-01-01T00:00:00.000Z' };
          const tb = await tenant(`broken-${r}`);
          const t3 = process.hrtime.bigint();
          const q = await importBundle(
            publishing,
            machine(tb),
            broken,
            { distribution: 'COMMUNITY', tlp: 'CLEAR' },
            { repair: true, maxBatch: config.maxBundleObjects },
            () => undefined,
          );
          const brokenMs = Number(process.hrtime.bigint() - t3) / 1e6;
          // The rows the strict import stored, inserted again as they are, under another publisher.
          const { rows } = await db.query(
            `SELECT id, type, modified, doc, revoked, valid_until FROM stix_object WHERE publisher_tenant_id = $1 ORDER BY feed_seq`,
            [ts.id],
          );
          const { rows: index } = await db.query(
            `SELECT o.ord - 1 AS ord, i.kind, i.key FROM observable_index i
               JOIN (SELECT pk, row_number() OVER (ORDER BY feed_seq) AS ord FROM stix_object WHERE publisher_tenant_id = $1) o ON o.pk = i.object_pk`,
            [ts.id],
          );
          const other = await tenant(`raw-${r}`);
          const t2 = process.hrtime.bigint();
          await rawInsert(
            db,
            other.id,
            rows,
            index.map((e: { ord: string; kind: string; key: string }) => ({ ord: Number(e.ord), kind: e.kind, key: e.key })),
          );
          const rawMs = Number(process.hrtime.bigint() - t2) / 1e6;
          last = {
            strict: `${counted(s, 'CREATED')} created`,
            repair: `${counted(p, 'CREATED')} created, ${repaired} repaired, ${counted(p, 'SKIPPED')} skipped, ${p.bundleRepairs.length} bundle-level repair`,
            broken: `${counted(q, 'CREATED')} created, ${counted(q, 'SKIPPED')} skipped`,
          };
          if (r === 0) continue; // warm-up
          strict.push(strictMs);
          repair.push(repairMs);
          raw.push(rawMs);
          brokenRuns.push(brokenMs);
          console.log(
            `  run ${r}: strict ${fmt(strictMs)} ms (${fmt((count / strictMs) * 1000)} objects/s), repair ${fmt(repairMs)} ms (${fmt((count / repairMs) * 1000)} objects/s), repair with a broken object ${fmt(brokenMs)} ms, raw INSERT ${fmt(rawMs)} ms (${rows.length} rows)`,
          );
        }
        const count = 1826;
        const [sm, pm, bm, km] = [median(strict), median(repair), median(raw), median(brokenRuns)];
        console.log(`import: ATT&CK-sized release (${fmt(count)} objects), median of ${runs}, one batch each:`);
        console.log(`  strict, repair-free copy (${last.strict}): ${fmt((count / sm) * 1000)} objects/s (${fmt(sm)} ms)`);
        console.log(
          `  repair mode, flawed copy (${last.repair}): ${fmt((count / pm) * 1000)} objects/s (${fmt(pm)} ms), ${(sm / pm).toFixed(2)} × strict`,
        );
        console.log(
          `  repair mode, flawed copy + one broken object (${last.broken}; later tries store the rest): ${fmt((count / km) * 1000)} objects/s (${fmt(km)} ms)`,
        );
        console.log(
          `  raw pg multi-row INSERT of the rows stored: ${fmt((count / bm) * 1000)} rows/s (${fmt(bm)} ms); strict ratio ${(bm / sm).toFixed(2)}, repair ratio ${(bm / pm).toFixed(2)}`,
        );
      } finally {
        await db.end();
        await app.close();
        await database.stop();
      }
    },
  },
];
