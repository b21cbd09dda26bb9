import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Publishing checks a bundle before it takes the feed lock, and rechecks in one statement under the
 * lock that nothing it was checked against has changed since (PublishService, lockAndRecheck in
 * libs/intel): the lock is then held for the recheck and the insert only, not for the checks, the
 * planning and the app's work between them.
 *
 * cairn_refuse_if(changed) raises serialization_failure when `changed`, so that the statements
 * pipelined behind the recheck (the insert, the COMMIT) do not run; the API then publishes again
 * the old way, the lock taken before the checks. The recheck itself reads what row-level security
 * shows the publisher, and, for SDOs that another member may own, cairn_ids_owned_by_others, as the
 * check did: it learns nothing the check could not.
 */
export class PublishGuard1766001000000 implements MigrationInterface {
  name = 'PublishGuard1766001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION cairn_refuse_if(changed boolean) RETURNS void
        LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
          BEGIN
            IF changed THEN
              RAISE EXCEPTION 'cairn: what this write was checked against changed before it took the feed lock'
                USING ERRCODE = 'serialization_failure';
            END IF;
          END $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_refuse_if(boolean) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_refuse_if(boolean) TO cairn_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION cairn_refuse_if(boolean)`);
  }
}
