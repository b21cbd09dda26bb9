import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, gqlAnonymous, gqlWithToken, USER_FIELDS } from '../api/client';
import { beginSignIn, CALLBACK_PATH, finishSignIn, oidcSettings } from '../api/oidc';
import { sessionFromPayload, setSession, type LoginPayload, type Session } from '../api/session';
import { ErrorBox, Field, PageTitle } from '../components/ui';

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresAt ${USER_FIELDS} } }`;
const ME = 'query { me { role operator user { id email name role operator tenant { id name slug } } tenant { id name slug } } }';

// The identity provider's redirect back: finished once, whatever React does with effects.
let callbackHandled = false;

/** Finishes an identity-provider sign-in: the token must name a person of Cairn (its e-mail claim). */
async function completeOidcSignIn(): Promise<void> {
  const settings = oidcSettings();
  const query = new URLSearchParams(location.search);
  // The code and state leave the address bar (and the history) at once.
  history.replaceState(null, '', '/');
  if (!settings) throw new Error('This server does not offer sign-in with an identity provider.');
  const { token, expiresAt } = await finishSignIn(settings, query);
  const me = await gqlWithToken<{ me: { user: Session['user'] | null } }>(ME, token).catch((err: unknown) => {
    throw err instanceof ApiError && err.code === 'UNAUTHENTICATED'
      ? new Error('Cairn does not accept that sign-in: no person of a member has this e-mail address, or it is not verified.')
      : err;
  });
  if (!me.me.user) throw new Error('That token is not a person’s sign-in.');
  setSession({ accessToken: token, refreshToken: null, expiresAt, user: me.me.user });
  location.hash = '#/feed';
}

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const oidc = oidcSettings();

  useEffect(() => {
    if (location.pathname !== CALLBACK_PATH || callbackHandled) return;
    callbackHandled = true;
    setBusy(true);
    completeOidcSignIn()
      .catch((err: unknown) => {
        setSession(null);
        setError(err);
      })
      .finally(() => setBusy(false));
  }, []);

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

  async function withIdp() {
    setBusy(true);
    setError(null);
    try {
      await beginSignIn(oidc!);
    } catch (err) {
      setError(err);
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
      {oidc && (
        <section aria-labelledby="idp-heading">
          <h2 id="idp-heading">Or with your identity provider</h2>
          <p className="muted">Your organisation signs you in at {oidc.issuer}, then sends you back here.</p>
          <button type="button" onClick={() => void withIdp()} disabled={busy}>
            Sign in with your identity provider
          </button>
        </section>
      )}
      <ErrorBox error={error} />
    </main>
  );
}
