import type { AccessScope } from '@cairn/access';
import type { SharingRequest } from '@cairn/intel';
import type { ObjectFilterSql } from '@cairn/intel';

/**
 * The collections every tenant gets: everything it may see (one collection a SIEM can poll for
 * all of it, including what others shared with it by name), what it published itself, the
 * community, each sector it belongs to, each sharing group it is a member of.
 */
export type CollectionKind = 'all' | 'own' | 'community' | 'sector' | 'group';

/** What identifies a collection of a tenant: its kind, and the sector or group id it is about. */
export interface CollectionKey {
  kind: CollectionKind;
  key: string;
}

export interface CollectionDefinition extends CollectionKey {
  title: string;
  description: string;
  alias: string;
}

/** The collections a tenant has now, in the order they are listed. */
export function collectionDefinitions(
  tenantName: string,
  sectors: readonly string[],
  groups: ReadonlyArray<{ id: string; slug: string; name: string }>,
): CollectionDefinition[] {
  return [
    {
      kind: 'all',
      key: '',
      alias: 'all',
      title: `Everything ${tenantName} may see`,
      description: 'Every object shared with your organisation in any way, and your own. Posting here uses your default sharing.',
    },
    {
      kind: 'own',
      key: '',
      alias: 'own',
      title: `${tenantName}: own publications`,
      description:
        'What your organisation published, whatever its distribution. Posting here shares with your organisation only (ORGANISATION).',
    },
    {
      kind: 'community',
      key: '',
      alias: 'community',
      title: 'Community',
      description: 'Objects shared with every member (COMMUNITY). Posting here shares with every member.',
    },
    ...[...sectors].sort().map((s) => ({
      kind: 'sector' as const,
      key: s,
      alias: `sector-${s}`,
      title: `Sector: ${s}`,
      description: `Objects shared with the ${s} sector (SECTOR). Posting here shares with the ${s} sector.`,
    })),
    ...[...groups]
      .sort((a, b) => a.slug.localeCompare(b.slug))
      .map((g) => ({
        kind: 'group' as const,
        key: g.id,
        alias: `group-${g.slug}`,
        title: `Sharing group: ${g.name}`,
        description: `Objects shared with the sharing group ${g.name} (SHARING_GROUP). Posting here shares with its members.`,
      })),
  ];
}

/** Whether a stored collection still applies to the tenant (it may have left the sector or group). */
export function isCurrent(c: CollectionKey, scope: AccessScope): boolean {
  if (c.kind === 'sector') return scope.sectors.includes(c.key);
  if (c.kind === 'group') return scope.groupIds.includes(c.key);
  return true;
}

/**
 * The filter that defines the collection, in GraphQL objects(filter) terms: a collection lists
 * exactly what the tenant finds there with the same filter.
 */
export function collectionFilter(c: CollectionKey): ObjectFilterSql {
  switch (c.kind) {
    case 'all':
      return {};
    case 'own':
      return { publishedByViewer: true };
    case 'community':
      return { distributions: ['COMMUNITY'] };
    case 'sector':
      return { distributions: ['SECTOR'], sectors: [c.key] };
    case 'group':
      return { distributions: ['SHARING_GROUP'], groupIds: [c.key] };
  }
}

/** The sharing of objects POSTed to the collection; TLP is decided separately. */
export function collectionSharing(c: CollectionKey): SharingRequest {
  switch (c.kind) {
    case 'all':
      return {};
    case 'own':
      return { distribution: 'ORGANISATION' };
    case 'community':
      return { distribution: 'COMMUNITY' };
    case 'sector':
      return { distribution: 'SECTOR', sectors: [c.key] };
    case 'group':
      return { distribution: 'SHARING_GROUP', groupId: c.key };
  }
}
