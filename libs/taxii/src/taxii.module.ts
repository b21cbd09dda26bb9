import { Module, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JsonLogger } from '@cairn/common';
import { IntelModule } from '@cairn/intel';
import { TenancyModule } from '@cairn/tenancy';
import { TaxiiExceptionFilter } from './taxii-exception.filter';
import { mountTaxiiFallbacks } from './taxii-fallback';
import { TaxiiMediaGuard } from './taxii-http';
import { TaxiiObjectsController } from './taxii-objects.controller';
import { TaxiiRootController } from './taxii-root.controller';
import { TAXII_BASE } from './taxii.constants';
import { TaxiiServicesModule } from './taxii-services.module';

/** TAXII 2.1 over the intelligence a tenant may see: discovery, one API root, per-tenant collections. */
@Module({
  imports: [TenancyModule, IntelModule, TaxiiServicesModule],
  controllers: [TaxiiRootController, TaxiiObjectsController],
  providers: [TaxiiExceptionFilter, TaxiiMediaGuard],
  exports: [TaxiiServicesModule],
})
export class TaxiiModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Optional() private readonly logger?: JsonLogger,
  ) {}

  // Runs after Nest has registered the controllers' routes and before its own fallbacks (NestApplication.init).
  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter?.getInstance?.();
    if (app && typeof app.use === 'function') mountTaxiiFallbacks(app, `/${TAXII_BASE}`, this.logger);
  }
}
