import { MigrationInterface, QueryRunner } from 'typeorm';

const OPERATOR = '(SELECT cairn_viewer_is_operator())';
const OWN_TENANT = `(tenant_id = cairn_viewer_tenant() OR ${OPERATOR})`;
const PRINCIPAL_COLUMNS = `u.id, u.email, u.name, u.role, u.operator, u.disabled, u.locked_until, u.last_login_at, u.created_at,
  t.id, t.slug, t.name, t.kind, t.status`;
const PRINCIPAL_TABLE = `user_id uuid, email text, name text, role text, operator boolean, disabled boolean, locked_until timestamptz,
  last_login_at timestamptz, created_at timestamptz, tenant_id uuid, tenant_slug text, tenant_name text, tenant_kind text, tenant_status text`;

/**
 * The account tables get the second lock too: app_user, api_key, refresh_token and audit_log are
 * readable and writable by the API role only for the viewer's own tenant; tenant rows are the
 * exchange directory (readable by all, as cell and recipient lookups and TenancyService.readScope
 * need — readScope sets the viewer in the statement that reads them) and writable for the own
 * tenant only. The exchange operator, who manages every tenant, is let through by a per-transaction
 * proof (below); sign-in, which must find a user or key before it knows the tenant, goes through
 * narrow SECURITY DEFINER lookups.
 *
 * Why the operator proof cannot be set by SQL the API role runs: the proof is an HMAC of this
 * backend and this transaction's start, under a key in cairn_private.trust_key, which the API role
 * cannot read (no right on the schema); cairn_viewer_is_operator() only answers yes or no. The key
 * reaches the trusted code path (DbTrust.asOperator, after the guard checked viewer.operator) from
 * the configuration, never from the database; a proof seen inside one transaction is worth nothing
 * in another. cairn.tenant_id, by contrast, remains a plain setting: it guards against app code
 * that forgets a predicate, as before, not against arbitrary SQL.
 */
export class AccountRls1764000300000 implements MigrationInterface {
  name = 'AccountRls1764000300000';

  async up(q: QueryRunner): Promise<void> {
    // PostgreSQL 15+ already does this; older servers let every role create objects in public,
    // which would let the API role shadow what the SECURITY DEFINER functions call.
    await q.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);

    await q.query(`CREATE SCHEMA cairn_private`);
    await q.query(`REVOKE ALL ON SCHEMA cairn_private FROM PUBLIC`);
    await q.query(`
      CREATE TABLE cairn_private.trust_key (
        id  boolean PRIMARY KEY DEFAULT true CHECK (id),
        key text NOT NULL CHECK (length(key) >= 32)
      )`);
    // The proof for this backend and transaction under `key`; the trusted path computes it with the
    // key as a statement parameter, cairn_viewer_is_operator() with the stored key.
    await q.query(`
      CREATE FUNCTION cairn_operator_proof(key text) RETURNS text LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        SELECT encode(hmac(pg_backend_pid()::text || ':' || extract(epoch FROM transaction_timestamp())::text, key, 'sha256'), 'hex')
      $$`);
    await q.query(`
      CREATE FUNCTION cairn_viewer_is_operator() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT coalesce((SELECT current_setting('cairn.operator', true) = cairn_operator_proof(k.key) FROM cairn_private.trust_key k), false)
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_viewer_is_operator() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_viewer_is_operator() TO cairn_app`);

    // Sign-in lookups, run with the owner's rights. Each answers for one exact value the caller
    // already holds — an e-mail typed at sign-in, the user id of a token Cairn signed, an API key's
    // prefix or id, the SHA-256 of a 256-bit refresh token — with no patterns and no listing, and
    // returns only what that sign-in step needs. SQL run as the API role gains nothing it could not
    // get by calling the sign-in endpoints, except the scrypt hash of an e-mail's password (which
    // sign-in must compare in the API) and the SHA-256 of a 256-bit key secret.
    await q.query(`
      CREATE FUNCTION cairn_auth_principal_by_email(p_email text) RETURNS TABLE (${PRINCIPAL_TABLE}, password_hash text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT ${PRINCIPAL_COLUMNS}, u.password_hash FROM app_user u JOIN tenant t ON t.id = u.tenant_id WHERE u.email = p_email
        $$`);
    await q.query(`
      CREATE FUNCTION cairn_auth_principal(p_user_id uuid) RETURNS TABLE (${PRINCIPAL_TABLE})
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT ${PRINCIPAL_COLUMNS} FROM app_user u JOIN tenant t ON t.id = u.tenant_id WHERE u.id = p_user_id
        $$`);
    // The same, only while the access token's sign-in (refresh-token family) is live: refresh_token_family_live.
    await q.query(`
      CREATE FUNCTION cairn_auth_session_principal(p_user_id uuid, p_session_id uuid) RETURNS TABLE (${PRINCIPAL_TABLE})
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT ${PRINCIPAL_COLUMNS} FROM app_user u JOIN tenant t ON t.id = u.tenant_id
           WHERE u.id = p_user_id
             AND EXISTS (SELECT 1 FROM refresh_token r WHERE r.family_id = p_session_id AND r.user_id = u.id AND r.revoked_at IS NULL)
        $$`);
    // Credentials of many tenants authenticated earlier, re-checked at once (WebSocket sweep, feed
    // deliveries): per input row, whether HTTP would still accept it, and the user's role and
    // operator flag now (tenant_pkey, api_key_pkey, app_user_pkey, refresh_token_family_live).
    await q.query(`
      CREATE FUNCTION cairn_auth_recheck(p_tenants uuid[], p_keys uuid[], p_users uuid[], p_sessions uuid[])
        RETURNS TABLE (i int, role text, operator boolean, ok boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT c.i::int, u.role, (u.operator AND t.kind = 'exchange'),
                 (t.status = 'active'
                  AND (c.key IS NULL OR (k.id IS NOT NULL AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())))
                  AND (c.usr IS NULL OR (u.id IS NOT NULL AND NOT u.disabled))
                  AND (c.sid IS NULL OR EXISTS (SELECT 1 FROM refresh_token r WHERE r.family_id = c.sid AND r.user_id = c.usr AND r.revoked_at IS NULL)))
            FROM unnest(p_tenants, p_keys, p_users, p_sessions) WITH ORDINALITY AS c(tenant, key, usr, sid, i)
            LEFT JOIN tenant t ON t.id = c.tenant
            LEFT JOIN api_key k ON k.id = c.key AND k.tenant_id = c.tenant
            LEFT JOIN app_user u ON u.id = c.usr AND u.tenant_id = c.tenant
        $$`);
    // api_key_prefix_key or api_key_pkey, + tenant_pkey; a NULL argument matches nothing.
    await q.query(`
      CREATE FUNCTION cairn_auth_api_key(p_prefix text, p_id uuid)
        RETURNS TABLE (id uuid, tenant_id uuid, scopes text[], secret_hash text, expires_at timestamptz, revoked_at timestamptz, tenant_status text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT k.id, k.tenant_id, k.scopes, k.secret_hash, k.expires_at, k.revoked_at, t.status
            FROM api_key k JOIN tenant t ON t.id = k.tenant_id WHERE k.prefix = p_prefix
          UNION ALL
          SELECT k.id, k.tenant_id, k.scopes, k.secret_hash, k.expires_at, k.revoked_at, t.status
            FROM api_key k JOIN tenant t ON t.id = k.tenant_id WHERE k.id = p_id
        $$`);
    await q.query(`
      CREATE FUNCTION cairn_auth_refresh_token_owner(p_token_hash text) RETURNS TABLE (user_id uuid, tenant_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT r.user_id, u.tenant_id FROM refresh_token r JOIN app_user u ON u.id = r.user_id WHERE r.token_hash = p_token_hash
        $$`);
    for (const fn of [
      'cairn_auth_principal_by_email(text)',
      'cairn_auth_principal(uuid)',
      'cairn_auth_session_principal(uuid, uuid)',
      'cairn_auth_recheck(uuid[], uuid[], uuid[], uuid[])',
      'cairn_auth_api_key(text, uuid)',
      'cairn_auth_refresh_token_owner(text)',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO cairn_app`);
    }

    await q.query(`ALTER TABLE tenant ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_directory ON tenant FOR SELECT TO cairn_app USING (true)`);
    await q.query(`CREATE POLICY tenant_insert ON tenant FOR INSERT TO cairn_app WITH CHECK (${OPERATOR})`);
    await q.query(`
      CREATE POLICY tenant_update ON tenant FOR UPDATE TO cairn_app
        USING (id = cairn_viewer_tenant() OR ${OPERATOR}) WITH CHECK (id = cairn_viewer_tenant() OR ${OPERATOR})`);

    for (const table of ['app_user', 'api_key']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_own_tenant ON ${table} TO cairn_app USING ${OWN_TENANT} WITH CHECK ${OWN_TENANT}`);
    }
    // A refresh token belongs to whoever may see its user: app_user's policy decides, inside the subquery.
    await q.query(`ALTER TABLE refresh_token ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY refresh_token_own_tenant ON refresh_token TO cairn_app
        USING (EXISTS (SELECT 1 FROM app_user u WHERE u.id = user_id)) WITH CHECK (EXISTS (SELECT 1 FROM app_user u WHERE u.id = user_id))`);

    // Entries without a tenant (a failed sign-in with an unknown e-mail) are appended by anyone and
    // read by the operator only; the table refuses updates and deletes for everyone (trigger).
    await q.query(`ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY audit_log_read ON audit_log FOR SELECT TO cairn_app USING ${OWN_TENANT}`);
    await q.query(`CREATE POLICY audit_log_append ON audit_log FOR INSERT TO cairn_app WITH CHECK (tenant_id IS NULL OR ${OWN_TENANT})`);

    // Only the table rights the API uses (ObjectsAndRls1763884880000 granted SELECT, INSERT, UPDATE on every table).
    await q.query(`REVOKE ALL ON typeorm_migrations FROM cairn_app`);
    await q.query(`REVOKE INSERT ON feed_counter FROM cairn_app`);
    await q.query(`REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM cairn_app`);
    await q.query(`GRANT DELETE ON sharing_group_member, observable_index TO cairn_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`GRANT INSERT ON feed_counter TO cairn_app`);
    await q.query(`GRANT SELECT ON typeorm_migrations TO cairn_app`);
    for (const table of ['audit_log', 'refresh_token', 'api_key', 'app_user', 'tenant']) {
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    for (const [policy, table] of [
      ['audit_log_append', 'audit_log'],
      ['audit_log_read', 'audit_log'],
      ['refresh_token_own_tenant', 'refresh_token'],
      ['api_key_own_tenant', 'api_key'],
      ['app_user_own_tenant', 'app_user'],
      ['tenant_update', 'tenant'],
      ['tenant_insert', 'tenant'],
      ['tenant_directory', 'tenant'],
    ]) {
      await q.query(`DROP POLICY ${policy} ON ${table}`);
    }
    for (const fn of [
      'cairn_auth_refresh_token_owner(text)',
      'cairn_auth_api_key(text, uuid)',
      'cairn_auth_session_principal(uuid, uuid)',
      'cairn_auth_recheck(uuid[], uuid[], uuid[], uuid[])',
      'cairn_auth_principal(uuid)',
      'cairn_auth_principal_by_email(text)',
      'cairn_viewer_is_operator()',
      'cairn_operator_proof(text)',
    ]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
    await q.query(`DROP SCHEMA cairn_private CASCADE`);
  }
}
