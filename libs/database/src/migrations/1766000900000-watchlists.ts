import { MigrationInterface, QueryRunner } from 'typeorm';

const OWN = `tenant_id = cairn_viewer_tenant()`;

/**
 * Watchlists (issue 19): a member registers identifiers it cares about and is told when anyone
 * later publishes or sights a matching one, without learning who, and without the matcher learning
 * that anyone watches.
 *
 *  - watch_entry / watch_key: the member's entries (its own reference, an expiry) and, per entry,
 *    the HMAC-SHA-256 of each index key the value may be stored under (raw and protected): never
 *    the value. Row-level security: a tenant reads and writes only its own.
 *  - watch_outbox: one row per stored batch, written by intel's store hook in the storing
 *    statement whether or not anyone watches (a constant cost: publishing's timing says nothing).
 *    The API reaches it only through cairn_watch_take, which a matching pass calls in its own
 *    transaction, so a batch is matched exactly once, or again after a failed pass.
 *  - cairn_watch_candidates: the (entry, object version) pairs whose index keys hash to a watched
 *    key. SECURITY DEFINER, because matching must look past row-level security; the pass then keeps
 *    only the versions each watcher may see, through the visibility predicate as that watcher.
 *  - watch_hit: what a watcher was told (its reference, the identifier kind, the protected cell,
 *    the kind of event), never the publisher. webhook / webhook_delivery: signed deliveries of hits.
 */
export class Watchlists1766000900000 implements MigrationInterface {
  name = 'Watchlists1766000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE watch_entry (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id   uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        kind        text NOT NULL CHECK (kind ~ '^[A-Z][A-Z0-9_]{1,31}$'),
        reference   text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
        expires_at  timestamptz NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX watch_entry_tenant ON watch_entry (tenant_id, created_at DESC, id)`);
    await q.query(`
      CREATE TABLE watch_key (
        entry_id   uuid NOT NULL REFERENCES watch_entry(id) ON DELETE CASCADE,
        tenant_id  uuid NOT NULL,
        hash       bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (entry_id, hash)
      )`);
    await q.query(`CREATE INDEX watch_key_hash ON watch_key (hash)`);

    await q.query(`
      CREATE TABLE watch_outbox (
        id                   bigserial PRIMARY KEY,
        publisher_tenant_id  uuid NOT NULL,
        object_pks           bigint[] NOT NULL
      )`);

    await q.query(`
      CREATE TABLE watch_hit (
        id           bigserial PRIMARY KEY,
        tenant_id    uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        entry_id     uuid REFERENCES watch_entry(id) ON DELETE SET NULL,
        reference    text NOT NULL,
        kind         text NOT NULL,
        event        text NOT NULL CHECK (event IN ('PUBLISHED', 'SIGHTED')),
        object_pk    bigint NOT NULL,
        cell_sector  text,
        cell_area    text,
        hit_at       timestamptz NOT NULL DEFAULT now()
      )`);
    // One hit per entry, version and kind of event, however often a pass sees it.
    await q.query(`CREATE UNIQUE INDEX watch_hit_once ON watch_hit (entry_id, object_pk, event)`);
    await q.query(`CREATE INDEX watch_hit_tenant ON watch_hit (tenant_id, id)`);

    await q.query(`
      CREATE TABLE webhook (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id   uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        url         text NOT NULL CHECK (length(url) <= 2000),
        secret      text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_tenant ON webhook (tenant_id)`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id        uuid NOT NULL,
        webhook_id       uuid NOT NULL REFERENCES webhook(id) ON DELETE CASCADE,
        hit_id           bigint NOT NULL REFERENCES watch_hit(id) ON DELETE CASCADE,
        status           text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        last_status      integer,
        last_error       text,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX webhook_delivery_webhook ON webhook_delivery (webhook_id, created_at DESC)`);

    // Own rows only, for every table a member reaches; the outbox only through the functions below.
    for (const table of ['watch_entry', 'watch_key', 'watch_hit', 'webhook', 'webhook_delivery']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_own ON ${table} TO cairn_app USING (${OWN}) WITH CHECK (${OWN})`);
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO cairn_app`);
    }
    await q.query(`REVOKE UPDATE ON watch_key, watch_hit FROM cairn_app`);
    await q.query(`GRANT USAGE ON SEQUENCE watch_hit_id_seq TO cairn_app`);
    await q.query(`REVOKE ALL ON watch_outbox FROM cairn_app`);
    await q.query(`GRANT INSERT ON watch_outbox TO cairn_app`);
    await q.query(`GRANT USAGE ON SEQUENCE watch_outbox_id_seq TO cairn_app`);
    await q.query(`ALTER TABLE watch_outbox ENABLE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY watch_outbox_insert ON watch_outbox FOR INSERT TO cairn_app WITH CHECK (publisher_tenant_id = cairn_viewer_tenant())`,
    );
    // Wakes the matching pass of whichever instance listens; says nothing but "something was stored".
    await q.query(`
      CREATE FUNCTION cairn_watch_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cairn_watch_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER watch_outbox_notify AFTER INSERT ON watch_outbox FOR EACH STATEMENT EXECUTE FUNCTION cairn_watch_outbox_notify()`,
    );

    // Takes (deletes) up to p_limit outbox rows in the caller's transaction: a pass that fails
    // rolls back and the rows are taken again; concurrent passes skip each other's rows.
    await q.query(`
      CREATE FUNCTION cairn_watch_take(p_limit integer) RETURNS TABLE (object_pks bigint[])
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH taken AS (
          SELECT id FROM watch_outbox ORDER BY id LIMIT p_limit FOR UPDATE SKIP LOCKED
        )
        DELETE FROM watch_outbox o USING taken WHERE o.id = taken.id RETURNING o.object_pks
      $$`);
    // The watched entries whose keys the index rows of these versions hash to: an identifier row
    // of the version itself (PUBLISHED), or of what a sighting among them sights (SIGHTED), each
    // with the crowd cell the event's version was indexed under (its publisher's or sighter's). The hash
    // is HMAC-SHA-256 under the watch key, computed from its two padded blocks (p_inner, p_outer):
    // the key itself never reaches the database. The caller filters by visibility as each watcher.
    await q.query(`
      CREATE FUNCTION cairn_watch_candidates(p_object_pks bigint[], p_inner bytea, p_outer bytea)
      RETURNS TABLE (tenant_id uuid, entry_id uuid, object_pk bigint, via_pk bigint, event text, cell_sector text, cell_area text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH stored AS (SELECT unnest(p_object_pks) AS pk),
        identifiers AS (
          SELECT x.object_pk, x.object_pk AS via_pk, 'PUBLISHED'::text AS event, x.kind, x.key, x.cell_sector, x.cell_area
            FROM stored s JOIN observable_index x ON x.object_pk = s.pk
           WHERE x.kind NOT IN ('REL_SOURCE', 'REL_TARGET', 'SIGHTING_OF')
          UNION ALL
          SELECT t.pk, s.pk, 'SIGHTED', y.kind, y.key, r.cell_sector, r.cell_area
            FROM stored s
            JOIN observable_index r ON r.object_pk = s.pk AND r.kind = 'SIGHTING_OF'
            JOIN stix_object t ON t.id = r.key
            JOIN observable_index y ON y.object_pk = t.pk AND y.kind NOT IN ('REL_SOURCE', 'REL_TARGET', 'SIGHTING_OF')
        )
        SELECT DISTINCT k.tenant_id, k.entry_id, i.object_pk, i.via_pk, i.event, i.cell_sector, i.cell_area
          FROM identifiers i
          JOIN watch_key k ON k.hash = sha256(p_outer || sha256(p_inner || convert_to(i.kind || chr(1) || i.key, 'UTF8')))
          JOIN watch_entry e ON e.id = k.entry_id AND e.expires_at > now()
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_watch_take(integer) FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_watch_candidates(bigint[], bytea, bytea) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_watch_take(integer) TO cairn_app`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_watch_candidates(bigint[], bytea, bytea) TO cairn_app`);

    // Webhook deliveries that are due, across tenants, leased for p_lease so that no other
    // instance sends them meanwhile; the sender records each outcome as the delivery's tenant.
    await q.query(`
      CREATE FUNCTION cairn_webhook_claim(p_limit integer, p_lease interval)
      RETURNS TABLE (id uuid, tenant_id uuid, hit_id bigint, url text, secret text, attempts integer)
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH due AS (
          SELECT d.id FROM webhook_delivery d
           WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
           ORDER BY d.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED
        )
        UPDATE webhook_delivery d SET next_attempt_at = now() + p_lease, attempts = d.attempts + 1
          FROM due, webhook w
         WHERE d.id = due.id AND w.id = d.webhook_id
        RETURNING d.id, d.tenant_id, d.hit_id, w.url, w.secret, d.attempts
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_webhook_claim(integer, interval) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_webhook_claim(integer, interval) TO cairn_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION cairn_webhook_claim(integer, interval)`);
    await q.query(`DROP FUNCTION cairn_watch_candidates(bigint[], bytea, bytea)`);
    await q.query(`DROP FUNCTION cairn_watch_take(integer)`);
    await q.query(`DROP TABLE webhook_delivery, webhook, watch_hit, watch_outbox, watch_key, watch_entry`);
    await q.query(`DROP FUNCTION cairn_watch_outbox_notify()`);
  }
}
