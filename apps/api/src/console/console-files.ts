import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

/**
 * The built web console (scripts/build-console.js → dist/console), read once. Only the files of
 * the build are ever served: a name is looked up in this map, never joined onto a path.
 */
export interface ConsoleFiles {
  /** index.html with the server's settings written in (no inline script: the CSP forbids it). */
  page: string;
  /** Each with its gzip rendering, compressed once at start-up. */
  assets: Map<string, ConsoleAsset>;
}

export interface ConsoleAsset {
  contentType: string;
  body: Buffer;
  gzip: Buffer;
}

export const CONSOLE_ASSET_PATH = '/console-assets';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** What the page needs to sign in at the organisation's identity provider (authorization code + PKCE). */
export interface ConsoleOidc {
  issuer: string;
  audience: string;
  clientId: string;
  scopes: string;
  /** The token endpoint's origin when it is not the issuer's. */
  tokenOrigin?: string;
}

/** Where the identity provider redirects back to (register `<PUBLIC_URL>/oidc/callback` at the IdP). */
export const OIDC_CALLBACK_PATH = '/oidc/callback';

// Everything from this server; the live feed's WebSocket is same-origin too ('self' covers ws/wss of the origin).
// No 'unsafe-inline' anywhere: React and Chart.js set styles through the CSSOM, which the CSP allows.
// With OIDC sign-in the page also fetches the issuer's discovery document and its token endpoint: exactly
// those origins, fixed at page load (the sign-in itself is a top-level navigation, which connect-src does not govern).
export function consoleCsp(oidc?: ConsoleOidc): string {
  const connect = ["'self'", ...new Set(oidc ? [new URL(oidc.issuer).origin, ...(oidc.tokenOrigin ? [oidc.tokenOrigin] : [])] : [])];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "manifest-src 'self'",
  ].join('; ');
}

export function consoleSecurityHeaders(oidc?: ConsoleOidc): Record<string, string> {
  return {
    'Content-Security-Policy': consoleCsp(oidc),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}

/** Where the build is: dist/console beside the sources (ts-node, tests) or beside the compiled server (dist/). */
export function consoleDir(): string | undefined {
  const up = join(__dirname, '..', '..', '..', '..');
  return [join(up, 'dist', 'console'), join(up, 'console')].find((d) => existsSync(join(d, 'index.html')));
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Reads the build, or undefined when it is missing or half-written (a build running beside this
 * start-up): the server then answers `/` with how to build it rather than failing to start.
 */
export function loadConsole(dir: string, oidc?: ConsoleOidc): ConsoleFiles | undefined {
  try {
    let page = readFileSync(join(dir, 'index.html'), 'utf8');
    const settings = { issuer: oidc?.issuer, audience: oidc?.audience, 'client-id': oidc?.clientId, scopes: oidc?.scopes };
    for (const [name, value] of Object.entries(settings))
      page = page.replace(
        `<meta name="cairn-oidc-${name}" content="" />`,
        `<meta name="cairn-oidc-${name}" content="${escapeAttr(value ?? '')}" />`,
      );
    const assets = new Map<string, ConsoleAsset>();
    const assetDir = join(dir, CONSOLE_ASSET_PATH.slice(1));
    for (const name of existsSync(assetDir) ? readdirSync(assetDir) : []) {
      const contentType = TYPES[extname(name)];
      if (!contentType) continue;
      const body = readFileSync(join(assetDir, name));
      assets.set(name, { contentType, body, gzip: gzipSync(body, { level: constants.Z_BEST_COMPRESSION }) });
    }
    return { page, assets };
  } catch {
    return undefined;
  }
}

/** What `/` answers when the console was not built: how to build it, and where the other doors are. */
export const NOT_BUILT_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Cairn</title></head><body>
<h1>Cairn</h1><p>The web console is not built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>
<p>GraphQL: <a href="/graphql">/graphql</a> · TAXII 2.1: <a href="/taxii2/">/taxii2/</a> · Health: <a href="/health">/health</a></p></body></html>`;
