import { SqlParams, visibleTo, type AccessScope } from '@cairn/access';
import { canonicalStixId } from '@cairn/stix';

/** Conditions on stored versions, all optional, combined with AND. */
export interface ObjectFilterSql {
  types?: string[];
  ids?: string[];
  tlps?: string[];
  /** Audience: shared with any of these sectors. */
  sectors?: string[];
  /** Audience includes any of these countries (audienceCountriesMatch: answered only for the viewer's own country). */
  countries?: string[];
  /** Any of these STIX labels. */
  labels?: string[];
  /** Linked to any of these threat actors / intrusion sets by a relationship the viewer may see; [] matches nothing. */
  actorIds?: string[];
  addedAfter?: string;
  addedBefore?: string;
  modifiedAfter?: string;
  modifiedBefore?: string;
  /** Exactly this version (STIX `modified`). */
  modified?: string;
  /** Words to find in name and description (web-search syntax). */
  search?: string;
  /** true: only revoked versions; false: none; undefined: both. */
  revoked?: boolean;
  /** Shared with any of these distributions (COMMUNITY, SECTOR …). */
  distributions?: string[];
  /** Shared with any of these sharing groups (distribution SHARING_GROUP). */
  groupIds?: string[];
  /** true: only what the viewer's tenant published; false: only what others published. */
  publishedByViewer?: boolean;
}

/** The text-search expression; it must stay identical to the stix_object_text index of migration Publishing. */
export const TEXT_VECTOR = (a: string) =>
  `to_tsvector('simple'::regconfig, coalesce(${a}.doc->>'name', '') || ' ' || coalesce(${a}.doc->>'description', ''))`;

/**
 * Rows of alias `a` whose audience sectors overlap `sectors`, answered only for the viewer's own
 * sectors: asking about any other sector of another publisher's audience would reveal its sector
 * list (its default SECTOR audience) and single it out. The viewer's own rows answer the same way,
 * because a row of its own that references another member's data is stored with that member's
 * sectors in its audience (audience/intersect.ts): its other sectors are not the viewer's to read.
 */
export function audienceSectorsMatch(a: string, scope: AccessScope, sectors: string[], p: SqlParams): string {
  const own = sectors.filter((s) => scope.sectors.includes(s));
  return own.length ? `${a}.audience_sectors && ${p.add(own)}::text[]` : 'false';
}

/**
 * Rows of alias `a` whose audience includes one of `countries` (a row not narrowed by country
 * includes every country), answered only for the viewer's own country. Whether another publisher's
 * audience includes a country is its private choice, and answering for any country but the
 * viewer's would reveal its narrowing (and whether it narrowed at all). The viewer's own country is
 * the one answer it already holds for others' rows: it sees them, so their audience includes it.
 * Its own rows (which it sees whatever their countries) match by whether their countries include
 * its own country; the rest of their list may be another member's narrowing, stored with what
 * references that member's data (audience/intersect.ts), and is not the viewer's to read either.
 */
export function audienceCountriesMatch(a: string, scope: AccessScope, countries: string[], p: SqlParams): string {
  if (!countries.includes(scope.country)) return 'false';
  const own = `${a}.publisher_tenant_id = ${p.add(scope.tenantId)}::uuid`;
  return `(NOT ${own} OR cardinality(${a}.audience_countries) = 0 OR ${p.add(scope.country)}::text = ANY (${a}.audience_countries))`;
}

/** SQL conditions for `f` on the stix_object alias `a`; each names the index it relies on. */
export function filterConditions(a: string, scope: AccessScope, f: ObjectFilterSql, p: SqlParams): string[] {
  const w: string[] = [];
  if (f.types?.length) w.push(`${a}.type = ANY (${p.add(f.types)}::text[])`); // stix_object_type_seq
  if (f.ids?.length) w.push(`${a}.id = ANY (${p.add(f.ids.map(canonicalStixId))}::text[])`); // unique (id, publisher, modified); ids are stored in canonical case
  if (f.tlps?.length) w.push(`${a}.tlp = ANY (${p.add(f.tlps)}::text[])`);
  if (f.sectors?.length) w.push(audienceSectorsMatch(a, scope, f.sectors, p)); // stix_object_sectors
  if (f.countries?.length) w.push(audienceCountriesMatch(a, scope, f.countries, p));
  if (f.labels?.length) w.push(`(${a}.doc->'labels') ?| ${p.add(f.labels)}::text[]`); // stix_object_labels
  if (f.addedAfter) w.push(`${a}.date_added > ${p.add(f.addedAfter)}::timestamptz`); // unique date_added
  if (f.addedBefore) w.push(`${a}.date_added < ${p.add(f.addedBefore)}::timestamptz`);
  if (f.modifiedAfter) w.push(`${a}.modified > ${p.add(f.modifiedAfter)}::timestamptz`); // stix_object_modified
  if (f.modifiedBefore) w.push(`${a}.modified < ${p.add(f.modifiedBefore)}::timestamptz`);
  if (f.modified) w.push(`${a}.modified = ${p.add(f.modified)}::timestamptz`);
  if (f.search?.trim()) w.push(`${TEXT_VECTOR(a)} @@ websearch_to_tsquery('simple'::regconfig, ${p.add(f.search)})`); // stix_object_text
  if (f.revoked !== undefined) w.push(`${a}.revoked = ${p.add(f.revoked)}`);
  if (f.distributions?.length) w.push(`${a}.distribution = ANY (${p.add(f.distributions)}::text[])`);
  if (f.groupIds?.length) w.push(`${a}.audience_group_id = ANY (${p.add(f.groupIds)}::uuid[])`);
  if (f.publishedByViewer !== undefined)
    w.push(`${a}.publisher_tenant_id ${f.publishedByViewer ? '=' : '<>'} ${p.add(scope.tenantId)}::uuid`); // stix_object_publisher_seq
  if (f.actorIds) {
    if (f.actorIds.length === 0) w.push('false');
    else {
      // stix_object_rel_source / stix_object_rel_target; the relationship itself must be visible.
      const actors = p.add(f.actorIds);
      w.push(`EXISTS (
        SELECT 1 FROM stix_object r
         WHERE r.type = 'relationship' AND NOT r.revoked AND ${visibleTo('r', scope, p)}
           AND ((r.doc->>'source_ref' = ${a}.id AND r.doc->>'target_ref' = ANY (${actors}::text[]))
             OR (r.doc->>'target_ref' = ${a}.id AND r.doc->>'source_ref' = ANY (${actors}::text[]))))`);
    }
  }
  return w;
}

/**
 * Threat actors and intrusion sets the viewer may see whose id, name or one of whose aliases is
 * `ref` (case-insensitive), plus those a visible `attributed-to` relationship links them to.
 */
export function actorIdsSql(scope: AccessScope, ref: string, p: SqlParams): string {
  const r = p.add(ref);
  return `
    WITH direct AS (
      SELECT DISTINCT o.id FROM stix_object o
       WHERE o.type IN ('threat-actor', 'intrusion-set') AND NOT o.revoked AND ${visibleTo('o', scope, p)}
         AND (o.id = ${r} OR lower(o.doc->>'name') = lower(${r})
              OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(o.doc->'aliases') = 'array' THEN o.doc->'aliases' ELSE '[]'::jsonb END) al
                          WHERE lower(al) = lower(${r})))
    )
    SELECT id FROM direct
    UNION
    SELECT linked.id FROM (SELECT CASE WHEN rel.doc->>'source_ref' = d.id THEN rel.doc->>'target_ref' ELSE rel.doc->>'source_ref' END
      FROM direct d JOIN stix_object rel
        ON rel.type = 'relationship' AND rel.doc->>'relationship_type' = 'attributed-to'
       AND (rel.doc->>'source_ref' = d.id OR rel.doc->>'target_ref' = d.id)
     WHERE NOT rel.revoked AND ${visibleTo('rel', scope, p)}) AS linked(id)
     WHERE linked.id LIKE 'threat-actor--%' OR linked.id LIKE 'intrusion-set--%'`;
}
