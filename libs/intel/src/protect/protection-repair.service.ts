import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, type CairnConfig } from '@cairn/common';
import { TenancyService } from '@cairn/tenancy';
import { StoredObjectsService } from '../stored-objects.service';
import { personalDataOfVersions, reprotectVersions, type RepairableVersion, type Reprotection } from './repair';

const BATCH = 500;

export interface ProtectionRepairTotals {
  tenants: number;
  versions: number;
  rewritten: number;
  unrepairable: Array<Reprotection['unrepairable'][number] & { tenant: string }>;
}

/**
 * Rewrites stored versions that hold personal data today's rules would have protected (repair.ts),
 * in place: the same pk, feed position and date added, so nothing is re-announced to the feed and
 * what a consumer already pulled is not recalled. One transaction per publisher, as that publisher
 * (row-level security lets it update its own rows only); the identifier index must be rebuilt after
 * (LookupService.reindexAll), as the CLI's `protect repair` does.
 */
@Injectable()
export class ProtectionRepairService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly objects: StoredObjectsService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  async repairAll(opts: { dryRun?: boolean; log?: (line: string) => void } = {}): Promise<ProtectionRepairTotals> {
    const secret = this.config.identifierHmacSecret;
    const totals: ProtectionRepairTotals = { tenants: 0, versions: 0, rewritten: 0, unrepairable: [] };
    for (const tenant of await this.tenancy.listTenants()) {
      const done = await this.tenancy.asViewer(tenant.id, async (m) => {
        // Pass 1: what is personal anywhere in the publisher's versions is redacted from all of them (as from a whole bundle).
        const personal = { rawValues: new Set<string>(), phones: new Set<string>() };
        let versions = 0;
        const eachBatch = async (fn: (batch: RepairableVersion[]) => unknown) => {
          for (let after = '0'; ;) {
            const batch = await this.objects.publisherVersions(m, tenant.id, after, BATCH);
            if (batch.length === 0) return;
            await fn(batch);
            after = batch[batch.length - 1].feedSeq;
          }
        };
        await eachBatch((batch) => {
          versions += batch.length;
          const found = personalDataOfVersions(batch, secret);
          found.rawValues.forEach((v) => personal.rawValues.add(v));
          found.phones.forEach((v) => personal.phones.add(v));
        });
        // Pass 2: protect, redact, write back what changed.
        let rewritten = 0;
        const unrepairable: ProtectionRepairTotals['unrepairable'] = [];
        await eachBatch(async (batch) => {
          const r = reprotectVersions(batch, secret, personal, tenant.id);
          unrepairable.push(...r.unrepairable.map((u) => ({ ...u, tenant: tenant.slug })));
          rewritten += r.changed.length;
          if (r.changed.length === 0 || opts.dryRun) return;
          await m.query(`UPDATE stix_object o SET doc = u.doc FROM unnest($1::bigint[], $2::jsonb[]) AS u(pk, doc) WHERE o.pk = u.pk`, [
            r.changed.map((c) => c.pk),
            r.changed.map((c) => JSON.stringify(c.doc)),
          ]);
        });
        return { versions, rewritten, unrepairable };
      });
      if (done.rewritten > 0 || done.unrepairable.length > 0)
        opts.log?.(
          `${tenant.slug}: ${done.rewritten} of ${done.versions} versions ${opts.dryRun ? 'to rewrite' : 'rewritten'}, ${done.unrepairable.length} to see to`,
        );
      totals.tenants++;
      totals.versions += done.versions;
      totals.rewritten += done.rewritten;
      totals.unrepairable.push(...done.unrepairable);
    }
    return totals;
  }
}
