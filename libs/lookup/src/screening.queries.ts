import type { EntityManager } from 'typeorm';
import { SqlParams, visibleTo, type AccessScope } from '@cairn/access';
import { StoredObjectsService } from '@cairn/intel';
import { FeedService } from '@cairn/sightings';
import { TenancyService } from '@cairn/tenancy';
import { FIRST_SEEN, LAST_SEEN, MEMBER, preparedLast, type SlotMatch, type WantedKey } from './lookup.queries';

/** A slot's match as lookupKeys has it, plus the hiring context of its sightings and its personas. */
export interface ScreenMatch extends SlotMatch {
  /** Interview stages / role categories of the visible sightings (distinct values, never counts). */
  stages: string[] | null;
  roles: string[] | null;
  /** Number of visible sighting versions (shown only when enough members stand behind them). */
  sightings: number;
  /** Ids of visible personas: matched themselves, or linked by a visible relationship. */
  personas: string[] | null;
}

/**
 * THE screening statement: lookupKeys' probe (one round trip for every key of the batch, index
 * observable_index_kind_key, the visibility predicate and row-level security on every table,
 * current versions only; the other modules' rows as the sets their owners define: intel's current
 * visible versions, tenancy's members, sightings' facts) with, from the sightings of the matches, their interview stages and role
 * categories (sighting_fact, by its feed_seq key), and personas beside threat actors. Cost follows
 * the batch and its matches, not the data.
 */
export async function screenKeys(m: EntityManager, scope: AccessScope, wanted: WantedKey[]): Promise<ScreenMatch[]> {
  if (wanted.length === 0) return [];
  const p = new SqlParams([wanted.map((w) => w.slot), wanted.map((w) => w.kind), wanted.map((w) => w.key)]);
  return preparedLast<ScreenMatch>(
    m,
    'cairn_screen_v3',
    `WITH versions AS NOT MATERIALIZED (${StoredObjectsService.currentVisibleVersionsSql(scope, p)}),
     members AS NOT MATERIALIZED (${TenancyService.memberTenantIdsSql()}),
     facts AS NOT MATERIALIZED (${FeedService.sightingContextSql()}),
     hits AS MATERIALIZED (
       SELECT w.slot, o.id, o.type, o.publisher_tenant_id, o.tlp, o.date_added, x.cell_sector, x.cell_area,
              ${FIRST_SEEN('o')} AS first_seen, ${LAST_SEEN('o')} AS last_seen,
              CASE WHEN jsonb_typeof(o.doc->'confidence') = 'number' THEN (o.doc->>'confidence')::numeric END AS confidence
         FROM unnest($1::int[], $2::text[], $3::text[]) AS w(slot, kind, key)
         -- One index probe per key (observable_index_kind_key), OFFSET 0 keeping the subquery apart:
         -- for thousands of keys the planner would rather hash-join a scan of the whole index, on
         -- every row of which row-level security then runs (seen: 217 ms of 330 for 9,000 keys).
         CROSS JOIN LATERAL (SELECT * FROM observable_index i WHERE i.kind = w.kind AND i.key = w.key OFFSET 0) x
         JOIN versions o ON o.pk = x.object_pk
        WHERE ${visibleTo('x', scope, p)}
     ),
     matched AS (
       SELECT slot,
              array_agg(DISTINCT publisher_tenant_id::text) FILTER (WHERE ${MEMBER('publisher_tenant_id')}) AS publishers,
              array_agg(DISTINCT id) AS ids,
              array_agg(DISTINCT id) FILTER (WHERE type = 'persona') AS personas,
              min(first_seen) AS first_seen, max(last_seen) AS last_seen, max(confidence)::int AS confidence,
              (array_agg(tlp ORDER BY date_added DESC))[1] AS tlp,
              jsonb_agg(DISTINCT jsonb_build_object('sector', cell_sector, 'area', cell_area)) FILTER (WHERE cell_sector IS NOT NULL) AS cells
         FROM hits GROUP BY slot
     ),
     refs AS (
       SELECT m.slot, x.kind, r.doc->>(CASE x.kind WHEN 'REL_SOURCE' THEN 'target_ref' ELSE 'source_ref' END) AS other,
              r.publisher_tenant_id, ${FIRST_SEEN('r')} AS first_seen, ${LAST_SEEN('r')} AS last_seen,
              f.cell_sector, f.cell_area, f.interview_stage, f.role_category
         FROM (SELECT DISTINCT slot, id FROM hits) m
         JOIN observable_index x ON x.kind IN ('REL_SOURCE', 'REL_TARGET', 'SIGHTING_OF') AND x.key = m.id
         JOIN versions r ON r.pk = x.object_pk
         LEFT JOIN facts f ON x.kind = 'SIGHTING_OF' AND f.feed_seq = r.feed_seq
        WHERE ${visibleTo('x', scope, p)}
     ),
     linked AS (
       SELECT l.slot,
              array_agg(DISTINCT a.doc->>'name') FILTER (WHERE a.type IN ('threat-actor', 'intrusion-set') AND a.doc->>'name' IS NOT NULL) AS names,
              array_agg(DISTINCT a.id) FILTER (WHERE a.type = 'persona') AS personas
         FROM refs l
         JOIN versions a ON a.id = l.other AND a.type IN ('threat-actor', 'intrusion-set', 'persona')
        WHERE l.kind <> 'SIGHTING_OF'
        GROUP BY l.slot
     ),
     sighted AS (
       SELECT slot, array_agg(DISTINCT publisher_tenant_id::text) FILTER (WHERE ${MEMBER('publisher_tenant_id')}) AS sighters, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
              jsonb_agg(DISTINCT jsonb_build_object('sector', cell_sector, 'area', cell_area)) FILTER (WHERE cell_sector IS NOT NULL) AS cells,
              array_agg(DISTINCT interview_stage) FILTER (WHERE interview_stage IS NOT NULL) AS stages,
              array_agg(DISTINCT role_category) FILTER (WHERE role_category IS NOT NULL) AS roles,
              count(*)::int AS sightings
         FROM refs WHERE kind = 'SIGHTING_OF'
        GROUP BY slot
     )
     SELECT mt.slot, mt.publishers, mt.cells AS "publishedCells", mt.ids, mt.first_seen AS "firstSeen", mt.last_seen AS "lastSeen", mt.confidence AS "maxConfidence",
            mt.tlp AS "latestTlp", l.names AS actors, s.sighters, s.cells AS "sightedCells", s.first_seen AS "sightedFirst", s.last_seen AS "sightedLast",
            s.stages, s.roles, coalesce(s.sightings, 0) AS sightings,
            (SELECT array_agg(DISTINCT p) FROM unnest(coalesce(mt.personas, '{}') || coalesce(l.personas, '{}')) AS p) AS personas
       FROM matched mt
       LEFT JOIN linked l ON l.slot = mt.slot
       LEFT JOIN sighted s ON s.slot = mt.slot`,
    p.values,
  );
}
