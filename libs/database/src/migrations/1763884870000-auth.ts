import { MigrationInterface, QueryRunner } from 'typeorm';

/** People (app_user), their refresh-token families, and machine API keys. */
export class Auth1763884870000 implements MigrationInterface {
  name = 'Auth1763884870000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id      uuid NOT NULL REFERENCES tenant(id),
        -- Stored lower-case, so the plain unique index makes e-mails unique case-insensitively.
        email          text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254 AND email LIKE '_%@_%'),
        name           text NOT NULL DEFAULT '',
        password_hash  text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
        role           text NOT NULL CHECK (role IN ('admin', 'analyst', 'reader')),
        operator       boolean NOT NULL DEFAULT false,
        disabled       boolean NOT NULL DEFAULT false,
        failed_logins  integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
        locked_until   timestamptz,
        last_login_at  timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email ON app_user (email)`);
    await q.query(`CREATE INDEX app_user_tenant ON app_user (tenant_id, created_at)`);
    // The operator flag grants exchange-wide powers: the table itself refuses it outside the exchange tenant.
    await q.query(`
      CREATE FUNCTION app_user_operator_on_exchange() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.operator AND NOT EXISTS (SELECT 1 FROM tenant WHERE id = NEW.tenant_id AND kind = 'exchange') THEN
          RAISE EXCEPTION 'operator users belong to the exchange tenant only' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER app_user_operator_check BEFORE INSERT OR UPDATE OF operator, tenant_id ON app_user
        FOR EACH ROW WHEN (NEW.operator) EXECUTE FUNCTION app_user_operator_on_exchange()`);

    await q.query(`
      CREATE TABLE refresh_token (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id      uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        -- Every token rotated from one sign-in shares the family; re-use of a consumed one revokes it all.
        family_id    uuid NOT NULL,
        token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        expires_at   timestamptz NOT NULL,
        consumed_at  timestamptz,
        revoked_at   timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_token_family ON refresh_token (family_id)`);
    await q.query(`CREATE INDEX refresh_token_user_live ON refresh_token (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE api_key (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id           uuid NOT NULL REFERENCES tenant(id),
        name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        prefix              text NOT NULL UNIQUE CHECK (prefix ~ '^cairn_[A-Za-z0-9]{8}$'),
        -- SHA-256 of a 256-bit random secret: a slow hash adds nothing against guessing such a secret.
        secret_hash         text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
        -- tenant:admin is deliberately not grantable: administering people and keys needs a person.
        scopes              text[] NOT NULL CHECK (
                              cardinality(scopes) > 0
                              AND scopes <@ ARRAY['intel:read', 'intel:write', 'sightings:write', 'taxii:read', 'taxii:write']::text[]),
        expires_at          timestamptz,
        revoked_at          timestamptz,
        last_used_at        timestamptz,
        -- When apikey.used was last audited, so the log gets one line per key per hour, not one per request.
        used_audited_at     timestamptz,
        created_by_user_id  uuid REFERENCES app_user(id),
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_key_tenant ON api_key (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE refresh_token`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP FUNCTION app_user_operator_on_exchange()`);
  }
}
