import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Everything the GraphiQL page loads, served by this server from installed npm packages, so the
 * page works offline and behind proxies that block public CDNs. The page's CSP ('self' only) makes
 * a forgotten external asset fail loudly in the browser instead of silently reaching the internet.
 */
export interface GraphiqlAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

export const GRAPHIQL_ASSET_PATH = '/graphiql-assets';

// By package and path inside it: React's "exports" map hides its UMD builds from require.resolve.
const FILES: Record<string, { pkg: string; file: string; contentType: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

// Our own start-up script: an external file, because the CSP allows no inline script. GraphiQL keeps
// its state (tabs, and the headers with the bearer token or API key someone pasted) in this tab's
// sessionStorage, not the origin's localStorage: this origin is the console's, which keeps no session
// past its tab, and a token left in localStorage would outlive sign-out for any script or person at
// the machine. Only GraphiQL's own keys: its "clear storage" must not end the console's session in the tab.
const START_JS = `(function () {
  var root = document.getElementById('graphiql');
  var url = root.getAttribute('data-url');
  var ws = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + url;
  var mine = function (key) { return key.indexOf('graphiql:') === 0; };
  var tabStorage = {
    getItem: function (k) { return sessionStorage.getItem(k); },
    setItem: function (k, v) { sessionStorage.setItem(k, v); },
    removeItem: function (k) { sessionStorage.removeItem(k); },
    get length() { return Object.keys(sessionStorage).filter(mine).length; },
    clear: function () { Object.keys(sessionStorage).filter(mine).forEach(function (k) { sessionStorage.removeItem(k); }); },
  };
  // What an older page left in localStorage (headers with a token among it) goes now.
  Object.keys(localStorage).filter(mine).forEach(function (k) { localStorage.removeItem(k); });
  var savedHeaders = function () {
    try { return JSON.parse(sessionStorage.getItem('graphiql:headers') || '{}') || {}; } catch (e) { return {}; }
  };
  var fetcher = GraphiQL.createFetcher({
    url: url,
    subscriptionUrl: ws,
    // The WebSocket door reads the bearer token from connection params (see README "Live feed").
    wsConnectionParams: function () { var h = savedHeaders(); return { authorization: h.Authorization || h.authorization }; },
  });
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    storage: tabStorage,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: true,
    isHeadersEditorEnabled: true,
    defaultHeaders: Object.keys(savedHeaders()).length ? undefined : JSON.stringify({ Authorization: 'Bearer <accessToken from the login mutation>' }, null, 2),
  }));
})();
`;

let cache: Map<string, GraphiqlAsset> | undefined;

function load(): Map<string, GraphiqlAsset> {
  const assets = new Map<string, GraphiqlAsset>();
  for (const [name, f] of Object.entries(FILES))
    assets.set(name, { contentType: f.contentType, body: readFileSync(join(dirname(require.resolve(`${f.pkg}/package.json`)), f.file)) });
  assets.set('start.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(START_JS) });
  return assets;
}

/** The asset with this file name, or undefined: only the files listed here are ever served. */
export function graphiqlAsset(name: string): GraphiqlAsset | undefined {
  cache ??= load();
  return cache.get(name);
}

/** The GraphiQL page: same-origin assets only, locked down by its Content-Security-Policy. */
export function graphiqlPage(graphqlPath: string): string {
  const a = (file: string) => `${GRAPHIQL_ASSET_PATH}/${file}`;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${GRAPHIQL_CSP}" />
    <title>Cairn GraphiQL</title>
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="${a('graphiql.css')}" />
  </head>
  <body>
    <div id="graphiql" data-url="${graphqlPath}">Loading…</div>
    <script src="${a('react.js')}"></script>
    <script src="${a('react-dom.js')}"></script>
    <script src="${a('graphiql.js')}"></script>
    <script src="${a('start.js')}"></script>
  </body>
</html>
`;
}

// Scripts, styles, fonts and connections only from this server. GraphiQL sets inline style attributes.
export const GRAPHIQL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:";
