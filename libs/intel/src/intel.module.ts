import { Module } from '@nestjs/common';
import { TenancyModule } from '@cairn/tenancy';
import { IntelService } from './intel.service';
import { IntelResolver, StixObjectConnectionResolver } from './intel.resolver';
import { IntelStoreHooks } from './store-hooks';
import { FeedCursors } from './cursor';
import { PublishService } from './publish/publish.service';
import { PublishResolver } from './publish/publish.resolver';
import { StoredObjectsService } from './stored-objects.service';
import { ProtectionRepairService } from './protect/protection-repair.service';

@Module({
  imports: [TenancyModule],
  providers: [
    FeedCursors,
    IntelStoreHooks,
    IntelService,
    StoredObjectsService,
    ProtectionRepairService,
    PublishService,
    IntelResolver,
    StixObjectConnectionResolver,
    PublishResolver,
  ],
  exports: [FeedCursors, IntelService, PublishService, IntelStoreHooks, StoredObjectsService, ProtectionRepairService],
})
export class IntelModule {}
