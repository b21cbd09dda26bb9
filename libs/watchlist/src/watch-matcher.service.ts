import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CAIRN_CONFIG, CoalescingRunner, JsonLogger, type CairnConfig } from '@cairn/common';
import { AuditService } from '@cairn/audit';
import { StoredObjectsService } from '@cairn/intel';
import { TenancyService } from '@cairn/tenancy';
import { hmacBlocks, watchKey } from './watch-hash';
import { queueDeliveries, recordHits, takeStoredBatches, watchCandidates, type WatchCandidate } from './watch-matcher';

/** Stored batches one pass takes from the outbox. */
const BATCHES_PER_PASS = 200;

/**
 * Matches what was stored against every watchlist, after the storing transaction committed, so a
 * publisher's request costs the same whether anyone watches or not (the store hook only appends its
 * versions to watch_outbox). One pass is one transaction: take batches, find the candidates, record
 * as each watcher the hits it may see and queue their webhook deliveries, NOTIFY the watchers. A
 * failed pass rolls back and the batches are taken again; hits are unique per entry and event.
 */
@Injectable()
export class WatchMatcher {
  private readonly blocks: { inner: Buffer; outer: Buffer };
  private readonly runner: CoalescingRunner<number>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CAIRN_CONFIG) config: CairnConfig,
    private readonly tenancy: TenancyService,
    private readonly objects: StoredObjectsService,
    private readonly audit: AuditService,
    private readonly logger: JsonLogger,
  ) {
    this.blocks = hmacBlocks(watchKey(config.identifierHmacSecret));
    this.runner = new CoalescingRunner(
      async () => {
        let hits = 0;
        for (let n = await this.pass(); n >= 0; n = await this.pass()) hits += n;
        return hits;
      },
      (err) => this.logger.warn(`watchlist matching failed (the batches stay queued): ${err.message}`, 'WatchMatcher'),
    );
  }

  /** Runs passes until the outbox is empty; a call during a run asks for one more. Resolves to the hits recorded. */
  async drain(): Promise<number> {
    return (await this.runner.run()) ?? 0;
  }

  /** One pass; -1 when the outbox was empty, else the hits recorded. */
  private async pass(): Promise<number> {
    const { hits, tenants } = await this.dataSource.transaction(async (m) => {
      const pks = await takeStoredBatches(m, BATCHES_PER_PASS);
      if (pks.length === 0) return { hits: -1, tenants: [] as string[] };
      const byTenant = new Map<string, WatchCandidate[]>();
      for (const c of await watchCandidates(m, pks, this.blocks)) {
        const list = byTenant.get(c.tenant_id) ?? [];
        list.push(c);
        byTenant.set(c.tenant_id, list);
      }
      const scopes = await this.tenancy.accessScopes([...byTenant.keys()], m, true);
      let recorded = 0;
      const woken: string[] = [];
      for (const [tenantId, candidates] of byTenant) {
        const scope = scopes.get(tenantId);
        if (!scope) continue; // a suspended or removed tenant is told nothing
        const ids = await recordHits(m, this.objects, scope, candidates);
        if (ids.length === 0) continue;
        await queueDeliveries(m, tenantId, ids);
        await this.audit.record({ tenantId, action: 'watch.hits', targetType: 'watchlist', details: { hits: ids.length } }, m);
        await m.query(`SELECT pg_notify('cairn_watch_hit', $1)`, [tenantId]);
        recorded += ids.length;
        woken.push(tenantId);
      }
      return { hits: recorded, tenants: woken };
    });
    if (tenants.length > 0) this.logger.debug?.(`watchlist: ${hits} hits for ${tenants.length} tenants`, 'WatchMatcher');
    return hits;
  }
}
