import { Global, Module } from '@nestjs/common';
import { LOOKUP_QUOTA } from '@cairn/common';
import { LookupQuotaService } from './lookup-quota.service';

/**
 * The lookup quota on its own, global: publishing (libs/intel, which libs/lookup depends on)
 * charges the protected values it renders through LOOKUP_QUOTA, and the watchlist its watched
 * values, against the same counters as checkIdentifiers.
 */
@Global()
@Module({
  providers: [LookupQuotaService, { provide: LOOKUP_QUOTA, useExisting: LookupQuotaService }],
  exports: [LookupQuotaService, LOOKUP_QUOTA],
})
export class LookupQuotaModule {}
