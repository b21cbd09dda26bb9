import type { EntityManager } from 'typeorm';
import { SqlParams, visibleTo, type AccessScope, type Audience } from '@cairn/access';
import type { TlpLevel } from '@cairn/tenancy';

/** One version of one object as stored. */
export interface StoredObject {
  pk: string;
  id: string;
  type: string;
  modified: string;
  tlp: TlpLevel;
  revoked: boolean;
  feedSeq: string;
  /** ISO 8601 with microseconds, unique and increasing across the exchange. */
  dateAdded: string;
  publishedByViewer: boolean;
  doc: Record<string, unknown>;
}

export interface NewObjectRow {
  id: string;
  type: string;
  modified: string;
  revoked: boolean;
  validUntil: string | null;
  doc: Record<string, unknown>;
}

export interface ObjectListQuery {
  types?: string[];
  ids?: string[];
  tlps?: string[];
  afterSeq?: string;
  limit: number;
}

const DATE_ADDED = `to_char(o.date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const COLUMNS = `o.pk::text AS pk, o.id, o.type, to_char(o.modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS modified,
  o.tlp, o.revoked, o.feed_seq::text AS "feedSeq", ${DATE_ADDED} AS "dateAdded", o.doc`;

/**
 * Inserts versions in one statement. Sequence numbers and date_added come from the single
 * feed_counter row, whose lock is held until the caller's transaction commits: numbers are
 * therefore handed out in commit order, and a reader that has seen N has seen everything below N.
 * An existing (id, publisher, modified) is left as it is. Returns the rows inserted.
 */
export async function insertObjects(m: EntityManager, audience: Audience, tlp: TlpLevel, rows: NewObjectRow[]): Promise<Array<{ id: string; modified: string; feedSeq: string }>> {
  if (rows.length === 0) return [];
  const p = new SqlParams();
  const n = p.add(rows.length);
  const data = p.add(JSON.stringify(rows.map((r, i) => ({ ord: i + 1, id: r.id, type: r.type, modified: r.modified, revoked: r.revoked, valid_until: r.validUntil, doc: r.doc }))));
  const sql = `
    WITH counter AS (
      UPDATE feed_counter
         SET last_seq = last_seq + ${n}::int,
             last_added = greatest(clock_timestamp() + (${n}::int - 1) * interval '1 microsecond',
                                   last_added + ${n}::int * interval '1 microsecond')
      RETURNING last_seq, last_added
    ), input AS (
      SELECT * FROM jsonb_to_recordset(${data}::jsonb)
        AS r(ord int, id text, type text, modified timestamptz, revoked boolean, valid_until timestamptz, doc jsonb)
    )
    INSERT INTO stix_object (id, type, modified, publisher_tenant_id, tlp, distribution, audience_sectors, audience_countries,
                             audience_group_id, audience_recipients, doc, feed_seq, date_added, revoked, valid_until)
    SELECT i.id, i.type, i.modified, ${p.add(audience.publisherTenantId)}::uuid, ${p.add(tlp)}, ${p.add(audience.distribution)},
           ${p.add(audience.sectors)}::text[], ${p.add(audience.countries)}::text[], ${p.add(audience.groupId)}::uuid, ${p.add(audience.recipients)}::uuid[],
           i.doc, c.last_seq - ${n}::int + i.ord, c.last_added - (${n}::int - i.ord) * interval '1 microsecond', i.revoked, i.valid_until
      FROM input i CROSS JOIN counter c
    ON CONFLICT (id, publisher_tenant_id, modified) DO NOTHING
    RETURNING id, to_char(modified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS modified, feed_seq::text AS "feedSeq"`;
  return m.query(sql, p.values);
}

/** A page of what `scope` may see, in feed order after `afterSeq`. Uses stix_object's feed_seq unique index (or type_seq). */
export async function listVisible(m: EntityManager, scope: AccessScope, q: ObjectListQuery): Promise<StoredObject[]> {
  const p = new SqlParams();
  const where = [visibleTo('o', scope, p)];
  if (q.afterSeq) where.push(`o.feed_seq > ${p.add(q.afterSeq)}::bigint`);
  if (q.types?.length) where.push(`o.type = ANY (${p.add(q.types)}::text[])`);
  if (q.ids?.length) where.push(`o.id = ANY (${p.add(q.ids)}::text[])`);
  if (q.tlps?.length) where.push(`o.tlp = ANY (${p.add(q.tlps)}::text[])`);
  const viewer = p.add(scope.tenantId);
  const rows = await m.query(
    `SELECT ${COLUMNS}, o.publisher_tenant_id = ${viewer}::uuid AS "publishedByViewer"
       FROM stix_object o
      WHERE ${where.join(' AND ')}
      ORDER BY o.feed_seq
      LIMIT ${p.add(q.limit)}`,
    p.values,
  );
  return rows as StoredObject[];
}
