import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantEntity } from './entities/tenant.entity';
import { SharingGroupEntity } from './entities/sharing-group.entity';
import { SharingGroupMemberEntity } from './entities/sharing-group-member.entity';
import { TenancyService } from './tenancy.service';
import { SharingGroupsService } from './sharing-groups.service';
import { TenancyResolver } from './tenancy.resolver';
import { SharingGroupsResolver } from './sharing-groups.resolver';

@Module({
  imports: [TypeOrmModule.forFeature([TenantEntity, SharingGroupEntity, SharingGroupMemberEntity])],
  providers: [TenancyService, SharingGroupsService, TenancyResolver, SharingGroupsResolver],
  exports: [TenancyService, SharingGroupsService],
})
export class TenancyModule {}
