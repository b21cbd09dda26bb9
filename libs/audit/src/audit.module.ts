import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditEntryIds } from './audit-entry-ids';
import { AuditService } from './audit.service';
import { AuditResolver } from './audit.resolver';

/** Global: every domain records events through AuditService. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntryEntity])],
  providers: [AuditService, AuditEntryIds, AuditResolver],
  exports: [AuditService],
})
export class AuditModule {}
