import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of stix_object by audience, in feed order (issue 18: pages must cost what their rows
 * cost, whatever the table's size).
 *
 * The visibility rule is an OR over the publisher, the distribution and its sectors, group or
 * recipients, narrowed by countries: no b-tree can walk it in feed order, so a page had to find
 * and sort everything visible. Here each stored version gets its audience keys, one row each in
 * stix_object_audience (key, type, feed_seq):
 *
 *   p:<publisher>                         the publisher itself
 *   <kind>@<country> or <kind>@*          kind c (COMMUNITY), s:<sector>, g:<group>, r:<recipient>;
 *                                         @* when not narrowed by country, else one per country
 *
 * A viewer's keys (audienceKeys in libs/access) are p:<itself> and each of c, s:<its sectors>,
 * g:<its groups>, r:<itself> at @* and @<its country>, so a version has a key of the viewer's
 * exactly when visibleTo lets it see the version. A page reads, per viewer key, an index range
 * (key[, type], feed_seq > position) of at most `limit` rows and merges them. It is an access path
 * only: every read still applies visibleTo (and row-level security), so a key too many could
 * never show anything; a key too few would only shorten a page (the access tests compare every
 * object × viewer pair).
 *
 * Keys are written by a statement trigger from the inserted rows (set-based, one INSERT per
 * statement), as the owner (SECURITY DEFINER): the API role can read the index but not write it.
 * Reading is restricted by row-level security to keys of versions the viewer may see (the
 * stix_object policy, through the subquery), so the index reveals nothing stix_object does not.
 *
 * Statistics (the cliff of issue 18: 10,000 new rows in a 128,000-row table stay under the default
 * autoanalyze threshold, and the planner, estimating one row, chose a plan 130 times slower):
 * analyse both tables after a fixed number of changed rows rather than a tenth of the table.
 */
export class AudienceKeys1766000500000 implements MigrationInterface {
  name = 'AudienceKeys1766000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION cairn_audience_keys(publisher uuid, distribution text, sectors text[], countries text[], group_id uuid, recipients uuid[])
      RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT ARRAY['p:' || publisher::text] || coalesce((
          SELECT array_agg(k.kind || '@' || c.country ORDER BY k.kind, c.country)
            FROM unnest(CASE distribution
                   WHEN 'COMMUNITY' THEN ARRAY['c']
                   WHEN 'SECTOR' THEN ARRAY(SELECT 's:' || s FROM unnest(sectors) s)
                   WHEN 'SHARING_GROUP' THEN ARRAY['g:' || group_id::text]
                   WHEN 'RECIPIENTS' THEN ARRAY(SELECT 'r:' || r::text FROM unnest(recipients) r)
                   ELSE '{}'::text[] END) AS k(kind)
           CROSS JOIN unnest(CASE WHEN cardinality(countries) = 0 THEN ARRAY['*'] ELSE countries END) AS c(country)
        ), '{}')
      $$`);
    await q.query(`
      CREATE TABLE stix_object_audience (
        key       text NOT NULL,
        type      text NOT NULL,
        feed_seq  bigint NOT NULL,
        PRIMARY KEY (key, feed_seq)
      )`);
    await q.query(`CREATE INDEX stix_object_audience_type ON stix_object_audience (key, type, feed_seq)`);
    await q.query(`
      INSERT INTO stix_object_audience (key, type, feed_seq)
      SELECT k, o.type, o.feed_seq FROM stix_object o,
             unnest(cairn_audience_keys(o.publisher_tenant_id, o.distribution, o.audience_sectors, o.audience_countries, o.audience_group_id, o.audience_recipients)) k`);

    // search_path pinned: a SECURITY DEFINER function must not resolve names through the caller's path.
    await q.query(`
      CREATE FUNCTION cairn_index_audience_insert() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO stix_object_audience (key, type, feed_seq)
        SELECT k, n.type, n.feed_seq FROM new_rows n,
               unnest(cairn_audience_keys(n.publisher_tenant_id, n.distribution, n.audience_sectors, n.audience_countries, n.audience_group_id, n.audience_recipients)) k;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION cairn_index_audience_update() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        DELETE FROM stix_object_audience a USING old_rows o WHERE a.feed_seq = o.feed_seq;
        INSERT INTO stix_object_audience (key, type, feed_seq)
        SELECT k, n.type, n.feed_seq FROM new_rows n,
               unnest(cairn_audience_keys(n.publisher_tenant_id, n.distribution, n.audience_sectors, n.audience_countries, n.audience_group_id, n.audience_recipients)) k;
        RETURN NULL;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_index_audience_insert() FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_index_audience_update() FROM PUBLIC`);
    await q.query(`
      CREATE TRIGGER stix_object_audience_insert AFTER INSERT ON stix_object
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cairn_index_audience_insert()`);
    await q.query(`
      CREATE TRIGGER stix_object_audience_update AFTER UPDATE ON stix_object
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cairn_index_audience_update()`);

    // Read-only to the API role (the default privileges granted it INSERT and UPDATE too).
    await q.query(`REVOKE ALL ON stix_object_audience FROM cairn_app`);
    await q.query(`GRANT SELECT ON stix_object_audience TO cairn_app`);
    await q.query(`ALTER TABLE stix_object_audience ENABLE ROW LEVEL SECURITY`);
    // A scalar subquery, not EXISTS: the planner may turn an EXISTS into one hashed scan of every
    // visible row per statement, which is what this index is here to avoid; this stays one probe
    // of the feed_seq index per entry read.
    await q.query(`
      CREATE POLICY stix_object_audience_read ON stix_object_audience FOR SELECT TO cairn_app USING (
        coalesce((SELECT true FROM stix_object o WHERE o.feed_seq = stix_object_audience.feed_seq), false)
      )`);

    for (const table of ['stix_object', 'stix_object_audience']) {
      await q.query(`ALTER TABLE ${table} SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['stix_object', 'stix_object_audience'])
      await q.query(`ALTER TABLE ${table} RESET (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)`);
    await q.query(`DROP TRIGGER stix_object_audience_update ON stix_object`);
    await q.query(`DROP TRIGGER stix_object_audience_insert ON stix_object`);
    await q.query(`DROP FUNCTION cairn_index_audience_update()`);
    await q.query(`DROP FUNCTION cairn_index_audience_insert()`);
    await q.query(`DROP TABLE stix_object_audience`);
    await q.query(`DROP FUNCTION cairn_audience_keys(uuid, text, text[], text[], uuid, uuid[])`);
  }
}
