import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sharing-group membership by consent: the owner invites a tenant, whose admin accepts or declines;
 * only an accepted invitation makes a sharing_group_member row. One row per (group, tenant), its
 * status the latest step (the audit log keeps every step). Row-level security, as on the other
 * tenant-scoped tables: only the two parties — the invited tenant and the group's owner — see or
 * change an invitation.
 */
export class SharingGroupInvitations1764000500000 implements MigrationInterface {
  name = 'SharingGroupInvitations1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sharing_group_invitation (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        group_id      uuid NOT NULL REFERENCES sharing_group(id) ON DELETE CASCADE,
        tenant_id     uuid NOT NULL REFERENCES tenant(id),
        status        text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED')),
        invited_at    timestamptz NOT NULL DEFAULT now(),
        responded_at  timestamptz,
        UNIQUE (group_id, tenant_id)
      )`);
    // "My pending invitations" reads by the invited tenant.
    await q.query(`CREATE INDEX sharing_group_invitation_pending ON sharing_group_invitation (tenant_id) WHERE status = 'PENDING'`);

    await q.query(`ALTER TABLE sharing_group_invitation ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY sharing_group_invitation_parties ON sharing_group_invitation TO cairn_app
        USING (tenant_id = cairn_viewer_tenant()
               OR EXISTS (SELECT 1 FROM sharing_group g WHERE g.id = group_id AND g.owner_tenant_id = cairn_viewer_tenant()))
        WITH CHECK (tenant_id = cairn_viewer_tenant()
               OR EXISTS (SELECT 1 FROM sharing_group g WHERE g.id = group_id AND g.owner_tenant_id = cairn_viewer_tenant()))`);
    // Default privileges (migration ObjectsAndRls) grant SELECT, INSERT, UPDATE; rows are never deleted by the API.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sharing_group_invitation`);
  }
}
