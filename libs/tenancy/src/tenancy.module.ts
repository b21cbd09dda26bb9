import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantEntity } from './entities/tenant.entity';
import { SharingGroupEntity } from './entities/sharing-group.entity';
import { SharingGroupMemberEntity } from './entities/sharing-group-member.entity';
import { TenancyService } from './tenancy.service';
import { SharingGroupsService } from './sharing-groups.service';

@Module({
  imports: [TypeOrmModule.forFeature([TenantEntity, SharingGroupEntity, SharingGroupMemberEntity])],
  providers: [TenancyService, SharingGroupsService],
  exports: [TenancyService, SharingGroupsService],
})
export class TenancyModule {}
