import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a tenant is (defaults, attribution, redaction), sharing groups, and the append-only audit log. */
export class TenancyAndAudit1763884860000 implements MigrationInterface {
  name = 'TenancyAndAudit1763884860000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant
        ADD COLUMN kind text NOT NULL DEFAULT 'member' CHECK (kind IN ('member', 'exchange')),
        ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        ADD COLUMN default_distribution text NOT NULL DEFAULT 'SECTOR'
          CHECK (default_distribution IN ('ORGANISATION', 'RECIPIENTS', 'SHARING_GROUP', 'SECTOR', 'COMMUNITY')),
        ADD COLUMN default_tlp text NOT NULL DEFAULT 'AMBER' CHECK (default_tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
        ADD COLUMN attribution text NOT NULL DEFAULT 'ANONYMOUS' CHECK (attribution IN ('ANONYMOUS', 'NAMED')),
        ADD COLUMN domains text[] NOT NULL DEFAULT '{}',
        ADD COLUMN redaction_terms text[] NOT NULL DEFAULT '{}',
        ADD COLUMN stix_identity_id text NOT NULL DEFAULT ('identity--' || gen_random_uuid()),
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    // At most one exchange (operator) tenant.
    await q.query(`CREATE UNIQUE INDEX tenant_one_exchange ON tenant (kind) WHERE kind = 'exchange'`);

    await q.query(`
      CREATE TABLE sharing_group (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name            text NOT NULL,
        owner_tenant_id uuid NOT NULL REFERENCES tenant(id),
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sharing_group_member (
        group_id  uuid NOT NULL REFERENCES sharing_group(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenant(id),
        added_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, tenant_id)
      )`);
    await q.query(`CREATE INDEX sharing_group_member_tenant ON sharing_group_member (tenant_id)`);

    await q.query(`
      CREATE TABLE audit_log (
        id            bigserial PRIMARY KEY,
        at            timestamptz NOT NULL DEFAULT clock_timestamp(),
        tenant_id     uuid REFERENCES tenant(id),
        actor_user_id uuid,
        actor_key_id  uuid,
        action        text NOT NULL,
        target_type   text,
        target_id     text,
        details       jsonb NOT NULL DEFAULT '{}',
        request_id    text
      )`);
    await q.query(`CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at DESC)`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at DESC)`);
    // Append-only, whoever connects: updates and deletes are refused by the table itself.
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE sharing_group_member`);
    await q.query(`DROP TABLE sharing_group`);
    await q.query(`DROP INDEX tenant_one_exchange`);
    await q.query(`
      ALTER TABLE tenant DROP COLUMN kind, DROP COLUMN status, DROP COLUMN default_distribution, DROP COLUMN default_tlp,
        DROP COLUMN attribution, DROP COLUMN domains, DROP COLUMN redaction_terms, DROP COLUMN stix_identity_id, DROP COLUMN updated_at`);
  }
}
