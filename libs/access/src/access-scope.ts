import type { Tlp } from '@cairn/stix';

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

/**
 * Who an object is shared with (DESIGN.md "Access control"), narrowest first: the one list, which
 * the GraphQL enum Distribution, the CLI and validation are built from. The database checks the
 * same values (migration ObjectsAndRls).
 */
export const DISTRIBUTIONS = ['ORGANISATION', 'RECIPIENTS', 'SHARING_GROUP', 'SECTOR', 'COMMUNITY'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export function isDistribution(value: unknown): value is Distribution {
  return (DISTRIBUTIONS as readonly unknown[]).includes(value);
}

/** The only distributions TLP:RED may be shared with; the database checks the same (stix_object's CHECK). */
export const TLP_RED_DISTRIBUTIONS: readonly Distribution[] = ['ORGANISATION', 'RECIPIENTS'];

/** The rule "TLP:RED only with ORGANISATION or RECIPIENTS", for objects and for a tenant's defaults alike. */
export function tlpAllowedWith(tlp: Tlp, distribution: Distribution): boolean {
  return tlp !== 'RED' || TLP_RED_DISTRIBUTIONS.includes(distribution);
}

/** What a refusal by tlpAllowedWith says. */
export const TLP_RED_RULE = 'TLP:RED is only allowed with distribution ORGANISATION or RECIPIENTS';

/** Who an object is shared with, as stored beside it. */
export interface Audience {
  publisherTenantId: string;
  distribution: Distribution;
  sectors: readonly string[];
  countries: readonly string[];
  groupId: string | null;
  recipients: readonly string[];
}
