import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Publishing: who owns an object id (for the one rule the API cannot check under row-level
 * security), and the indexes the object filters use.
 */
export class Publishing1763884900000 implements MigrationInterface {
  name = 'Publishing1763884900000';

  async up(q: QueryRunner): Promise<void> {
    // Only an object's publisher may version or revoke it. The API (cairn_app) cannot read other
    // tenants' rows, so this function, run with its owner's rights, answers just "which of these ids
    // has someone else published" — for SDOs, SROs and meta objects only (rows with `created`):
    // observables with deterministic ids legitimately come from many publishers, and answering for
    // them would tell whoever asks whether anyone holds a given e-mail address or phone number.
    await q.query(`
      CREATE FUNCTION cairn_ids_owned_by_others(ids text[]) RETURNS SETOF text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
          SELECT DISTINCT o.id
            FROM stix_object o
           WHERE cairn_viewer_tenant() IS NOT NULL
             AND o.id = ANY (ids)
             AND o.publisher_tenant_id <> cairn_viewer_tenant()
             AND o.doc ? 'created'
        $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_ids_owned_by_others(text[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_ids_owned_by_others(text[]) TO cairn_app`);

    // Text search over name and description (filter "search"); 'simple' because members write in many languages.
    await q.query(`
      CREATE INDEX stix_object_text ON stix_object USING gin (
        to_tsvector('simple'::regconfig, coalesce(doc->>'name', '') || ' ' || coalesce(doc->>'description', '')))`);
    // Filter "labels" (jsonb ?| text[]).
    await q.query(`CREATE INDEX stix_object_labels ON stix_object USING gin ((doc->'labels'))`);
    // Filter "actor": relationships by either end.
    await q.query(`CREATE INDEX stix_object_rel_source ON stix_object ((doc->>'source_ref')) WHERE type = 'relationship'`);
    await q.query(`CREATE INDEX stix_object_rel_target ON stix_object ((doc->>'target_ref')) WHERE type = 'relationship'`);
    // Filters "addedAfter"/"addedBefore" use the unique index on date_added; "modifiedAfter"/"Before" this one.
    await q.query(`CREATE INDEX stix_object_modified ON stix_object (modified)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX stix_object_modified`);
    await q.query(`DROP INDEX stix_object_rel_target`);
    await q.query(`DROP INDEX stix_object_rel_source`);
    await q.query(`DROP INDEX stix_object_labels`);
    await q.query(`DROP INDEX stix_object_text`);
    await q.query(`DROP FUNCTION cairn_ids_owned_by_others(text[])`);
  }
}
