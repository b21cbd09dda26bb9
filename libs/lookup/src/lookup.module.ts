import { Module, type OnModuleInit } from '@nestjs/common';
import { TenancyModule } from '@cairn/tenancy';
import { IntelModule, IntelStoreHooks } from '@cairn/intel';
import { LookupService } from './lookup.service';
import { LookupQuotaService } from './lookup-quota.service';
import { indexStoredVersionsSql } from './lookup.queries';
import { LookupResolver } from './lookup.resolver';

/**
 * Identifier lookup (checkIdentifiers) and the observable index behind it. Intel does not know
 * about lookup: lookup registers a store hook, so every version intel stores (publish, TAXII,
 * sightings) is indexed inside the storing transaction, and a failure undoes the store.
 */
@Module({
  imports: [TenancyModule, IntelModule],
  providers: [LookupService, LookupQuotaService, LookupResolver],
  exports: [LookupService],
})
export class LookupModule implements OnModuleInit {
  constructor(private readonly hooks: IntelStoreHooks) {}

  onModuleInit(): void {
    this.hooks.register((batch, p) => indexStoredVersionsSql(batch.rows, p));
  }
}
