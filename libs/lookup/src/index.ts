export * from './index-keys';
export * from './index-entries';
export * from './identifier-input';
export * from './lookup.errors';
export * from './lookup.module';
export * from './lookup.service';
export * from './lookup-quota.service';
