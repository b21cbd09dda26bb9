import { useState, type FormEvent } from 'react';
import { ApiError, gql, gqlAnonymous, USER_FIELDS } from '../api/client';
import { sessionFromPayload, setSession, type LoginPayload, type Session } from '../api/session';
import { ErrorBox, Field, PageTitle } from '../components/ui';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresAt ${USER_FIELDS} } }`;
const ME = 'query { me { role operator user { id email name role operator tenant { id name slug } } tenant { id name slug } } }';

/** The identity provider the server trusts (OIDC_ISSUER), written into the page by the server; empty when none. */
function oidcIssuer(): string {
  return document.querySelector('meta[name="cairn-oidc-issuer"]')?.getAttribute('content') ?? '';
}

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const issuer = oidcIssuer();

  async function withPassword(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const data = await gqlAnonymous<{ login: LoginPayload }>(LOGIN, { e: email, p: password });
      setSession(sessionFromPayload(data.login));
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'UNAUTHENTICATED' ? new Error('Wrong e-mail address or password.') : err);
    } finally {
      setBusy(false);
    }
  }

  // A token the organisation's identity provider issued (its e-mail claim names an existing user).
  async function withIdpToken(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSession({
      accessToken: token.trim(),
      refreshToken: null,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      user: { id: '', email: '', name: '', role: 'READER', operator: false, tenant: { id: '', name: '', slug: '' } },
    });
    try {
      const me = await gql<{ me: { user: Session['user'] | null } }>(ME);
      if (!me.me.user) throw new Error('That token is not a person’s sign-in.');
      setSession({
        accessToken: token.trim(),
        refreshToken: null,
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        user: me.me.user,
      });
    } catch (err) {
      setSession(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in" tabIndex={-1}>
      <PageTitle title="Sign in">Sign in to Cairn</PageTitle>
      <p className="muted">
        The exchange for members fighting fraudulent remote IT workers: live sightings, sector figures, screening and sharing.
      </p>
      <form onSubmit={withPassword} aria-label="Sign in with password">
        <Field label="E-mail address">
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password">
          {(id, d) => (
            <input
              id={id}
              aria-describedby={d}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {issuer && (
        <form onSubmit={withIdpToken} aria-label="Sign in with your identity provider">
          <h2>Or with your identity provider</h2>
          <p className="muted">
            Sign in at{' '}
            <a href={issuer} rel="noreferrer">
              {issuer}
            </a>
            , then paste the ID token it gives you.
          </p>
          <Field label="Identity-provider token">
            {(id, d) => (
              <textarea id={id} aria-describedby={d} required rows={3} value={token} onChange={(e) => setToken(e.target.value)} />
            )}
          </Field>
          <button type="submit" disabled={busy}>
            Use this token
          </button>
        </form>
      )}
      <ErrorBox error={error} />
    </main>
  );
}
