import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TAXII 2.1: each tenant's collections, with ids that stay the same for as long as the tenant
 * follows the sector / belongs to the group (SIEMs are configured with them), and the status
 * resources of POSTed envelopes. Both belong to one tenant; row-level security says so again.
 */
export class Taxii1763884930000 implements MigrationInterface {
  name = 'Taxii1763884930000';

  async up(q: QueryRunner): Promise<void> {
    // gen_random_uuid() is UUIDv4, which SIEM connectors (Sentinel) insist on for collection ids.
    await q.query(`
      CREATE TABLE taxii_collection (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id  uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        kind       text NOT NULL CHECK (kind IN ('all', 'own', 'community', 'sector', 'group')),
        key        text NOT NULL DEFAULT '',
        title      text NOT NULL,
        created    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, kind, key)
      )`);
    await q.query(`
      CREATE TABLE taxii_status (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id          uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        collection_id      uuid NOT NULL REFERENCES taxii_collection(id) ON DELETE CASCADE,
        request_timestamp  timestamptz NOT NULL,
        resource           jsonb NOT NULL,
        created            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX taxii_status_tenant ON taxii_status (tenant_id, created)`);

    for (const table of ['taxii_collection', 'taxii_status']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_own ON ${table} TO cairn_app
        USING (tenant_id = cairn_viewer_tenant()) WITH CHECK (tenant_id = cairn_viewer_tenant())`);
    }
    // Status resources are written once; collections only get their title refreshed.
    await q.query(`REVOKE UPDATE ON taxii_status FROM cairn_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE taxii_status`);
    await q.query(`DROP TABLE taxii_collection`);
  }
}
