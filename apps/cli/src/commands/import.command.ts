import { readFile } from 'node:fs/promises';
import { batchesOf } from '@cairn/stix';
import {
  BundleRejectedError,
  PublishService,
  type ObjectOutcome,
  type PublishIssue,
  type PublishSummary,
  type SharingRequest,
} from '@cairn/intel';
import { TaxiiCollectionsService } from '@cairn/taxii';
import { TenancyService } from '@cairn/tenancy';
import type { Viewer } from '@cairn/common';
import { CliCommand, CliUsageError, type CliIO } from '../cli-command';
import { withCliContext } from '../cli-context';
import { optionalFlag, requireFlag } from '../cli-runner';
import { jsonErrorLocation } from './stix.commands';

type Json = Record<string, unknown>;
const AT = /^\$\.objects\[(\d+)\]/;

export interface ImportOptions {
  repair: boolean;
  /** Objects per publish (each all or nothing); at most MAX_BUNDLE_OBJECTS. */
  batchSize?: number;
  /** For tests: the clock that rates are computed from. */
  now?: () => number;
}

/** Totals over every batch, and what each object became, by its place in the file. */
export interface ImportReport {
  objects: number;
  batches: number;
  storedBatches: number;
  outcomes: ObjectOutcome[];
  bundleRepairs: PublishIssue[];
  rejected?: { batch: number; issues: PublishIssue[] };
  seconds: number;
}

/**
 * Publishes a bundle of any size: in one publish when it fits in `batchSize` (default
 * MAX_BUNDLE_OBJECTS), all or nothing; larger, in batches in reference order (what an object
 * references is stored in its batch or an earlier one), each batch all or nothing. Strict mode
 * stops at the first rejected batch (the batches before it stay stored; importing again once it is
 * fixed leaves them unchanged). Progress goes to `progress` after each batch.
 */
export async function importBundle(
  publishing: PublishService,
  viewer: Viewer,
  bundle: unknown,
  sharing: SharingRequest,
  options: ImportOptions & { maxBatch: number },
  progress: (line: string) => void,
): Promise<ImportReport> {
  const now = options.now ?? (() => performance.now());
  const objects =
    bundle && typeof bundle === 'object' && Array.isArray((bundle as Json).objects) ? ((bundle as Json).objects as unknown[]) : undefined;
  const size = options.batchSize ?? options.maxBatch;
  // Not a list (or empty): one publish, which names the problem.
  const batches = objects && objects.length > 0 ? batchesOf(objects, size) : [[]];
  const report: ImportReport = {
    objects: objects?.length ?? 0,
    batches: batches.length,
    storedBatches: 0,
    outcomes: [],
    bundleRepairs: [],
    seconds: 0,
  };
  const started = now();
  let done = 0;
  const seenRepairs = new Set<string>();
  // A batch may repeat a person's name or address that another batch protects: each redacts them all.
  const personalData = objects && batches.length > 1 ? publishing.personalDataOf(objects) : undefined;
  for (const [n, positions] of batches.entries()) {
    const part = objects ? { ...(bundle as Json), objects: positions.map((i) => objects[i]) } : bundle;
    const heartbeat = setInterval(() => progress(`… batch ${n + 1}/${batches.length}: ${Math.round((now() - started) / 1000)} s`), 5000);
    heartbeat.unref();
    let summary: PublishSummary;
    try {
      // The operator's own run: not charged to the tenant's lookup quota (README "Protected identifiers").
      summary = await publishing.publishBundle(viewer, part, sharing, { repair: options.repair, personalData, operatorRun: true });
    } catch (err) {
      if (!(err instanceof BundleRejectedError)) throw err;
      report.rejected = {
        batch: n + 1,
        issues: err.issues.map((i) => ({ ...i, path: i.path.replace(AT, (_m, k: string) => `$.objects[${positions[Number(k)] ?? k}]`) })),
      };
      break;
    } finally {
      clearInterval(heartbeat);
    }
    report.storedBatches++;
    for (const o of summary.objects)
      report.outcomes.push({
        ...o,
        index: positions[o.index] ?? o.index,
        repairs: o.repairs?.map((r) => ({ ...r, path: r.path.replace(AT, () => `$.objects[${positions[o.index]}]`) })),
      });
    for (const r of summary.repairs) {
      if (AT.test(r.path) || seenRepairs.has(`${r.code}|${r.path}`)) continue;
      seenRepairs.add(`${r.code}|${r.path}`);
      report.bundleRepairs.push(r);
    }
    done += positions.length;
    const seconds = (now() - started) / 1000;
    progress(
      `import: ${done}/${report.objects} objects (${((100 * done) / Math.max(1, report.objects)).toFixed(1)} %), ${rate(done, seconds)} objects/s, batch ${n + 1}/${batches.length}`,
    );
  }
  report.outcomes.sort((a, b) => a.index - b.index);
  report.seconds = (now() - started) / 1000;
  return report;
}

function rate(count: number, seconds: number): string {
  return seconds > 0 ? String(Math.round(count / seconds)) : '∞';
}

const count = (r: ImportReport, s: ObjectOutcome['status']) => r.outcomes.filter((o) => o.status === s).length;

/** The end-of-import summary: counts on one line, then every repair and every skipped object with its reason. */
export function printReport(file: string, slug: string, mode: string, r: ImportReport, io: CliIO): void {
  const repaired = r.outcomes.filter((o) => o.repairs?.length && o.status !== 'SKIPPED').length;
  const corrected = r.outcomes.filter((o) => o.correctedFrom !== undefined).length;
  const batches = r.batches === 1 ? '1 batch' : `${r.storedBatches} of ${r.batches} batches stored (each all or nothing)`;
  io.out(
    `Imported ${file} as ${slug} (${mode}): ${count(r, 'CREATED')} created, ${count(r, 'NEW_VERSION')} new versions, ${count(r, 'UNCHANGED')} unchanged, ` +
      `${repaired} repaired, ${count(r, 'SKIPPED')} skipped, ${corrected} ids corrected; ${r.outcomes.length}/${r.objects} objects in ${batches}, ${r.seconds.toFixed(1)} s (${rate(r.outcomes.length, r.seconds)} objects/s)`,
  );
  const repairs = [...r.bundleRepairs, ...r.outcomes.flatMap((o) => o.repairs ?? [])];
  if (repairs.length) io.out(`Repaired (${repairs.length}):`);
  for (const p of repairs) io.out(`  ${p.objectId ?? '-'}  ${p.path}  ${p.code}  ${p.message}`);
  const skipped = r.outcomes.filter((o) => o.status === 'SKIPPED');
  if (skipped.length) io.out(`Skipped (${skipped.length}):`);
  for (const o of skipped) {
    io.out(`  ${o.id}  $.objects[${o.index}]  ${o.reason ?? ''}`);
    for (const e of o.errors ?? []) io.out(`    ${e.path}  ${e.code}  ${e.message}`);
  }
}

export function importCommand(
  tenantViewer: (t: Awaited<ReturnType<TenancyService['getTenantBySlug']>>) => Viewer,
  sharingFlags: (args: import('../cli-command').CliArgs) => SharingRequest,
  sharingFlagHelp: NonNullable<CliCommand['flags']>,
): CliCommand {
  return {
    path: ['import'],
    usage:
      '<bundle.json|-> --tenant <slug> [--repair] [--batch-size N] [--distribution D] [--tlp T] [--sectors a,b] [--countries DE,FR] [--group <id>] [--recipients <id,id>] [--share-protected-raw]',
    description:
      'Publish a STIX 2.1 bundle as a tenant, through the same pipeline as publishBundle: all or nothing (strict), or with --repair for real-world releases; ' +
      'bundles larger than the batch size go in batches, each all or nothing',
    flags: {
      tenant: { description: 'slug of the publishing tenant' },
      repair: {
        description: 'repair mode: repair what is safely repairable, skip (with reasons) what is not, store the rest',
        boolean: true,
      },
      'batch-size': { description: 'objects per all-or-nothing batch (default and maximum: MAX_BUNDLE_OBJECTS)' },
      ...sharingFlagHelp,
    },
    async run(args, io) {
      const file = args.positional[0];
      if (!file || args.positional.length > 1) throw new CliUsageError('Give exactly one bundle file (or - for stdin)');
      const slug = requireFlag(args, 'tenant');
      const sharing = sharingFlags(args);
      const batchText = optionalFlag(args, 'batch-size');
      const batchSize = batchText === undefined ? undefined : Number(batchText);
      if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1))
        throw new CliUsageError('--batch-size must be a whole number of at least 1');
      const repair = args.flags.repair === true;
      const text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
      let bundle: unknown;
      try {
        bundle = JSON.parse(text);
      } catch (err) {
        const at = jsonErrorLocation(text, err);
        io.err(`Error: ${file} is not JSON${at ? ` at ${at.line}:${at.column}` : ''}: ${(err as Error).message}`);
        return 1;
      }
      const report = await withCliContext(async (ctx) => {
        if (batchSize !== undefined && batchSize > ctx.config.maxBundleObjects)
          throw new CliUsageError(`--batch-size is at most MAX_BUNDLE_OBJECTS (${ctx.config.maxBundleObjects})`);
        const tenant = await ctx.app.get(TenancyService).getTenantBySlug(slug);
        return importBundle(
          ctx.app.get(PublishService),
          tenantViewer(tenant),
          bundle,
          sharing,
          { repair, batchSize, maxBatch: ctx.config.maxBundleObjects },
          io.err,
        );
      }, io.err);
      const mode = repair ? 'repair mode' : 'strict';
      if (report.rejected) {
        const { batch, issues } = report.rejected;
        const before = report.storedBatches ? `; batches 1–${report.storedBatches} of ${report.batches} stay stored` : '';
        io.err(
          report.batches > 1
            ? `Rejected batch ${batch}/${report.batches}, nothing of it stored${before}: ${issues.length} issue(s)`
            : `Rejected, nothing stored: ${issues.length} issue(s)`,
        );
        for (const i of issues.slice(0, 50)) io.err(`  ${i.objectId ?? '-'}  ${i.path}  ${i.code}  ${i.message}`);
        if (issues.length > 50) io.err(`  … and ${issues.length - 50} more`);
        if (report.storedBatches) printReport(file, slug, mode, report, io);
        return 1;
      }
      printReport(file, slug, mode, report, io);
      return 0;
    },
  };
}

/** `taxii repair`: the per-collection switch for TAXII POSTs (see TaxiiCollectionsService.setRepairOnPost). */
export function taxiiRepairCommand(tenantViewer: (t: Awaited<ReturnType<TenancyService['getTenantBySlug']>>) => Viewer): CliCommand {
  return {
    path: ['taxii', 'repair'],
    usage: '<on|off> --tenant <slug> --collection <id|alias>',
    description: "Publish TAXII POSTs to one of a tenant's collections in repair mode (on), or strictly again (off, the default)",
    flags: {
      tenant: { description: 'slug of the tenant the collection belongs to' },
      collection: { description: 'collection id, or its alias: all, own, community, sector-<sector>, group-<slug>' },
    },
    async run(args, io) {
      const value = args.positional[0];
      if (args.positional.length !== 1 || (value !== 'on' && value !== 'off')) throw new CliUsageError('Give on or off');
      const slug = requireFlag(args, 'tenant');
      const collection = requireFlag(args, 'collection');
      const set = await withCliContext(async (ctx) => {
        const tenant = await ctx.app.get(TenancyService).getTenantBySlug(slug);
        return ctx.app.get(TaxiiCollectionsService).setRepairOnPost(tenantViewer(tenant), collection, value === 'on');
      }, io.err);
      io.out(`TAXII POSTs to ${set.alias ?? set.id} (${set.id}) of ${slug}: ${set.repair_on_post ? 'repair mode' : 'strict'}`);
      return 0;
    },
  };
}
