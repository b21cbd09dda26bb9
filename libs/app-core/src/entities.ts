import { AuditEntryEntity } from '@cairn/audit';
import { ApiKeyEntity, RefreshTokenEntity, UserEntity } from '@cairn/auth';
import { SharingGroupEntity, SharingGroupMemberEntity, TenantEntity } from '@cairn/tenancy';

/** Every TypeORM entity of every domain module, for the one shared data source. */
export const ENTITIES = [
  TenantEntity,
  SharingGroupEntity,
  SharingGroupMemberEntity,
  AuditEntryEntity,
  UserEntity,
  RefreshTokenEntity,
  ApiKeyEntity,
];
