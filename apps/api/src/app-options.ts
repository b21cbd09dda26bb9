import type { CairnConfig } from '@cairn/common';

export const APP_OPTIONS = Symbol('APP_OPTIONS');

export interface AppOptions {
  config: CairnConfig;
  /** Owner URL of the Cairn database (embedded or external). */
  databaseUrl: string;
  /** False only to print the GraphQL schema without a database. */
  connectDatabase: boolean;
}
