import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-tenant lookup quotas and the lookup volume audit (issue 14, item 9).
 *
 * One row per tenant holds its counters for the current minute and the current day (UTC, by the
 * database clock, so that every API instance counts into the same windows). The API charges a
 * call with one statement, `SELECT * FROM cairn_lookup_charge(…)`, outside the lookup's own
 * transaction: the row lock lasts that statement only, so concurrent lookups of one tenant do not
 * queue behind each other's lookup.
 *
 * When a minute is over, its counts become one `lookup.volume` audit entry for the tenant: written
 * by the tenant's next charge, or by cairn_lookup_close_windows(), which each API instance runs
 * every minute (SKIP LOCKED, so instances never write the same window twice).
 *
 * The API role reaches the table only through these SECURITY DEFINER functions: it can add to a
 * tenant's counters, never read or reset anyone's. Row-level security is enabled (with no policy
 * for cairn_app) as the second lock should a grant ever be added.
 */
export class LookupQuota1764000600000 implements MigrationInterface {
  name = 'LookupQuota1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lookup_usage (
        tenant_id            uuid PRIMARY KEY REFERENCES tenant(id) ON DELETE CASCADE,
        minute_start         timestamptz NOT NULL,
        minute_values        bigint NOT NULL DEFAULT 0,
        minute_refused       bigint NOT NULL DEFAULT 0,
        minute_calls         integer NOT NULL DEFAULT 0,
        minute_refused_calls integer NOT NULL DEFAULT 0,
        day_start            timestamptz NOT NULL,
        day_values           bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`REVOKE ALL ON lookup_usage FROM cairn_app`);
    await q.query(`ALTER TABLE lookup_usage ENABLE ROW LEVEL SECURITY`);

    // The closed minute of one row as an audit entry, if anything happened in it.
    await q.query(`
      CREATE FUNCTION cairn_lookup_volume_audit(u lookup_usage) RETURNS void LANGUAGE plpgsql
      SET search_path = public, pg_temp AS $$
      BEGIN
        IF u.minute_calls + u.minute_refused_calls = 0 THEN
          RETURN;
        END IF;
        INSERT INTO audit_log (tenant_id, action, target_type, details)
        VALUES (u.tenant_id, 'lookup.volume', 'lookup', jsonb_build_object(
          'windowStart', to_char(u.minute_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'windowEnd', to_char((u.minute_start + interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'values', u.minute_values,
          'refusedValues', u.minute_refused,
          'calls', u.minute_calls,
          'refusedCalls', u.minute_refused_calls));
      END $$`);

    // Charges one call of p_values distinct values against both quotas (0 = unlimited), atomically:
    // either both counters grow, or the call is refused and only the refusal is counted.
    await q.query(`
      CREATE FUNCTION cairn_lookup_charge(p_tenant uuid, p_values integer, p_per_minute bigint, p_per_day bigint)
      RETURNS TABLE (allowed boolean, quota text, quota_limit bigint, used bigint, resets_at timestamptz)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        u lookup_usage;
        this_minute timestamptz := date_trunc('minute', now(), 'UTC');
        today timestamptz := date_trunc('day', now(), 'UTC');
      BEGIN
        SELECT * INTO u FROM lookup_usage WHERE tenant_id = p_tenant FOR UPDATE;
        IF NOT FOUND THEN
          INSERT INTO lookup_usage (tenant_id, minute_start, day_start) VALUES (p_tenant, this_minute, today)
            ON CONFLICT (tenant_id) DO NOTHING;
          SELECT * INTO u FROM lookup_usage WHERE tenant_id = p_tenant FOR UPDATE;
        END IF;
        IF u.minute_start < this_minute THEN
          PERFORM cairn_lookup_volume_audit(u);
          u.minute_start := this_minute;
          u.minute_values := 0;
          u.minute_refused := 0;
          u.minute_calls := 0;
          u.minute_refused_calls := 0;
        END IF;
        IF u.day_start < today THEN
          u.day_start := today;
          u.day_values := 0;
        END IF;
        -- The day is named first when both are spent: retrying after the minute would not help.
        IF p_per_day > 0 AND u.day_values + p_values > p_per_day THEN
          quota := 'per-day'; quota_limit := p_per_day; used := u.day_values; resets_at := today + interval '1 day';
        ELSIF p_per_minute > 0 AND u.minute_values + p_values > p_per_minute THEN
          quota := 'per-minute'; quota_limit := p_per_minute; used := u.minute_values; resets_at := this_minute + interval '1 minute';
        END IF;
        allowed := quota IS NULL;
        IF allowed THEN
          u.minute_values := u.minute_values + p_values;
          u.day_values := u.day_values + p_values;
          u.minute_calls := u.minute_calls + 1;
        ELSE
          u.minute_refused := u.minute_refused + p_values;
          u.minute_refused_calls := u.minute_refused_calls + 1;
        END IF;
        UPDATE lookup_usage SET
          minute_start = u.minute_start, minute_values = u.minute_values, minute_refused = u.minute_refused,
          minute_calls = u.minute_calls, minute_refused_calls = u.minute_refused_calls,
          day_start = u.day_start, day_values = u.day_values
        WHERE tenant_id = p_tenant;
        RETURN NEXT;
      END $$`);

    // Audits every finished minute that no later charge has closed yet; returns how many.
    await q.query(`
      CREATE FUNCTION cairn_lookup_close_windows() RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        u lookup_usage;
        this_minute timestamptz := date_trunc('minute', now(), 'UTC');
        n integer := 0;
      BEGIN
        FOR u IN SELECT * FROM lookup_usage
                  WHERE minute_start < this_minute AND minute_calls + minute_refused_calls > 0
                  FOR UPDATE SKIP LOCKED LOOP
          PERFORM cairn_lookup_volume_audit(u);
          UPDATE lookup_usage SET minute_start = this_minute, minute_values = 0, minute_refused = 0, minute_calls = 0, minute_refused_calls = 0
           WHERE tenant_id = u.tenant_id;
          n := n + 1;
        END LOOP;
        RETURN n;
      END $$`);

    await q.query(`REVOKE ALL ON FUNCTION cairn_lookup_volume_audit(lookup_usage) FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_lookup_charge(uuid, integer, bigint, bigint) FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_lookup_close_windows() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_lookup_charge(uuid, integer, bigint, bigint) TO cairn_app`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_lookup_close_windows() TO cairn_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION cairn_lookup_close_windows()`);
    await q.query(`DROP FUNCTION cairn_lookup_charge(uuid, integer, bigint, bigint)`);
    await q.query(`DROP FUNCTION cairn_lookup_volume_audit(lookup_usage)`);
    await q.query(`DROP TABLE lookup_usage`);
  }
}
