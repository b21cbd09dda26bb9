export * from './access-scope';
export * from './visibility';
export * from './viewer-transaction';
export * from './db-trust';
export * from './pipeline';
