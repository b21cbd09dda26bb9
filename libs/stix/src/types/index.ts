export * from './common';
export * from './sdo';
export * from './sro';
export * from './sco';
export * from './custom';
export * from './meta';
