export * from './cursor';
export * from './intel.errors';
export * from './intel.module';
export * from './intel.service';
export * from './object-store';
export * from './sharing';
