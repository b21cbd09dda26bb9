import type { CairnConfig } from '@cairn/common';

export const APP_OPTIONS = Symbol('APP_OPTIONS');

export interface AppOptions {
  config: CairnConfig;
  /**
   * The run-time login's URL (DATABASE_APP_URL, or the embedded server's generated login): never
   * the owner. The API refuses to start on a login that could escape row-level security.
   */
  appDatabaseUrl: string;
  /** False only to print the GraphQL schema without a database. */
  connectDatabase: boolean;
}
