import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sightings as facts a CISO can filter and count (sector + area cell, interview stage, role,
 * channel), one row per stored sighting version, protected by the same access rule; and the
 * NOTIFY that wakes every API instance when new feed rows commit.
 */
export class SightingsAndFeed1763884920000 implements MigrationInterface {
  name = 'SightingsAndFeed1763884920000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sighting_fact (
        feed_seq             bigint PRIMARY KEY REFERENCES stix_object(feed_seq),
        sighting_id          text NOT NULL,
        publisher_tenant_id  uuid NOT NULL REFERENCES tenant(id),
        distribution         text NOT NULL,
        audience_sectors     text[] NOT NULL,
        audience_countries   text[] NOT NULL,
        audience_group_id    uuid,
        audience_recipients  uuid[] NOT NULL,
        cell_sector          text NOT NULL,
        cell_area            text NOT NULL,
        subject_id           text NOT NULL,
        subject_type         text NOT NULL,
        first_seen           timestamptz NOT NULL,
        last_seen            timestamptz NOT NULL,
        count                integer NOT NULL CHECK (count >= 0),
        confidence           integer CHECK (confidence BETWEEN 0 AND 100),
        interview_stage      text,
        role_category        text,
        hiring_channel       text,
        date_added           timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sighting_fact_cell ON sighting_fact (cell_sector, cell_area, first_seen)`);
    await q.query(`CREATE INDEX sighting_fact_subject ON sighting_fact (subject_id)`);
    await q.query(`CREATE INDEX sighting_fact_first_seen ON sighting_fact (first_seen)`);
    await q.query(`ALTER TABLE sighting_fact ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY sighting_fact_read ON sighting_fact FOR SELECT TO cairn_app USING (
        cairn_row_visible(publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients)
      )`);
    await q.query(`
      CREATE POLICY sighting_fact_insert ON sighting_fact FOR INSERT TO cairn_app
        WITH CHECK (publisher_tenant_id = cairn_viewer_tenant())`);
    await q.query(`GRANT SELECT, INSERT ON sighting_fact TO cairn_app`);

    // Delivered at commit, so a woken instance always finds the rows committed.
    await q.query(`
      CREATE FUNCTION cairn_feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cairn_feed', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER stix_object_feed_notify AFTER INSERT ON stix_object
        FOR EACH STATEMENT EXECUTE FUNCTION cairn_feed_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER stix_object_feed_notify ON stix_object`);
    await q.query(`DROP FUNCTION cairn_feed_notify()`);
    await q.query(`DROP TABLE sighting_fact`);
  }
}
