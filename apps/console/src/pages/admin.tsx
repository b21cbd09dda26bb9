import { useState } from 'react';
import { gql } from '../api/client';
import type { ApiKey, AuditEntry, CreatedApiKey, Role, Scope, User } from '../api/schema';
import type { Session } from '../api/session';
import { ErrorBox, Field, formatDate, Options, PageTitle, useLoad } from '../components/ui';
import { SCOPES } from '../vocab';
import { GroupsSection } from './admin-groups';

const ROLES: Record<Role, string> = {
  ADMIN: 'Admin: users, keys, groups',
  ANALYST: 'Analyst: publishes and reports sightings',
  READER: 'Reader',
};
const KEY_FIELDS = 'id name prefix scopes createdAt expiresAt lastUsedAt revokedAt';

export function AdminPage({ session }: { session: Session }) {
  return (
    <section>
      <PageTitle title="Admin">Admin · {session.user.tenant.name}</PageTitle>
      <UsersSection self={session.user.id} />
      <KeysSection />
      <GroupsSection ownTenantId={session.user.tenant.id} />
      <AuditSection />
    </section>
  );
}

function UsersSection({ self }: { self: string }) {
  const users = useLoad(
    () => gql<{ users: User[] }>('query { users { id email name role disabled lastLoginAt } }').then((d) => d.users),
    [],
  );
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'ANALYST' as Role });
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      users.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="users-h">
      <h2 id="users-h">Users and roles</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>
                {u.name || u.email}
                <br />
                <small>{u.email}</small>
              </td>
              <td>
                <label className="sr-only" htmlFor={`role-${u.id}`}>
                  Role of {u.email}
                </label>
                <select
                  id={`role-${u.id}`}
                  value={u.role}
                  disabled={u.id === self}
                  onChange={(e) =>
                    void act(() =>
                      gql('mutation($id: ID!, $r: Role) { updateUser(id: $id, input: { role: $r }) { id } }', {
                        id: u.id,
                        r: e.target.value,
                      }),
                    )
                  }
                >
                  <Options of={ROLES} />
                </select>
              </td>
              <td>{formatDate(u.lastLoginAt)}</td>
              <td>
                {u.id === self ? (
                  'You'
                ) : (
                  <button
                    type="button"
                    onClick={() =>
                      void act(() =>
                        gql('mutation($id: ID!, $d: Boolean) { updateUser(id: $id, input: { disabled: $d }) { id } }', {
                          id: u.id,
                          d: !u.disabled,
                        }),
                      )
                    }
                  >
                    {u.disabled ? `Enable ${u.email}` : `Disable ${u.email}`}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: form });
            setForm({ email: '', name: '', password: '', role: 'ANALYST' });
          });
        }}
        aria-label="Add a person"
      >
        <h3>Add a person</h3>
        <div className="row">
          <Field label="E-mail address">
            {(id) => (
              <input id={id} type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
            )}
          </Field>
          <Field label="Name">
            {(id) => <input id={id} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label="Initial password" hint="At least 12 characters">
            {(id, d) => (
              <input
                id={id}
                aria-describedby={d}
                type="password"
                autoComplete="new-password"
                minLength={12}
                required
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.target.value })}
              />
            )}
          </Field>
          <Field label="Role">
            {(id) => (
              <select id={id} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                <Options of={ROLES} />
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="primary">
          Add person
        </button>
      </form>
      <ErrorBox error={error ?? users.error} />
    </section>
  );
}

interface Collection {
  id: string;
  title: string;
}

/** The TAXII collections the new key can read, fetched with the key itself so the list is exactly its own. */
async function taxiiCollections(secret: string): Promise<Collection[]> {
  const res = await fetch('/taxii2/api/collections/', {
    headers: { authorization: `Bearer ${secret}`, accept: 'application/taxii+json;version=2.1' },
  });
  if (!res.ok) return [];
  return ((await res.json()) as { collections?: Collection[] }).collections ?? [];
}

function KeysSection() {
  const keys = useLoad(() => gql<{ apiKeys: ApiKey[] }>(`query { apiKeys { ${KEY_FIELDS} } }`).then((d) => d.apiKeys), []);
  const [name, setName] = useState('SIEM');
  const [scopes, setScopes] = useState<Scope[]>(['TAXII_READ']);
  const [created, setCreated] = useState<{ secret: string; collections: Collection[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const root = `${location.origin}/taxii2/api/`;

  async function create() {
    setError(null);
    try {
      const d = await gql<{ createApiKey: CreatedApiKey }>(
        `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { ${KEY_FIELDS} } } }`,
        { i: { name, scopes } },
      );
      const secret = d.createApiKey.secret;
      setCreated({ secret, collections: scopes.includes('TAXII_READ') ? await taxiiCollections(secret) : [] });
      keys.reload();
    } catch (e) {
      setError(e);
    }
  }
  const copy = (text: string) => void navigator.clipboard?.writeText(text).catch(() => undefined);

  return (
    <section className="card" aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
        aria-label="Create an API key"
      >
        <div className="row">
          <Field label="Key name" hint="e.g. Sentinel, Splunk, Elastic, QRadar">
            {(id, d) => <input id={id} aria-describedby={d} required value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <fieldset className="checks">
            <legend>Scopes</legend>
            {(Object.keys(SCOPES) as Scope[])
              .filter((s) => s !== 'TENANT_ADMIN')
              .map((s) => (
                <div key={s} className="checkbox">
                  <input
                    id={`scope-${s}`}
                    type="checkbox"
                    checked={scopes.includes(s)}
                    onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                  />
                  <label htmlFor={`scope-${s}`}>{SCOPES[s]}</label>
                </div>
              ))}
          </fieldset>
        </div>
        <button type="submit" className="primary" disabled={scopes.length === 0}>
          Create key
        </button>
      </form>
      {created && (
        <div className="secret" role="status" data-testid="new-key">
          <h3>Copy the key now: it is shown this once and never again</h3>
          <p>
            <code data-testid="secret">{created.secret}</code>{' '}
            <button type="button" onClick={() => copy(created.secret)}>
              Copy key
            </button>
          </p>
          <h4>For your SIEM (Sentinel, Splunk, Elastic, QRadar)</h4>
          <dl className="facts">
            <dt>Discovery URL</dt>
            <dd>
              <code>{location.origin}/taxii2/</code>
            </dd>
            <dt>API root URL</dt>
            <dd>
              <code data-testid="api-root">{root}</code>{' '}
              <button type="button" onClick={() => copy(root)}>
                Copy
              </button>
            </dd>
            <dt>Username</dt>
            <dd>
              any name (e.g. <code>siem</code>); password: the key
            </dd>
          </dl>
          {created.collections.length > 0 && (
            <table>
              <caption>Collections this key reads</caption>
              <thead>
                <tr>
                  <th scope="col">Collection</th>
                  <th scope="col">Id</th>
                  <th scope="col">Objects URL</th>
                </tr>
              </thead>
              <tbody>
                {created.collections.map((c) => (
                  <tr key={c.id}>
                    <td>{c.title}</td>
                    <td>
                      <code>{c.id}</code>
                    </td>
                    <td>
                      <code>{`${root}collections/${c.id}/objects/`}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" onClick={() => setCreated(null)}>
            I have stored it
          </button>
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Scopes</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((k) => (
            <tr key={k.id}>
              <td>
                {k.name}
                <br />
                <code>{k.prefix}</code>
              </td>
              <td>{k.scopes.map((s) => SCOPES[s]).join(', ')}</td>
              <td>{formatDate(k.lastUsedAt)}</td>
              <td>
                {k.revokedAt ? (
                  `Revoked ${formatDate(k.revokedAt)}`
                ) : (
                  <button
                    type="button"
                    className="danger"
                    onClick={() =>
                      void gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: k.id }).then(keys.reload, setError)
                    }
                  >
                    Revoke {k.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorBox error={error ?? keys.error} />
    </section>
  );
}

function AuditSection() {
  const [before, setBefore] = useState<string[]>([]);
  const [action, setAction] = useState('');
  const cursor = before[before.length - 1] ?? null;
  const log = useLoad(
    () =>
      gql<{ auditLog: AuditEntry[] }>(
        'query($b: ID, $f: AuditFilterInput) { auditLog(first: 25, before: $b, filter: $f) { id at action actorUserId actorKeyId targetType targetId details } }',
        { ...(cursor ? { b: cursor } : {}), f: action ? { actions: [action] } : null },
      ).then((d) => d.auditLog),
    [cursor, action],
  );
  return (
    <section className="card" aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      <Field label="Action" hint="e.g. intel.published, auth.login, apikey.created">
        {(id, d) => (
          <input
            id={id}
            aria-describedby={d}
            value={action}
            onChange={(e) => {
              setBefore([]);
              setAction(e.target.value.trim());
            }}
          />
        )}
      </Field>
      <table data-testid="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">By</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          {(log.data ?? []).map((a) => (
            <tr key={a.id}>
              <td>{formatDate(a.at)}</td>
              <td>
                <code>{a.action}</code>
              </td>
              <td>{a.actorUserId ? 'person' : a.actorKeyId ? 'API key' : 'system'}</td>
              <td>
                {a.targetType ?? ''} {a.targetId ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        {before.length > 0 && (
          <button type="button" onClick={() => setBefore(before.slice(0, -1))}>
            Newer
          </button>
        )}
        {(log.data?.length ?? 0) === 25 && (
          <button type="button" onClick={() => setBefore([...before, log.data![24].id])}>
            Older
          </button>
        )}
      </div>
      <ErrorBox error={log.error} />
    </section>
  );
}
