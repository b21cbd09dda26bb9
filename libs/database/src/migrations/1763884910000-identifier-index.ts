import { MigrationInterface, QueryRunner } from 'typeorm';

const AUDIENCE = 'publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients';

/**
 * The identifier index behind checkIdentifiers: one row per looked-up value of a stored object
 * version, keyed by (kind, normalised value) or (kind, 'hmac:<hex>') for protected identifiers; and
 * the references of relationships and sightings (REL_SOURCE / REL_TARGET / SIGHTING_OF, key = the
 * STIX id referred to), which row-level security would otherwise keep from using an index.
 * Each row carries a copy of its object's audience so that row-level security protects it by the
 * same rule as stix_object, without a join: the policy calls cairn_row_visible, the one SQL form of
 * the access rule (migration RowVisibleFunction1763884890000, which also moved stix_object's policy onto it).
 */
export class IdentifierIndex1763884910000 implements MigrationInterface {
  name = 'IdentifierIndex1763884910000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE observable_index (
        object_pk            bigint NOT NULL REFERENCES stix_object(pk) ON DELETE CASCADE,
        kind                 text NOT NULL CHECK (kind ~ '^[A-Z][A-Z0-9_]{1,31}$'),
        key                  text NOT NULL CHECK (length(key) BETWEEN 1 AND 600),
        publisher_tenant_id  uuid NOT NULL,
        distribution         text NOT NULL,
        audience_sectors     text[] NOT NULL,
        audience_countries   text[] NOT NULL,
        audience_group_id    uuid,
        audience_recipients  uuid[] NOT NULL,
        PRIMARY KEY (object_pk, kind, key)
      )`);
    // checkIdentifiers probes this with the (kind, key) pairs of the input.
    await q.query(`CREATE INDEX observable_index_kind_key ON observable_index (kind, key)`);
    // reindex deletes a publisher's rows.
    await q.query(`CREATE INDEX observable_index_publisher ON observable_index (publisher_tenant_id)`);

    // Index rows are written and deleted (reindex), never updated. The default privileges of
    // ObjectsAndRls granted SELECT, INSERT, UPDATE.
    await q.query(`REVOKE UPDATE ON observable_index FROM cairn_app`);
    await q.query(`GRANT DELETE ON observable_index TO cairn_app`);

    await q.query(`ALTER TABLE observable_index ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY observable_index_read ON observable_index FOR SELECT TO cairn_app USING (cairn_row_visible(${AUDIENCE}))`);
    await q.query(`
      CREATE POLICY observable_index_insert ON observable_index FOR INSERT TO cairn_app
        WITH CHECK (publisher_tenant_id = cairn_viewer_tenant())`);
    await q.query(`
      CREATE POLICY observable_index_delete ON observable_index FOR DELETE TO cairn_app
        USING (publisher_tenant_id = cairn_viewer_tenant())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE observable_index`);
  }
}
