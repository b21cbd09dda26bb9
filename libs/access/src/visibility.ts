import type { AccessScope, Audience, Distribution } from './access-scope';

/**
 * Appends positional parameters to a raw SQL statement and returns their placeholders.
 * Keeps the visibility predicate usable from any hand-written query.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(initial: unknown[] = []) {
    this.values.push(...initial);
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * THE visibility predicate: the one SQL condition every read path of member intelligence uses
 * (GraphQL, lookup, feed, subscriptions, TAXII, exports). Row-level security enforces the same
 * rule again in the database (migration ObjectsAndRls), so a path that forgot this still leaks nothing.
 *
 * The publisher always sees its own rows. Anyone else needs the row's distribution to include
 * them, and their country to be in the row's countries when the publisher narrowed it.
 * `alias` names a table with the audience columns of stix_object.
 */
export function visibleTo(alias: string, scope: AccessScope, params: SqlParams): string {
  const tenant = params.add(scope.tenantId);
  const country = params.add(scope.country);
  const sectors = params.add(scope.sectors);
  const groups = params.add(scope.groupIds);
  const a = alias;
  return `(${a}.publisher_tenant_id = ${tenant}::uuid OR (
    (cardinality(${a}.audience_countries) = 0 OR ${country}::text = ANY (${a}.audience_countries))
    AND (
      ${a}.distribution = 'COMMUNITY'
      OR (${a}.distribution = 'SECTOR' AND ${a}.audience_sectors && ${sectors}::text[])
      OR (${a}.distribution = 'SHARING_GROUP' AND ${a}.audience_group_id = ANY (${groups}::uuid[]))
      OR (${a}.distribution = 'RECIPIENTS' AND ${tenant}::uuid = ANY (${a}.audience_recipients))
    )))`;
}

/**
 * The same rule as visibleTo, for an audience already in memory: whether a tenant may see rows
 * shared with `audience`. Used only to decide whom to wake when new rows arrive (FeedHub); what
 * anyone receives is still read through visibleTo and RLS. The access property test checks that
 * both agree with an independent reference on every (tenant, object) pair.
 */
export function audienceReaches(audience: Audience, scope: AccessScope): boolean {
  if (audience.publisherTenantId === scope.tenantId) return true;
  if (audience.countries.length > 0 && !audience.countries.includes(scope.country)) return false;
  switch (audience.distribution) {
    case 'COMMUNITY':
      return true;
    case 'SECTOR':
      return audience.sectors.some((s) => scope.sectors.includes(s));
    case 'SHARING_GROUP':
      return audience.groupId !== null && scope.groupIds.includes(audience.groupId);
    case 'RECIPIENTS':
      return audience.recipients.includes(scope.tenantId);
    default:
      return false;
  }
}

/** One of a viewer's audience keys: stix_object_audience.key, and which part of the rule it stands for. */
export interface AudienceKey {
  key: string;
  /** The distribution whose rows carry this key; null for the publisher's own key. */
  distribution: Exclude<Distribution, 'ORGANISATION'> | null;
  /** The sector or sharing group the key is about (SECTOR, SHARING_GROUP). */
  about?: string;
}

/**
 * The viewer's keys in stix_object_audience (migration AudienceKeys, cairn_audience_keys): a stored
 * version carries one of them exactly when visibleTo lets the viewer see it — its own key p:<tenant>,
 * and each way others may share with it (c, s:<sector>, g:<group>, r:<tenant>) not narrowed by
 * country (@*) or narrowed to its country. This is an index of visibleTo, for reading pages in feed
 * order, not a second rule: every read still applies visibleTo, and row-level security.
 */
export function audienceKeys(scope: AccessScope): AudienceKey[] {
  const shared: AudienceKey[] = [
    { key: 'c', distribution: 'COMMUNITY' },
    ...scope.sectors.map((s) => ({ key: `s:${s}`, distribution: 'SECTOR' as const, about: s })),
    ...scope.groupIds.map((g) => ({ key: `g:${g}`, distribution: 'SHARING_GROUP' as const, about: g })),
    { key: `r:${scope.tenantId}`, distribution: 'RECIPIENTS' },
  ];
  return [
    { key: `p:${scope.tenantId}`, distribution: null },
    ...shared.flatMap((k) => [
      { ...k, key: `${k.key}@*` },
      { ...k, key: `${k.key}@${scope.country}` },
    ]),
  ];
}
