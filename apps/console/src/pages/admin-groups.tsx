import { useId, useState } from 'react';
import { gql } from '../api/client';
import type { SharingGroup, SharingGroupInvitation, Tenant } from '../api/schema';
import { ErrorBox, Field, formatDate, useLoad } from '../components/ui';
import { areaLabel } from '../vocab';

const GROUPS =
  'query { sharingGroups { id name slug owned members { id name } pendingInvitations { id name } } sharingGroupInvitations { id groupName invitedAt owner { name } } tenants { id name slug country } }';

/** Sharing groups the tenant belongs to, invitations addressed to it, and inviting others. */
export function GroupsSection({ ownTenantId }: { ownTenantId: string }) {
  const data = useLoad(
    () => gql<{ sharingGroups: SharingGroup[]; sharingGroupInvitations: SharingGroupInvitation[]; tenants: Tenant[] }>(GROUPS),
    [],
  );
  const [form, setForm] = useState({ name: '', slug: '', invite: [] as string[] });
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      data.reload();
    } catch (e) {
      setError(e);
    }
  };
  const tenants = (data.data?.tenants ?? []).filter((t) => t.id !== ownTenantId);
  return (
    <section className="card" aria-labelledby="groups-h">
      <h2 id="groups-h">Sharing groups</h2>
      {(data.data?.sharingGroupInvitations ?? []).length > 0 && (
        <div data-testid="invitations">
          <h3>Invitations to your organisation</h3>
          <ul>
            {data.data!.sharingGroupInvitations.map((i) => (
              <li key={i.id}>
                {i.owner.name} invites you to <strong>{i.groupName}</strong> ({formatDate(i.invitedAt)})
                <button
                  type="button"
                  className="primary"
                  onClick={() => void act(() => gql('mutation($id: ID!) { acceptSharingGroupInvitation(id: $id) { id } }', { id: i.id }))}
                >
                  Accept {i.groupName}
                </button>
                <button
                  type="button"
                  onClick={() => void act(() => gql('mutation($id: ID!) { declineSharingGroupInvitation(id: $id) }', { id: i.id }))}
                >
                  Decline
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul className="groups">
        {(data.data?.sharingGroups ?? []).map((g) => (
          <li key={g.id}>
            <strong>{g.name}</strong> <code>{g.slug}</code> — {g.members.map((m) => m.name).join(', ')}
            {g.owned && g.pendingInvitations.length > 0 && (
              <span className="muted"> · invited: {g.pendingInvitations.map((t) => t.name).join(', ')}</span>
            )}
            {g.owned ? (
              <InviteMore
                tenants={tenants.filter((t) => !g.members.some((m) => m.id === t.id) && !g.pendingInvitations.some((p) => p.id === t.id))}
                onInvite={(ids) =>
                  void act(() =>
                    gql('mutation($g: ID!, $t: [String!]!) { inviteToSharingGroup(groupId: $g, tenants: $t) { id } }', { g: g.id, t: ids }),
                  )
                }
                group={g.name}
              />
            ) : (
              <button
                type="button"
                onClick={() => void act(() => gql('mutation($g: ID!) { leaveSharingGroup(groupId: $g) }', { g: g.id }))}
              >
                Leave {g.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        aria-label="Create a sharing group"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await gql('mutation($i: CreateSharingGroupInput!) { createSharingGroup(input: $i) { id } }', { i: form });
            setForm({ name: '', slug: '', invite: [] });
          });
        }}
      >
        <h3>Create a sharing group</h3>
        <div className="row">
          <Field label="Group name">
            {(id) => (
              <input
                id={id}
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value, slug: form.slug || '' })}
              />
            )}
          </Field>
          <Field label="Short name" hint="Lower-case letters, digits and dashes">
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                required
                pattern="[a-z0-9][a-z0-9-]*"
                value={form.slug}
                onChange={(e) => setForm({ ...form, slug: e.target.value })}
              />
            )}
          </Field>
          <Field label="Invite members">
            {(id) => (
              <select
                id={id}
                multiple
                size={4}
                value={form.invite}
                onChange={(e) => setForm({ ...form, invite: [...e.target.selectedOptions].map((o) => o.value) })}
              >
                {tenants.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({areaLabel(t.country)})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="primary">
          Create group
        </button>
      </form>
      <ErrorBox error={error ?? data.error} />
    </section>
  );
}

function InviteMore({ tenants, onInvite, group }: { tenants: Tenant[]; onInvite: (ids: string[]) => void; group: string }) {
  const id = useId();
  const [pick, setPick] = useState('');
  if (tenants.length === 0) return null;
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (pick) onInvite([pick]);
        setPick('');
      }}
      aria-label={`Invite to ${group}`}
    >
      <label className="sr-only" htmlFor={id}>
        Member to invite to {group}
      </label>
      <select id={id} value={pick} onChange={(e) => setPick(e.target.value)}>
        <option value="">Member to invite…</option>
        {tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <button type="submit">Invite</button>
    </form>
  );
}
