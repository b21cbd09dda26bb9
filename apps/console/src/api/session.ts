import type { AuthPayload, Role } from './schema';

/** The signed-in person, as the console keeps it (sessionStorage: gone when the tab closes). */
export interface Session {
  accessToken: string;
  /** Null for a token from the identity provider (OIDC): it cannot be refreshed here. */
  refreshToken: string | null;
  expiresAt: string;
  user: { id: string; email: string; name: string; role: Role; operator: boolean; tenant: { id: string; name: string; slug: string } };
}

const KEY = 'cairn:session';
type Listener = (s: Session | null) => void;
const listeners = new Set<Listener>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return current;
}

export function setSession(s: Session | null): void {
  current = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(s);
}

/** What login and refreshToken answer, as the console selects it. */
export type LoginPayload = Pick<AuthPayload, 'accessToken' | 'refreshToken' | 'expiresAt'> & { user: Session['user'] };

export function sessionFromPayload(p: LoginPayload): Session {
  return { accessToken: p.accessToken, refreshToken: p.refreshToken, expiresAt: p.expiresAt, user: p.user };
}

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
