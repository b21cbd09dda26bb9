import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a publisher may know of its own row's audience, when that is less than the audience stored.
 * A row that references another member's data is stored with the exact intersection of the sharing
 * asked for and that member's audience, but its publisher is told only what it can know of the
 * latter (libs/intel audience/intersect.ts). When something references the row in turn, the
 * publisher's answers must again be decided on what it knows, not on the stored lists: otherwise one
 * publish followed by free previews gives back the oracle the narrowing rules close.
 *
 * `known_audience`: `{ "known": …, "shown": …, "named": bool }`, each audience as
 * `{ distribution, sectors, countries, groupId, recipients }` (publisher: the row's). NULL: the
 * publisher knows the stored audience whole (every row stored before this, whose audience its
 * publisher was told, and every row not narrowed by another member's data). Read only for the
 * publisher's own rows.
 */
export class AudienceKnowledge1766001200000 implements MigrationInterface {
  name = 'AudienceKnowledge1766001200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stix_object ADD COLUMN known_audience jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stix_object DROP COLUMN known_audience`);
  }
}
