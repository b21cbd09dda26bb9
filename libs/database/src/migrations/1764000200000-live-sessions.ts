import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every request with an access token asks whether its sign-in (`sid`, a refresh-token family) is
 * still live. Only live rows are indexed, so the answer is one index probe, and a revoked family
 * of thousands of rotations costs nothing to refuse.
 */
export class LiveSessions1764000200000 implements MigrationInterface {
  name = 'LiveSessions1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX refresh_token_family_live ON refresh_token (family_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refresh_token_family_live`);
  }
}
