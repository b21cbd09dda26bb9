import { lazy, Suspense, useEffect, useState } from 'react';
import { gql, refreshSession } from './api/client';
import { getSession, onSessionChange, setSession, type Session } from './api/session';
import { href, useRoute } from './router';
import { SignIn } from './pages/sign-in';
import { FeedPage } from './pages/feed';
import { Loading } from './components/ui';

// The heavier pages load on first visit, so the first page stays small (chart.js only with the dashboard).
const Dashboard = lazy(() => import('./pages/dashboard').then((m) => ({ default: m.DashboardPage })));
const Publish = lazy(() => import('./pages/publish').then((m) => ({ default: m.PublishPage })));
const Explore = lazy(() => import('./pages/explore').then((m) => ({ default: m.ExplorePage })));
const ObjectPage = lazy(() => import('./pages/object').then((m) => ({ default: m.ObjectPage })));
const Admin = lazy(() => import('./pages/admin').then((m) => ({ default: m.AdminPage })));
const Screening = lazy(() => import('./pages/screening').then((m) => ({ default: m.ScreeningPage })));

const NAV: Array<{ page: string; label: string; admin?: boolean }> = [
  { page: 'feed', label: 'Live feed' },
  { page: 'dashboard', label: 'Sector dashboard' },
  { page: 'screening', label: 'Screening' },
  { page: 'publish', label: 'Publish' },
  { page: 'explore', label: 'Explore' },
  { page: 'admin', label: 'Admin', admin: true },
];

function useSession(): Session | null {
  const [s, set] = useState(getSession());
  useEffect(() => onSessionChange(set), []);
  // Refresh a minute before the access token expires, for as long as the tab is open.
  useEffect(() => {
    if (!s) return;
    // An identity provider's token (no refresh token): the person signs in again when it expires.
    if (!s.refreshToken) {
      const t = setTimeout(() => setSession(null), Math.min(2 ** 31 - 1, Math.max(0, Date.parse(s.expiresAt) - Date.now())));
      return () => clearTimeout(t);
    }
    const wait = Math.max(1000, Date.parse(s.expiresAt) - Date.now() - 60_000);
    const t = setTimeout(() => void refreshSession(), wait);
    return () => clearTimeout(t);
  }, [s]);
  return s;
}

async function signOut(s: Session): Promise<void> {
  if (s.refreshToken) await gql('mutation($t: String!) { logout(refreshToken: $t) }', { t: s.refreshToken }).catch(() => undefined);
  setSession(null);
  location.hash = '#/feed';
}

export function App() {
  const session = useSession();
  const route = useRoute();
  if (!session) return <SignIn />;
  const isAdmin = session.user.role === 'ADMIN';
  const current = route.page === 'object' ? 'explore' : route.page;
  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href('feed')}>
          Cairn
        </a>
        <nav aria-label="Console">
          <ul>
            {NAV.filter((n) => !n.admin || isAdmin).map((n) => (
              <li key={n.page}>
                <a href={href(n.page)} aria-current={current === n.page ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="who">
            {session.user.name || session.user.email} · {session.user.tenant.name} · {session.user.role.toLowerCase()}
          </span>
          <button type="button" onClick={() => void signOut(session)}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Page page={route.page} arg={route.arg} session={session} />
        </Suspense>
      </main>
    </>
  );
}

function Page({ page, arg, session }: { page: string; arg?: string; session: Session }) {
  switch (page) {
    case 'feed':
      return <FeedPage session={session} />;
    case 'dashboard':
      return <Dashboard />;
    case 'publish':
      return <Publish />;
    case 'explore':
      return <Explore initial={arg} />;
    case 'object':
      return arg ? <ObjectPage id={arg} /> : <Explore />;
    case 'admin':
      return session.user.role === 'ADMIN' ? (
        <Admin session={session} />
      ) : (
        <p role="alert">Only tenant admins manage users, keys and groups.</p>
      );
    case 'screening':
      return <Screening />;
    default:
      return (
        <p role="alert">
          No such page. <a href={href('feed')}>Go to the live feed</a>.
        </p>
      );
  }
}
