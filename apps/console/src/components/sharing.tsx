import { useEffect, useState } from 'react';
import { gql } from '../api/client';
import type { Distribution, SharingGroup, SharingInput, Tenant, Tlp } from '../api/schema';
import { DISTRIBUTIONS, SECTORS, sectorLabel, TLPS, areaLabel, COUNTRIES } from '../vocab';
import { Field, Options } from './ui';

/** How what is published will be shared; empty fields fall back to the tenant's defaults. */
export function SharingFields({ value, onChange }: { value: SharingInput; onChange: (s: SharingInput) => void }) {
  const [groups, setGroups] = useState<Array<Pick<SharingGroup, 'id' | 'name'>>>([]);
  const [tenants, setTenants] = useState<Array<Pick<Tenant, 'id' | 'name' | 'country'>>>([]);
  useEffect(() => {
    if (value.distribution === 'SHARING_GROUP' && groups.length === 0)
      gql<{ sharingGroups: SharingGroup[] }>('query { sharingGroups { id name } }').then(
        (d) => setGroups(d.sharingGroups),
        () => undefined,
      );
    if (value.distribution === 'RECIPIENTS' && tenants.length === 0)
      gql<{ tenants: Tenant[] }>('query { tenants { id name country } }').then(
        (d) => setTenants(d.tenants),
        () => undefined,
      );
  }, [value.distribution, groups.length, tenants.length]);
  const set = (patch: Partial<SharingInput>) => onChange({ ...value, ...patch });
  const multi = (e: { target: HTMLSelectElement }) => [...e.target.selectedOptions].map((o) => o.value);

  return (
    <fieldset className="sharing">
      <legend>Sharing</legend>
      <Field label="Who may see it">
        {(id) => (
          <select
            id={id}
            value={value.distribution ?? ''}
            onChange={(e) => set({ distribution: (e.target.value || null) as Distribution | null })}
          >
            <option value="">My organisation’s default</option>
            <Options of={DISTRIBUTIONS} />
          </select>
        )}
      </Field>
      <Field label="Traffic Light Protocol">
        {(id) => (
          <select id={id} value={value.tlp ?? ''} onChange={(e) => set({ tlp: (e.target.value || null) as Tlp | null })}>
            <option value="">My organisation’s default</option>
            <Options of={TLPS} />
          </select>
        )}
      </Field>
      {value.distribution === 'SECTOR' && (
        <Field label="Sectors" hint="Default: your own sectors">
          {(id, d) => (
            <select id={id} aria-describedby={d} multiple size={4} value={value.sectors ?? []} onChange={(e) => set({ sectors: multi(e) })}>
              <Options of={SECTORS} label={sectorLabel} />
            </select>
          )}
        </Field>
      )}
      {value.distribution === 'SHARING_GROUP' && (
        <Field label="Sharing group">
          {(id) => (
            <select id={id} value={value.groupId ?? ''} onChange={(e) => set({ groupId: e.target.value || null })}>
              <option value="">Choose a group</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {value.distribution === 'RECIPIENTS' && (
        <Field label="Members">
          {(id) => (
            <select
              id={id}
              multiple
              size={4}
              value={value.recipientTenantIds ?? []}
              onChange={(e) => set({ recipientTenantIds: multi(e) })}
            >
              {tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({areaLabel(t.country)})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label="Only members in these countries" hint="Optional, e.g. for data-residency rules">
        {(id, d) => (
          <select
            id={id}
            aria-describedby={d}
            multiple
            size={3}
            value={value.countries ?? []}
            onChange={(e) => set({ countries: multi(e) })}
          >
            <Options of={COUNTRIES} label={areaLabel} />
          </select>
        )}
      </Field>
      <div className="field checkbox">
        <input
          id="share-raw"
          type="checkbox"
          checked={value.shareProtectedRaw ?? false}
          onChange={(e) => set({ shareProtectedRaw: e.target.checked || null })}
        />
        <label htmlFor="share-raw">Share personal data raw (only TLP:AMBER or stricter, to a group or named members)</label>
      </div>
    </fieldset>
  );
}

/** The sharing input without empty choices, as the API takes it. */
export function cleanSharing(s: SharingInput): SharingInput | null {
  const out = Object.fromEntries(
    Object.entries(s).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
  return Object.keys(out).length ? (out as SharingInput) : null;
}
