import { SqlParams, visibleTo, type AccessScope } from '@cairn/access';
// The one place object filters become SQL (shared with GraphQL objects(filter)); libs/intel's
// index does not re-export it yet, hence the path.
import { SHOWN_VERSION_SQL, filterConditions, type ObjectFilterSql } from '@cairn/intel';
import type { TaxiiQuery } from '../taxii-query';

const DATE_ADDED = `to_char(o.date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const SPEC_VERSION = `coalesce(o.doc->>'spec_version', '2.1')`;

export interface TaxiiSqlOptions {
  /** Include the STIX documents (objects endpoints) or not (manifest, versions). */
  withDoc: boolean;
}

/**
 * One page of a collection, in feed order (stix_object feed_seq unique index; date_added grows
 * with it). "The collection" is every stored row the viewer may see (visibleTo) that matches the
 * collection's filter; match[...] filters narrow it. A version (id, modified) that several
 * publishers stored (deterministic observable ids) is served once, as the earliest such row in the
 * collection: a later copy never displaces one a client has already paged past, so paging with
 * `next` or `added_after` serves it exactly once. match[version] first/last are decided over the
 * whole collection (not just this page or what came after added_after).
 */
export function taxiiPageSql(scope: AccessScope, collection: ObjectFilterSql, q: TaxiiQuery, opts: TaxiiSqlOptions, p: SqlParams): string {
  const inCollection = (a: string) => [visibleTo(a, scope, p), ...filterConditions(a, scope, collection, p)].join(' AND ');
  const where = [
    visibleTo('o', scope, p),
    ...filterConditions('o', scope, { ...collection, types: q.types, ids: q.ids, addedAfter: q.addedAfter }, p),
  ];
  if (q.specVersions) where.push(`${SPEC_VERSION} = ANY (${p.add(q.specVersions)}::text[])`);
  if (q.afterSeq) where.push(`o.feed_seq > ${p.add(q.afterSeq)}::bigint`);
  // Unique (id, publisher_tenant_id, modified) index: the few copies of one id.
  where.push(`NOT EXISTS (SELECT 1 FROM stix_object d WHERE d.id = o.id AND d.modified = o.modified AND d.feed_seq < o.feed_seq AND ${inCollection('d')})`);
  const v = q.versions;
  if (!v.all) {
    const any: string[] = [];
    if (v.last) any.push(`NOT EXISTS (SELECT 1 FROM stix_object n WHERE n.id = o.id AND n.modified > o.modified AND ${inCollection('n')})`);
    if (v.first) any.push(`NOT EXISTS (SELECT 1 FROM stix_object n WHERE n.id = o.id AND n.modified < o.modified AND ${inCollection('n')})`);
    if (v.at.length) any.push(`o.modified = ANY (${p.add(v.at)}::timestamptz[])`);
    where.push(`(${any.join(' OR ')})`);
  }
  return `
    SELECT o.feed_seq::text AS seq, o.id, ${DATE_ADDED} AS "dateAdded", ${SHOWN_VERSION_SQL} AS version, ${SPEC_VERSION} AS "specVersion",
           o.tlp, o.publisher_tenant_id = ${p.add(scope.tenantId)}::uuid AS "ownRow"${opts.withDoc ? ', o.doc' : ''}
      FROM stix_object o
     WHERE ${where.join('\n       AND ')}
     ORDER BY o.feed_seq
     LIMIT ${p.add(q.limit + 1)}`;
}

/** Whether any version of `id` is in the collection (unique (id, publisher, modified) index). */
export function taxiiObjectExistsSql(scope: AccessScope, collection: ObjectFilterSql, id: string, p: SqlParams): string {
  const where = [visibleTo('o', scope, p), ...filterConditions('o', scope, { ...collection, ids: [id] }, p)];
  return `SELECT EXISTS (SELECT 1 FROM stix_object o WHERE ${where.join(' AND ')}) AS found`;
}
