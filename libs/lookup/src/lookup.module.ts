import { Module } from '@nestjs/common';
import { TenancyModule, TenancyService } from '@cairn/tenancy';
import { IntelModule, IntelStoreHooks, StoredObjectsService } from '@cairn/intel';
import { LookupService } from './lookup.service';
import { LookupQuotaModule } from './lookup-quota.module';
import { earlierIndexCells, indexStoredVersionsSql, type IndexCell } from './lookup.queries';
import { LookupResolver } from './lookup.resolver';
import { ScreeningService } from './screening.service';
import { ScreeningResolver } from './screening.resolver';

/**
 * Identifier lookup (checkIdentifiers) and the observable index behind it. Intel does not know
 * about lookup: lookup registers a store hook, so every version intel stores (publish, TAXII,
 * sightings) is indexed inside the storing transaction, and a failure undoes the store.
 */
@Module({
  imports: [TenancyModule, IntelModule, LookupQuotaModule],
  providers: [LookupService, LookupResolver, ScreeningService, ScreeningResolver],
  exports: [LookupService, LookupQuotaModule, ScreeningService],
})
export class LookupModule {
  /** Per batch being stored: the cell each object's index rows name its publisher by. */
  private readonly cells = new WeakMap<object, (id: string) => IndexCell>();

  constructor(
    private readonly hooks: IntelStoreHooks,
    private readonly tenancy: TenancyService,
    private readonly objects: StoredObjectsService,
  ) {
    // Registered as soon as the module exists, not at init: an app that stores before it is
    // initialised (main.ts seeds the demo before listen) must index what it stores all the same.
    // The publisher's cell as the membership is now, unless an earlier version of the object was indexed under another.
    this.hooks.registerPrepare(async (m, audience, rows) => {
      const earlier = await earlierIndexCells(
        this.objects,
        m,
        audience.publisherTenantId,
        rows.map((r) => r.id),
      );
      const now = await this.tenancy.cellFor(audience.publisherTenantId, m);
      this.cells.set(rows, (id) => earlier.get(id) ?? (now && { sector: now.sector, area: now.area }));
    });
    this.hooks.register((batch, p, storedVersions) =>
      indexStoredVersionsSql(batch.rows, this.cells.get(batch.rows) ?? (() => null), p, storedVersions),
    );
  }
}
