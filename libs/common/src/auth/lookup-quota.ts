import type { Viewer } from './viewer';

/**
 * What publishing needs from the lookup quota (libs/lookup LookupQuotaService): libs/lookup depends
 * on libs/intel, so intel reaches the quota through this interface, as the guard reaches
 * AuthService through AUTHENTICATOR.
 */
export interface LookupQuota {
  /**
   * Charges `values` distinct values to the viewer's tenant, counted as checkIdentifiers counts
   * them, or throws RATE_LIMITED (naming the quota and resetsAt) and nothing may be done with them.
   */
  charge(viewer: Viewer, values: number): Promise<void>;
}

/** LookupQuotaService, for code outside libs/lookup (publishing, whose previews render keyed hashes). */
export const LOOKUP_QUOTA = Symbol('LOOKUP_QUOTA');
