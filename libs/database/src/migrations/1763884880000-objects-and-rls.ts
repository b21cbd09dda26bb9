import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Member intelligence: one row per (STIX id, publisher, modified) version, with the columns the
 * access rule and the feed read. Row-level security applies the access rule a second time, for
 * the non-owner role `cairn_app` that the API runs as.
 */
export class ObjectsAndRls1763884880000 implements MigrationInterface {
  name = 'ObjectsAndRls1763884880000';

  async up(q: QueryRunner): Promise<void> {
    // The role is cluster-wide; creating it needs CREATEROLE (the embedded superuser has it).
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cairn_app') THEN
          CREATE ROLE cairn_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      END $$`);
    // Lets the owner connection switch to cairn_app (PostgreSQL 16+ no longer implies it). Skipped
    // when a DBA created cairn_app and already granted it, so an owner without ADMIN OPTION on it
    // passes (README "Database privileges").
    await q.query(`
      DO $$ BEGIN
        IF NOT pg_has_role(current_user, 'cairn_app', 'USAGE') THEN
          GRANT cairn_app TO CURRENT_USER;
        END IF;
      END $$`);

    // Feed order: one counter row, locked by each writer until it commits, so sequence numbers
    // are handed out in commit order and a reader never sees seq N+1 before seq N is visible.
    await q.query(`
      CREATE TABLE feed_counter (
        id         boolean PRIMARY KEY DEFAULT true CHECK (id),
        last_seq   bigint NOT NULL DEFAULT 0,
        last_added timestamptz NOT NULL DEFAULT '-infinity'
      )`);
    await q.query(`INSERT INTO feed_counter DEFAULT VALUES`);

    await q.query(`
      CREATE TABLE stix_object (
        pk                   bigserial PRIMARY KEY,
        id                   text NOT NULL,
        type                 text NOT NULL,
        modified             timestamptz NOT NULL,
        publisher_tenant_id  uuid NOT NULL REFERENCES tenant(id),
        tlp                  text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
        distribution         text NOT NULL CHECK (distribution IN ('ORGANISATION', 'RECIPIENTS', 'SHARING_GROUP', 'SECTOR', 'COMMUNITY')),
        audience_sectors     text[] NOT NULL DEFAULT '{}',
        audience_countries   text[] NOT NULL DEFAULT '{}',
        audience_group_id    uuid REFERENCES sharing_group(id),
        audience_recipients  uuid[] NOT NULL DEFAULT '{}',
        doc                  jsonb NOT NULL,
        feed_seq             bigint NOT NULL UNIQUE,
        date_added           timestamptz NOT NULL UNIQUE,
        revoked              boolean NOT NULL DEFAULT false,
        valid_until          timestamptz,
        CHECK (tlp <> 'RED' OR distribution IN ('ORGANISATION', 'RECIPIENTS')),
        CHECK ((distribution = 'SHARING_GROUP') = (audience_group_id IS NOT NULL)),
        UNIQUE (id, publisher_tenant_id, modified)
      )`);
    await q.query(`CREATE INDEX stix_object_type_seq ON stix_object (type, feed_seq)`);
    await q.query(`CREATE INDEX stix_object_publisher_seq ON stix_object (publisher_tenant_id, feed_seq)`);
    await q.query(`CREATE INDEX stix_object_sectors ON stix_object USING gin (audience_sectors)`);

    // Tables and sequences created by later migrations are usable by the API role by default;
    // member-data tables add row-level security of their own.
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO cairn_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cairn_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO cairn_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cairn_app`);
    await q.query(`REVOKE UPDATE ON audit_log, typeorm_migrations FROM cairn_app`);
    await q.query(`REVOKE INSERT ON typeorm_migrations FROM cairn_app`);
    await q.query(`GRANT DELETE ON sharing_group_member TO cairn_app`);

    // The viewer of the current transaction, set by the API with set_config(…, true) per transaction.
    await q.query(`
      CREATE FUNCTION cairn_viewer_tenant() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('cairn.tenant_id', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION cairn_viewer_list(name text) RETURNS text[] LANGUAGE sql STABLE AS
        $$ SELECT coalesce(string_to_array(nullif(current_setting(name, true), ''), ','), '{}') $$`);

    // The same rule as libs/access/src/visibility.ts, written independently in SQL.
    await q.query(`ALTER TABLE stix_object ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY stix_object_read ON stix_object FOR SELECT TO cairn_app USING (
        cairn_viewer_tenant() IS NOT NULL AND (
          publisher_tenant_id = cairn_viewer_tenant()
          OR (
            (cardinality(audience_countries) = 0 OR current_setting('cairn.country', true) = ANY (audience_countries))
            AND CASE distribution
              WHEN 'COMMUNITY' THEN true
              WHEN 'SECTOR' THEN audience_sectors && cairn_viewer_list('cairn.sectors')
              WHEN 'SHARING_GROUP' THEN audience_group_id::text = ANY (cairn_viewer_list('cairn.groups'))
              WHEN 'RECIPIENTS' THEN cairn_viewer_tenant() = ANY (audience_recipients)
              ELSE false
            END
          )
        )
      )`);
    await q.query(`
      CREATE POLICY stix_object_insert ON stix_object FOR INSERT TO cairn_app
        WITH CHECK (publisher_tenant_id = cairn_viewer_tenant())`);
    await q.query(`
      CREATE POLICY stix_object_update ON stix_object FOR UPDATE TO cairn_app
        USING (publisher_tenant_id = cairn_viewer_tenant())
        WITH CHECK (publisher_tenant_id = cairn_viewer_tenant())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stix_object`);
    await q.query(`DROP TABLE feed_counter`);
    await q.query(`DROP FUNCTION cairn_viewer_list(text)`);
    await q.query(`DROP FUNCTION cairn_viewer_tenant()`);
  }
}
