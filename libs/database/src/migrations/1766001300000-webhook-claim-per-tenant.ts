import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook deliveries are claimed per tenant. cairn_webhook_claim took the 50 most overdue
 * deliveries of any tenants, and the sender sent the next ones only when all 50 had answered: one
 * member's receivers, holding their answers up to the send timeout, held up every other member's
 * deliveries, and a watcher holding its own in flight could see one of them pushed back exactly
 * when another member's delivery was due at the same moment (whether anyone else watches a value).
 * cairn_webhook_claim_per_tenant takes at most p_per_tenant due deliveries of each tenant that is
 * not in p_busy (the tenants whose deliveries already fill their share of this sender), so that a
 * tenant's deliveries wait only for its own. The tenants are found by a skip scan, one index probe
 * per tenant with pending deliveries, so that one member's backlog does not make every claim scan it.
 */
export class WebhookClaimPerTenant1766001300000 implements MigrationInterface {
  name = 'WebhookClaimPerTenant1766001300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_delivery_tenant_due ON webhook_delivery (tenant_id, next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`
      CREATE FUNCTION cairn_webhook_claim_per_tenant(p_per_tenant integer, p_busy uuid[], p_lease interval)
      RETURNS TABLE (id uuid, tenant_id uuid, hit_id bigint, url text, secret text, attempts integer)
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        -- The tenants with pending deliveries, one index probe each (a skip scan of
        -- webhook_delivery_tenant_due): a member's backlog costs its own claims, not everyone's.
        WITH RECURSIVE pending(tenant_id) AS (
          (SELECT d.tenant_id FROM webhook_delivery d WHERE d.status = 'PENDING' ORDER BY d.tenant_id LIMIT 1)
          UNION ALL
          SELECT (SELECT d.tenant_id FROM webhook_delivery d
                   WHERE d.status = 'PENDING' AND d.tenant_id > p.tenant_id ORDER BY d.tenant_id LIMIT 1)
            FROM pending p WHERE p.tenant_id IS NOT NULL
        ),
        tenants AS (
          SELECT p.tenant_id FROM pending p WHERE p.tenant_id IS NOT NULL AND p.tenant_id <> ALL (p_busy)
        ),
        due AS (
          SELECT x.id FROM tenants t
          CROSS JOIN LATERAL (
            SELECT d.id FROM webhook_delivery d
             WHERE d.tenant_id = t.tenant_id AND d.status = 'PENDING' AND d.next_attempt_at <= now()
             ORDER BY d.next_attempt_at LIMIT p_per_tenant FOR UPDATE SKIP LOCKED
          ) x
        )
        UPDATE webhook_delivery d SET next_attempt_at = now() + p_lease, attempts = d.attempts + 1
          FROM due, webhook w
         WHERE d.id = due.id AND w.id = d.webhook_id
        RETURNING d.id, d.tenant_id, d.hit_id, w.url, w.secret, d.attempts
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION cairn_webhook_claim_per_tenant(integer, uuid[], interval) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION cairn_webhook_claim_per_tenant(integer, uuid[], interval) TO cairn_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION cairn_webhook_claim_per_tenant(integer, uuid[], interval)`);
    await q.query(`DROP INDEX webhook_delivery_tenant_due`);
  }
}
