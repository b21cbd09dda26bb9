import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Publishing checks a bundle before it takes the feed lock, and rechecks in one statement under the
 * lock that nothing it was checked against has changed since (PublishService): the lock is then held
 * for the recheck and the insert only, not for the checks, the planning and the app's work between them.
 *
 *  - cairn_changed_since(head, own_ids, owned_ids): whether, after feed sequence number `head`,
 *    the viewer stored a version of any of `own_ids`, or anyone else a version of any of
 *    `owned_ids` (SDOs and SROs: one owner each, so another's version makes the id NOT_OWNER).
 *    SECURITY DEFINER, because row-level security hides that other member's version; it answers
 *    one boolean, and only the API role may call it. One probe of the (id, publisher, modified)
 *    index per id, whatever the table's size or how much was stored since.
 *  - cairn_refuse_if(changed): raises serialization_failure when `changed`, so that the statements
 *    pipelined behind the recheck (the insert, the COMMIT) do not run; the API then publishes again
 *    the old way, the lock taken before the checks.
 */
export class PublishGuard1766001000000 implements MigrationInterface {
  name = 'PublishGuard1766001000000';

  async up(q: QueryRunner): Promise<void> {
    // One index probe per id (LATERAL … LIMIT 1 keeps each a probe): a join the planner is free to
    // choose went, for a 10,000-id bundle, to a nested loop over every row stored since `head`
    // times every id — seconds, under the feed lock.
    await q.query(`
      CREATE FUNCTION cairn_changed_since(head bigint, own_ids text[], owned_ids text[]) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT cairn_viewer_tenant() IS NOT NULL AND (
            EXISTS (SELECT 1 FROM unnest(own_ids) AS i(id)
                     CROSS JOIN LATERAL (SELECT 1 FROM stix_object o
                                          WHERE o.id = i.id AND o.publisher_tenant_id = cairn_viewer_tenant() AND o.feed_seq > head
                                          LIMIT 1) x)
            OR EXISTS (SELECT 1 FROM unnest(owned_ids) AS i(id)
                        CROSS JOIN LATERAL (SELECT 1 FROM stix_object o
                                             WHERE o.id = i.id AND o.publisher_tenant_id <> cairn_viewer_tenant() AND o.feed_seq > head
                                             LIMIT 1) x))
        $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_changed_since(bigint, text[], text[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_changed_since(bigint, text[], text[]) TO cairn_app`);
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
    await q.query(`DROP FUNCTION cairn_changed_since(bigint, text[], text[])`);
  }
}
