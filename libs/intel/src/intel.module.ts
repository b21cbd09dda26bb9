import { Module } from '@nestjs/common';
import { TenancyModule } from '@cairn/tenancy';
import { IntelService } from './intel.service';
import { IntelResolver } from './intel.resolver';

@Module({
  imports: [TenancyModule],
  providers: [IntelService, IntelResolver],
  exports: [IntelService],
})
export class IntelModule {}
