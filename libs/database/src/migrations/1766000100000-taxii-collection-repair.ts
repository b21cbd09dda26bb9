import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Repair mode for TAXII POSTs, per collection (issue 16): an operator turns it on for the
 * collection a feed loader posts real-world releases to (CLI `taxii repair`); every other
 * collection stays strict. The flag belongs to the collection row, so row-level security already
 * confines it to the tenant; members cannot set it (no API writes it).
 */
export class TaxiiCollectionRepair1766000100000 implements MigrationInterface {
  name = 'TaxiiCollectionRepair1766000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE taxii_collection ADD COLUMN repair_on_post boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE taxii_collection DROP COLUMN repair_on_post`);
  }
}
