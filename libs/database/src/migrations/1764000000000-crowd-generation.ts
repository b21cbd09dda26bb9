import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter that moves whenever the membership that small-crowd cells are computed from changes
 * (a tenant joins, leaves, is suspended or changes country or sectors). A writer placing a
 * sighting reads it in its own transaction, one row, and recomputes the cells when it moved — so
 * no instance places a member in a cell from a membership that is no longer true.
 */
export class CrowdGeneration1764000000000 implements MigrationInterface {
  name = 'CrowdGeneration1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE crowd_generation (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), generation bigint NOT NULL)`);
    await q.query(`INSERT INTO crowd_generation (generation) VALUES (1)`);
    await q.query(`
      CREATE FUNCTION cairn_crowd_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE crowd_generation SET generation = generation + 1;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tenant_crowd_changed AFTER INSERT OR DELETE OR UPDATE OF country, sectors, status, kind ON tenant
        FOR EACH STATEMENT EXECUTE FUNCTION cairn_crowd_changed()`);
    await q.query(`GRANT SELECT, UPDATE ON crowd_generation TO cairn_app`);
    // A new version of a sighting keeps the cell of its first (SightingFactsHook).
    await q.query(`CREATE INDEX sighting_fact_sighting ON sighting_fact (sighting_id, feed_seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sighting_fact_sighting`);
    await q.query(`DROP TRIGGER tenant_crowd_changed ON tenant`);
    await q.query(`DROP FUNCTION cairn_crowd_changed()`);
    await q.query(`DROP TABLE crowd_generation`);
  }
}
