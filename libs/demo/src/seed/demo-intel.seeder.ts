import type { INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Viewer } from '@cairn/common';
import type { DemoData, DemoIdentity } from '../demo.types';
import { PublishService, type IndicatorRequest } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { forEachConcurrently } from './concurrently';

/** Members written at once: the database pool and the two cores are shared with the rest of start-up. */
export const SEED_CONCURRENCY = 4;

const T0 = '2021-01-01T00:00:00.000Z';

function asTenant(tenantId: string): Viewer {
  return { kind: 'apikey', tenantId, operator: false, scopes: new Set(['intel:read', 'intel:write']) };
}

/** A UUIDv4-shaped id derived from a name, so re-seeding finds the same actor objects (UNCHANGED). */
function stableId(type: string, name: string): string {
  const h = createHash('sha1').update(`cairn-demo:${type}:${name}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${type}--${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const MAX_PER_IDENTITY = 12;

function identifiersOf(identity: DemoIdentity, intrusionSet: string): IndicatorRequest[] {
  const base = { labels: ['dprk-it-worker'], confidence: 80, threatActor: intrusionSet };
  const list: IndicatorRequest[] = [
    { ...base, type: 'PERSONA_NAME', value: identity.personaName },
    ...identity.emails.map((value) => ({ ...base, type: 'EMAIL' as const, value })),
    ...identity.phones.map((value) => ({ ...base, type: 'PHONE' as const, value })),
    ...identity.githubHandles.map((value) => ({ ...base, type: 'GITHUB' as const, value })),
    ...identity.linkedinHandles.map((value) => ({ ...base, type: 'LINKEDIN' as const, value })),
    ...identity.telegramHandles.map((value) => ({ ...base, type: 'TELEGRAM' as const, value })),
    ...identity.resumeSha256.map((value) => ({ ...base, type: 'FILE_HASH' as const, value })),
    ...identity.ips.map((value) => ({ ...base, type: 'IP' as const, value })),
    ...identity.wallets.map((value) => ({ ...base, type: 'WALLET' as const, value })),
  ];
  return list.slice(0, MAX_PER_IDENTITY);
}

/**
 * The campaign's intelligence, published through the real pipeline (validation, anonymisation,
 * protected identifiers): the exchange publishes the threat actor and intrusion set (COMMUNITY,
 * TLP:CLEAR); each identity's identifiers are then published as indicators by the member that
 * first sighted it, with that member's default sharing.
 */
export interface DemoIntel {
  summary: string;
  intrusionSetId: string;
  /** Indicator id by identifier (`TYPE:value`, TYPE as in IndicatorRequest). */
  indicatorByIdentifier: Map<string, string>;
}

export async function seedDemoIntel(
  app: INestApplicationContext,
  data: DemoData,
  idBySlug: Map<string, string>,
  exchange: TenantEntity,
): Promise<DemoIntel> {
  const publishing = app.get(PublishService);
  const { threatActor, intrusionSet } = data.campaign;
  const actorId = stableId('threat-actor', threatActor.name);
  const setId = stableId('intrusion-set', intrusionSet.name);
  const sdo = { spec_version: '2.1', created: T0, modified: T0 };
  await publishing.publishBundle(
    asTenant(exchange.id),
    {
      type: 'bundle',
      id: stableId('bundle', 'campaign'),
      objects: [
        {
          ...sdo,
          type: 'threat-actor',
          id: actorId,
          name: threatActor.name,
          aliases: threatActor.aliases,
          description: threatActor.description,
          threat_actor_types: ['nation-state', 'criminal'],
          primary_motivation: 'organizational-gain',
        },
        {
          ...sdo,
          type: 'intrusion-set',
          id: setId,
          name: intrusionSet.name,
          aliases: intrusionSet.aliases,
          description: intrusionSet.description,
          first_seen: T0,
        },
        {
          ...sdo,
          type: 'relationship',
          id: stableId('relationship', 'set-attributed-to-actor'),
          relationship_type: 'attributed-to',
          source_ref: setId,
          target_ref: actorId,
        },
      ],
    },
    { distribution: 'COMMUNITY', tlp: 'CLEAR' },
    { operatorRun: true },
  );

  const firstReporter = new Map<string, string>();
  for (const s of data.sightings) if (!firstReporter.has(s.identityKey)) firstReporter.set(s.identityKey, s.reporterTenant);
  const byTenant = new Map<string, IndicatorRequest[]>();
  data.identities.forEach((identity, i) => {
    const slug = firstReporter.get(identity.key) ?? data.tenants[i % data.tenants.length].slug;
    const list = byTenant.get(slug) ?? [];
    list.push(...identifiersOf(identity, intrusionSet.name));
    byTenant.set(slug, list);
  });
  let objects = 0;
  let indicators = 0;
  const indicatorByIdentifier = new Map<string, string>();
  await forEachConcurrently([...byTenant], SEED_CONCURRENCY, async ([slug, requests]) => {
    // The seed is the operator's run, not the member's lookups: not charged to its lookup quota.
    const result = await publishing.publishIndicators(asTenant(idBySlug.get(slug)!), requests, {}, { operatorRun: true });
    objects += result.created + result.newVersions;
    indicators += requests.length;
    // One indicator per request, in request order.
    result.objects
      .filter((o) => o.type === 'indicator')
      .forEach((o, i) => indicatorByIdentifier.set(`${requests[i].type}:${requests[i].value}`, o.id));
  });
  return {
    summary: `  intel: threat actor "${threatActor.name}" and intrusion set "${intrusionSet.name}" (COMMUNITY, TLP:CLEAR); ${indicators} indicators from ${byTenant.size} members (${objects} objects)`,
    intrusionSetId: setId,
    indicatorByIdentifier,
  };
}
