export * from './entities/tenant.entity';
export * from './entities/sharing-group.entity';
export * from './entities/sharing-group-member.entity';
export * from './sectors';
export * from './sharing-groups.service';
export * from './tenancy.errors';
export * from './tenancy.module';
export * from './tenancy.service';
