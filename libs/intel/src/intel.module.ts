import { Module } from '@nestjs/common';
import { TenancyModule } from '@cairn/tenancy';
import { IntelService } from './intel.service';
import { IntelResolver } from './intel.resolver';
import { IntelStoreHooks } from './store-hooks';
import { PublishService } from './publish/publish.service';
import { PublishResolver } from './publish/publish.resolver';

@Module({
  imports: [TenancyModule],
  providers: [IntelStoreHooks, IntelService, PublishService, IntelResolver, PublishResolver],
  exports: [IntelService, PublishService, IntelStoreHooks],
})
export class IntelModule {}
