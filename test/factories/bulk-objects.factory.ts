import type { Client } from 'pg';

/**
 * Appends stored versions number `from` to `to` - 1 set-based, in one statement, as the owner (`db`
 * must bypass row-level security): what a table of that size holds, without the cost of publishing
 * it. Everything follows from the row number: publisher (one of four), distribution (70 % COMMUNITY,
 * 5 % COMMUNITY narrowed to DE; 15 % SECTOR, two thirds insurance; 5 % RECIPIENTS the
 * reader; 5 % ORGANISATION), type (a quarter ipv4-addr, every second of them a copy of another
 * publisher's — one version several publishers stored), and versions (a twentieth are the newer
 * version of the row before). Used by the page benchmark and the page plan test.
 */
export async function generateObjects(db: Client, from: number, to: number, publishers: string[], reader: string): Promise<void> {
  const n = to - from;
  await db.query(
    `WITH c AS (
       UPDATE feed_counter SET last_seq = last_seq + $3::int, last_added = greatest(clock_timestamp(), last_added) + $3::int * interval '1 microsecond'
       RETURNING last_seq - $3::int AS base_seq, last_added - $3::int * interval '1 microsecond' AS base_added
     ), g AS (
       SELECT i, i % 20 AS d, (i % 4 = 0) AS obs,
              -- every 8th row is a copy of the 4th before it by another publisher (deterministic observable id)
              CASE WHEN i % 4 = 0 THEN 'ipv4-addr--' || uuid_in(md5('obs' || (i / 8))::cstring)::text
                   WHEN i % 20 = 11 THEN 'indicator--' || uuid_in(md5('ind' || (i - 1))::cstring)::text
                   ELSE 'indicator--' || uuid_in(md5('ind' || i)::cstring)::text END AS id,
              $4::uuid[] AS pubs
         FROM generate_series($1::int, $2::int - 1) g(i)
     )
     INSERT INTO stix_object (id, type, modified, publisher_tenant_id, tlp, distribution, audience_sectors, audience_countries, audience_recipients, doc, feed_seq, date_added)
     SELECT g.id, CASE WHEN g.obs THEN 'ipv4-addr' ELSE 'indicator' END,
            CASE WHEN g.obs THEN timestamptz '1970-01-01' WHEN g.d = 11 THEN timestamptz '2025-02-01' ELSE timestamptz '2025-01-01' END,
            g.pubs[1 + (g.i / 4) % 4],
            CASE WHEN g.d IN (17, 18) THEN 'AMBER' ELSE 'GREEN' END,
            CASE WHEN g.d IN (14, 15, 16) THEN 'SECTOR' WHEN g.d = 17 THEN 'RECIPIENTS' WHEN g.d = 18 THEN 'ORGANISATION' ELSE 'COMMUNITY' END,
            CASE WHEN g.d IN (14, 15) THEN ARRAY['insurance'] WHEN g.d = 16 THEN ARRAY['healthcare'] ELSE '{}' END,
            CASE WHEN g.d = 19 THEN ARRAY['DE'] ELSE '{}' END,
            CASE WHEN g.d = 17 THEN ARRAY[$5::uuid] ELSE '{}' END,
            CASE WHEN g.obs THEN jsonb_build_object('type', 'ipv4-addr', 'spec_version', '2.1', 'id', g.id, 'value', '10.' || (g.i / 8 / 65536 % 256) || '.' || (g.i / 8 / 256 % 256) || '.' || (g.i / 8 % 256))
                 ELSE jsonb_build_object('type', 'indicator', 'spec_version', '2.1', 'id', g.id, 'created', '2025-01-01T00:00:00.000Z',
                        'modified', CASE WHEN g.d = 11 THEN '2025-02-01T00:00:00.000Z' ELSE '2025-01-01T00:00:00.000Z' END,
                        'name', 'Laptop farm exit ' || g.i, 'description', 'VPN exit used by a laptop farm hosting remote IT workers', 'labels', jsonb_build_array('laptop-farm'),
                        'pattern', '[ipv4-addr:value = ''10.' || (g.i / 65536 % 256) || '.' || (g.i / 256 % 256) || '.' || (g.i % 256) || ''']', 'pattern_type', 'stix',
                        'valid_from', '2025-01-01T00:00:00Z', 'object_marking_refs', jsonb_build_array('marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb')) END,
            c.base_seq + 1 + g.i - $1::int, c.base_added + (1 + g.i - $1::int) * interval '1 microsecond'
       FROM g CROSS JOIN c`,
    [from, to, n, publishers, reader],
  );
}
