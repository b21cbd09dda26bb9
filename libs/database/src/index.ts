export * from './data-source';
export * from './embedded-postgres';
export * from './migrations';
export * from './bootstrap';
export * from './backup';
export * from './privileges';
export * from './replica-reads';
