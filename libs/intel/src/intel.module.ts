import { Module } from '@nestjs/common';
import { TenancyModule } from '@cairn/tenancy';
import { IntelService } from './intel.service';
import { IntelResolver, StixObjectConnectionResolver } from './intel.resolver';
import { IntelStoreHooks } from './store-hooks';
import { FeedCursors } from './cursor';
import { PublishService } from './publish/publish.service';
import { PublishResolver } from './publish/publish.resolver';

@Module({
  imports: [TenancyModule],
  providers: [FeedCursors, IntelStoreHooks, IntelService, PublishService, IntelResolver, StixObjectConnectionResolver, PublishResolver],
  exports: [FeedCursors, IntelService, PublishService, IntelStoreHooks],
})
export class IntelModule {}
