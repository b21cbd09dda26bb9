import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access rule as one SQL function, so every member-data table's RLS policy says it once.
 * LANGUAGE sql + STABLE and a single expression: PostgreSQL inlines it into the policy.
 */
export class RowVisibleFunction1763884890000 implements MigrationInterface {
  name = 'RowVisibleFunction1763884890000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION cairn_row_visible(publisher uuid, distribution text, sectors text[], countries text[], group_id uuid, recipients uuid[])
      RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT cairn_viewer_tenant() IS NOT NULL AND (
          publisher = cairn_viewer_tenant()
          OR (
            (cardinality(countries) = 0 OR current_setting('cairn.country', true) = ANY (countries))
            AND CASE distribution
              WHEN 'COMMUNITY' THEN true
              WHEN 'SECTOR' THEN sectors && cairn_viewer_list('cairn.sectors')
              WHEN 'SHARING_GROUP' THEN group_id::text = ANY (cairn_viewer_list('cairn.groups'))
              WHEN 'RECIPIENTS' THEN cairn_viewer_tenant() = ANY (recipients)
              ELSE false
            END
          )
        )
      $$`);
    await q.query(`DROP POLICY stix_object_read ON stix_object`);
    await q.query(`
      CREATE POLICY stix_object_read ON stix_object FOR SELECT TO cairn_app USING (
        cairn_row_visible(publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY stix_object_read ON stix_object`);
    await q.query(`DROP FUNCTION cairn_row_visible(uuid, text, text[], text[], uuid, uuid[])`);
  }
}
