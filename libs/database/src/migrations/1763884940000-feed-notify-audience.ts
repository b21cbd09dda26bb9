import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The feed NOTIFY says who the new rows are shared with (each distinct audience of the statement),
 * so an API instance wakes only the tenants that may see them instead of every tenant with a
 * subscriber. A payload near PostgreSQL's 8,000-byte limit is sent as '*': wake everyone.
 */
export class FeedNotifyAudience1763884940000 implements MigrationInterface {
  name = 'FeedNotifyAudience1763884940000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER stix_object_feed_notify ON stix_object`);
    await q.query(`
      CREATE OR REPLACE FUNCTION cairn_feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        payload text;
      BEGIN
        SELECT json_agg(a)::text INTO payload FROM (
          SELECT DISTINCT publisher_tenant_id AS p, distribution AS d, audience_sectors AS s,
                          audience_countries AS c, audience_group_id AS g, audience_recipients AS r
            FROM new_rows) a;
        IF payload IS NULL THEN
          RETURN NULL;
        END IF;
        PERFORM pg_notify('cairn_feed', CASE WHEN octet_length(payload) > 7900 THEN '*' ELSE payload END);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER stix_object_feed_notify AFTER INSERT ON stix_object
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION cairn_feed_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER stix_object_feed_notify ON stix_object`);
    await q.query(`
      CREATE OR REPLACE FUNCTION cairn_feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cairn_feed', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER stix_object_feed_notify AFTER INSERT ON stix_object
        FOR EACH STATEMENT EXECUTE FUNCTION cairn_feed_notify()`);
  }
}
