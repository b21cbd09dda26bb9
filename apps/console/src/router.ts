import { useEffect, useState } from 'react';

/** Hash routes (#/feed, #/object/<id>): the server serves one page at `/`, nothing else to route. */
export interface Route {
  page: string;
  arg?: string;
}

export function parseRoute(hash = location.hash): Route {
  const [page = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  return { page: page || 'feed', arg: rest.length ? decodeURIComponent(rest.join('/')) : undefined };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parseRoute());
  useEffect(() => {
    const on = () => setRoute(parseRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (page: string, arg?: string) => `#/${page}${arg ? '/' + encodeURIComponent(arg) : ''}`;
