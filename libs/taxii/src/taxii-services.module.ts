import { Module } from '@nestjs/common';
import { IntelModule } from '@cairn/intel';
import { TenancyModule } from '@cairn/tenancy';
import { TaxiiCollectionsService } from './collections/taxii-collections.service';
import { TaxiiObjectsService } from './objects/taxii-objects.service';
import { TaxiiPublishService } from './publish/taxii-publish.service';

/** TAXII's services without the HTTP door: what the CLI imports (collection settings); TaxiiModule adds the controllers. */
@Module({
  imports: [TenancyModule, IntelModule],
  providers: [TaxiiCollectionsService, TaxiiObjectsService, TaxiiPublishService],
  exports: [TaxiiCollectionsService, TaxiiObjectsService, TaxiiPublishService],
})
export class TaxiiServicesModule {}
