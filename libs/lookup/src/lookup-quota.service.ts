import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CAIRN_CONFIG, JsonLogger, Metrics, type CairnConfig, type LookupQuota, type Viewer } from '@cairn/common';
import { runAhead, type StatementAhead } from '@cairn/access';
import { LookupError, LookupErrorCode } from './lookup.errors';

/** How often each instance turns finished minutes of idle tenants into lookup.volume audit entries. */
const CLOSE_WINDOWS_MS = 60_000;

interface Charge {
  allowed: boolean;
  quota: 'per-minute' | 'per-day' | null;
  quota_limit: string | null;
  used: string | null;
  resets_at: Date | null;
}

/**
 * Per-tenant lookup quotas (distinct values per minute and per UTC day), counted in PostgreSQL so
 * that every API instance and every door (HTTP, WebSocket, in-process callers) shares them, and the
 * lookup volume that the tenant's audit log receives once per minute with lookups.
 */
@Injectable()
export class LookupQuotaService implements LookupQuota, OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    private readonly metrics: Metrics,
    private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(
      () => void this.closeWindows().catch((err: Error) => this.logger.warn(`lookup volume audit: ${err.message}`, 'LookupQuota')),
      CLOSE_WINDOWS_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Charges `values` distinct values to the viewer's tenant, or throws RATE_LIMITED naming the quota
   * and when it resets; a refused call is counted as refused and nothing of it may be looked up.
   * One statement (cairn_lookup_charge), committed on its own so the counter row is locked only
   * for that statement, not for the lookup.
   */
  async charge(viewer: Viewer, values: number): Promise<void> {
    await runAhead(this.dataSource, this.chargeAhead(viewer, values));
  }

  /**
   * charge as its statement and the check of the statement's answer (which counts the call and
   * throws RATE_LIMITED when refused), for a caller that sends the statement ahead of its lookup's
   * transaction, in the same round trip (TenancyService.asViewerAfter). Still committed on its own.
   */
  chargeAhead(viewer: Viewer, values: number): StatementAhead<Charge> {
    const { perMinute, perDay } = this.config.lookupQuota;
    return {
      statement: { sql: `SELECT * FROM cairn_lookup_charge($1, $2, $3, $4)`, params: [viewer.tenantId, values, perMinute, perDay] },
      check: ([c]) => this.settle(values, c),
    };
  }

  private settle(values: number, c: Charge): void {
    if (c.allowed) {
      this.metrics.lookupValues.inc({ outcome: 'counted' }, values);
      this.metrics.lookupCalls.inc({ outcome: 'answered' });
      return;
    }
    this.metrics.lookupValues.inc({ outcome: 'refused' }, values);
    this.metrics.lookupCalls.inc({ outcome: 'refused' });
    const resetsAt = new Date(c.resets_at!);
    const limit = Number(c.quota_limit);
    const used = Number(c.used);
    throw new LookupError(
      LookupErrorCode.QUOTA_EXCEEDED,
      `Lookup quota ${c.quota} reached: this tenant may look up ${limit} distinct values ${c.quota === 'per-day' ? 'per day (UTC)' : 'per minute'} ` +
        `and has used ${used}; this call asked about ${values}. Nothing was looked up. The quota resets at ${resetsAt.toISOString()}.`,
      'values',
      {
        quota: c.quota,
        limit,
        used,
        resetsAt: resetsAt.toISOString(),
        retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000)),
      },
    );
  }

  /** Writes the lookup.volume audit entries of finished minutes that no later call has closed; returns how many. */
  async closeWindows(): Promise<number> {
    if (!this.dataSource.isInitialized) return 0;
    const [{ n }]: Array<{ n: number }> = await this.dataSource.query(`SELECT cairn_lookup_close_windows() AS n`);
    return n;
  }
}
