/**
 * Everything the access rule needs to know about a viewer's tenant. Loaded from the database
 * per request (never taken from a token), so membership changes apply at once.
 */
export interface AccessScope {
  tenantId: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  sectors: readonly string[];
  groupIds: readonly string[];
}

export type Distribution = 'ORGANISATION' | 'RECIPIENTS' | 'SHARING_GROUP' | 'SECTOR' | 'COMMUNITY';
export const DISTRIBUTIONS: readonly Distribution[] = ['ORGANISATION', 'RECIPIENTS', 'SHARING_GROUP', 'SECTOR', 'COMMUNITY'];

/** Who an object is shared with, as stored beside it. */
export interface Audience {
  publisherTenantId: string;
  distribution: Distribution;
  sectors: readonly string[];
  countries: readonly string[];
  groupId: string | null;
  recipients: readonly string[];
}
