import { codeChallenge, randomToken } from './pkce';

/**
 * Sign-in at the organisation's identity provider: authorization code flow with PKCE (S256) for a
 * public client. The server writes the issuer, client id, scopes and the audience its API checks
 * into the page; nothing here is a secret. What one attempt needs across the redirect (verifier,
 * state, nonce, token endpoint) stays in this tab's sessionStorage and is used once.
 */
export interface OidcSettings {
  issuer: string;
  audience: string;
  clientId: string;
  scopes: string;
}

const meta = (name: string) => document.querySelector(`meta[name="cairn-oidc-${name}"]`)?.getAttribute('content') ?? '';

/** Null unless the server has a client id for the console (OIDC_CLIENT_ID). */
export function oidcSettings(): OidcSettings | null {
  const s = { issuer: meta('issuer'), audience: meta('audience'), clientId: meta('client-id'), scopes: meta('scopes') };
  return s.issuer && s.clientId ? s : null;
}

export const CALLBACK_PATH = '/oidc/callback';
const PENDING = 'cairn:oidc-pending';

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  tokenEndpoint: string;
}

/** A sign-in that did not complete, with what to tell the person. */
export class OidcError extends Error {}

const redirectUri = () => location.origin + CALLBACK_PATH;

export async function beginSignIn(s: OidcSettings): Promise<never> {
  const base = s.issuer.replace(/\/$/, '');
  let discovery: { issuer?: string; authorization_endpoint?: string; token_endpoint?: string };
  try {
    const res = await fetch(`${base}/.well-known/openid-configuration`);
    if (!res.ok) throw new Error();
    discovery = await res.json();
  } catch {
    throw new OidcError(`The identity provider (${s.issuer}) cannot be reached. Try again, or sign in with your password.`);
  }
  // Discovery must describe the issuer the API trusts (OpenID Connect Discovery §4.3).
  if (discovery.issuer?.replace(/\/$/, '') !== base || !discovery.authorization_endpoint || !discovery.token_endpoint)
    throw new OidcError(`The identity provider's configuration does not describe ${s.issuer}.`);
  const pending: Pending = { state: randomToken(), nonce: randomToken(), verifier: randomToken(), tokenEndpoint: discovery.token_endpoint };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: s.clientId,
    redirect_uri: redirectUri(),
    scope: s.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.toString());
  return new Promise<never>(() => undefined);
}

/** The claims of a JWT, unverified: only to choose which token to hand the API, which verifies it. */
function claims(jwt: unknown): Record<string, unknown> | null {
  if (typeof jwt !== 'string' || jwt.split('.').length !== 3) return null;
  try {
    return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
}

const audienceOf = (c: Record<string, unknown> | null) => (Array.isArray(c?.aud) ? c.aud : [c?.aud]);

/**
 * Finishes a sign-in from the callback's query: the state must be this tab's pending one, the code
 * is exchanged with the verifier, and the token whose audience is the API's becomes the bearer.
 */
export async function finishSignIn(s: OidcSettings, query: URLSearchParams): Promise<{ token: string; expiresAt: string }> {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING); // one use, whatever happens next
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  if (!pending || query.get('state') !== pending.state)
    throw new OidcError('This sign-in did not start here (its state does not match), so it was refused. Sign in again.');
  if (query.get('error'))
    throw new OidcError(`The identity provider refused the sign-in: ${query.get('error_description') ?? query.get('error')}.`);
  const code = query.get('code');
  if (!code) throw new OidcError('The identity provider sent no authorization code. Sign in again.');
  let res: Response;
  try {
    res = await fetch(pending.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri(),
        client_id: s.clientId,
        code_verifier: pending.verifier,
      }),
    });
  } catch {
    throw new OidcError(
      'The identity provider’s token endpoint cannot be reached (it must be on the issuer’s origin or OIDC_TOKEN_ORIGIN).',
    );
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok)
    throw new OidcError(`The identity provider refused the sign-in: ${String(body.error_description ?? body.error ?? res.status)}.`);
  const id = claims(body.id_token);
  if (id && id.nonce !== pending.nonce)
    throw new OidcError('The identity provider’s answer is not for this sign-in (its nonce does not match).');
  // The API verifies whichever carries its audience (OIDC_AUDIENCE): the access token if it is such a JWT, else the ID token.
  const token = [body.access_token, body.id_token].find((t) => audienceOf(claims(t)).includes(s.audience));
  const exp = claims(token)?.exp;
  if (typeof token !== 'string' || typeof exp !== 'number')
    throw new OidcError(`The identity provider issued no token for this exchange (audience ${s.audience}).`);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}
