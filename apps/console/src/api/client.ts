import { getSession, sessionFromPayload, setSession, type LoginPayload, type Session } from './session';

/** A GraphQL error as the console shows it: the server's message and its code (extensions.code). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const USER_FIELDS = 'user { id email name role operator tenant { id name slug } }';
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken expiresAt ${USER_FIELDS} } }`;

let refreshing: Promise<Session | null> | null = null;

/** Exchanges the refresh token once for a new pair; one exchange at a time (a token is single-use). */
export function refreshSession(): Promise<Session | null> {
  const s = getSession();
  if (!s?.refreshToken) return Promise.resolve(s);
  refreshing ??= (async () => {
    try {
      const data = await post<{ refreshToken: LoginPayload }>(REFRESH, { t: s.refreshToken }, null);
      const next = sessionFromPayload(data.refreshToken);
      setSession(next);
      return next;
    } catch {
      setSession(null);
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** A fresh access token: refreshed first when it expires within a minute. */
export async function accessToken(): Promise<string | null> {
  const s = getSession();
  if (!s) return null;
  // An identity provider's token cannot be refreshed here: past its expiry, back to sign-in.
  if (!s.refreshToken && Date.parse(s.expiresAt) <= Date.now()) {
    setSession(null);
    return null;
  }
  if (s.refreshToken && Date.parse(s.expiresAt) - Date.now() < 60_000) return (await refreshSession())?.accessToken ?? null;
  return s.accessToken;
}

async function post<T>(query: string, variables: Record<string, unknown> | undefined, token: string | null): Promise<T> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The server cannot be reached. Check your connection and try again.', 'NETWORK');
  }
  let body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`The server answered ${res.status} without a GraphQL body.`, 'HTTP_' + res.status);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code as string | undefined, first.extensions ?? {});
  return body.data as T;
}

/** Runs a GraphQL operation as the signed-in person; an expired token is refreshed and the call retried once. */
export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  try {
    return await post<T>(query, variables, await accessToken());
  } catch (err) {
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED' && getSession()?.refreshToken) {
      const s = await refreshSession();
      if (s) return post<T>(query, variables, s.accessToken);
    }
    throw err;
  }
}

/** For the sign-in page only: with a token not yet kept as the session (an identity provider's). */
export function gqlWithToken<T>(query: string, token: string, variables?: Record<string, unknown>): Promise<T> {
  return post<T>(query, variables, token);
}

/** For the sign-in page only: no token. */
export function gqlAnonymous<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  return post<T>(query, variables, null);
}
