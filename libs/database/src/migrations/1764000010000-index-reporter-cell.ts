import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each identifier-index row keeps the cell its publisher reported under when the version was
 * stored (a new version keeps the cell of the object's first), so a look-up describes a
 * publisher the same way for ever: recomputing it after a membership change would let anyone
 * intersect the old cell with the new one.
 */
export class IndexReporterCell1764000010000 implements MigrationInterface {
  name = 'IndexReporterCell1764000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE observable_index ADD COLUMN cell_sector text, ADD COLUMN cell_area text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE observable_index DROP COLUMN cell_sector, DROP COLUMN cell_area`);
  }
}
