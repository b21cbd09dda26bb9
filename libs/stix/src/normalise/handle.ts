import { fail, ok, type Normalised } from './result';

/** Platforms whose handles Cairn tracks as user-account objects (account_type values). */
export type HandlePlatform = 'github' | 'gitlab' | 'linkedin' | 'telegram' | 'twitter';

const LOGIN: Record<HandlePlatform, RegExp> = {
  github: /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/,
  gitlab: /^[a-z0-9_][a-z0-9_.-]{0,254}$/,
  linkedin: /^[a-z0-9][a-z0-9_%-]{2,99}$/,
  telegram: /^[a-z][a-z0-9_]{4,31}$/,
  twitter: /^[a-z0-9_]{1,15}$/,
};

const HOSTS: ReadonlyMap<string, HandlePlatform> = new Map([
  ['github.com', 'github'],
  ['gitlab.com', 'gitlab'],
  ['linkedin.com', 'linkedin'],
  ['t.me', 'telegram'],
  ['telegram.me', 'telegram'],
  ['twitter.com', 'twitter'],
  ['x.com', 'twitter'],
]);

const PREFIXES: ReadonlyMap<string, HandlePlatform> = new Map([
  ['github', 'github'],
  ['gitlab', 'gitlab'],
  ['linkedin', 'linkedin'],
  ['telegram', 'telegram'],
  ['tg', 'telegram'],
  ['twitter', 'twitter'],
  ['x', 'twitter'],
]);

export type NormalisedHandle = Normalised<{ platform: HandlePlatform; login: string }>;

function make(platform: HandlePlatform, login: string): NormalisedHandle {
  const l = login.toLowerCase();
  if (!LOGIN[platform].test(l)) return fail(`not a valid ${platform} handle`);
  return ok(`${platform}:${l}`, { platform, login: l });
}

function fromUrl(text: string): NormalisedHandle | undefined {
  // Telegram's app links: tg://resolve?domain=<name>.
  const tg = /^tg:\/\/resolve\?(?:.*&)?domain=([A-Za-z0-9_]+)/i.exec(text);
  if (tg) return make('telegram', tg[1]);
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^(?:www|[a-z]{2})\./, '');
  const platform = HOSTS.get(host);
  if (!platform) return undefined;
  const parts = url.pathname.split('/').filter(Boolean);
  // LinkedIn profiles live under /in/<slug>; Telegram's web preview under /s/<name>; the other platforms put the login first.
  if (platform === 'telegram' && parts[0] === 's') parts.shift();
  const login = platform === 'linkedin' ? (parts[0] === 'in' ? parts[1] : undefined) : parts[0];
  return login ? make(platform, decodeURIComponent(login)) : fail(`no ${platform} handle in the URL`);
}

/** `platform:login` (lower-case) from `github:foo`, `@foo` (Telegram) or a profile URL; case-insensitive platforms only. */
export function normaliseHandle(input: string): NormalisedHandle {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim();
  if (text.length === 0 || text.length > 512) return fail('empty or too long');
  if (text.startsWith('@')) return make('telegram', text.slice(1));
  const colon = text.indexOf(':');
  if (colon > 0 && !text.startsWith('//', colon + 1)) {
    const platform = PREFIXES.get(text.slice(0, colon).toLowerCase());
    if (platform) return make(platform, text.slice(colon + 1).replace(/^@/, ''));
  }
  return fromUrl(text) ?? fail('not a recognised handle');
}

/**
 * A handle given with its platform apart (an applicant-tracking export's "GitHub" column): the
 * platform by name or alias (github, gitlab, linkedin, telegram / tg, twitter / x); the value a
 * login, `@login` or a profile URL, which must be on that platform.
 */
export function normaliseHandleOn(platform: string, value: string): NormalisedHandle {
  if (typeof platform !== 'string' || typeof value !== 'string') return fail('not a string');
  const p = PREFIXES.get(platform.trim().toLowerCase());
  if (!p) return fail(`unknown platform '${platform.slice(0, 40)}': give github, gitlab, linkedin, telegram or twitter`);
  const text = value.trim();
  if (text.length === 0 || text.length > 512) return fail('empty or too long');
  if (/[/:]/.test(text)) {
    const fromLink = fromUrl(text) ?? normaliseHandle(text);
    if (fromLink.ok && fromLink.platform !== p) return fail(`a ${fromLink.platform} handle given as ${p}`);
    return fromLink;
  }
  return make(p, text.replace(/^@/, ''));
}

/** True when the text looks like a handle (prefix, @, or a profile URL on a tracked platform). */
export function looksLikeHandle(input: string): boolean {
  const text = input.trim();
  if (/^@[A-Za-z0-9_]+$/.test(text)) return true;
  const colon = text.indexOf(':');
  if (colon > 0 && !text.startsWith('//', colon + 1) && PREFIXES.has(text.slice(0, colon).toLowerCase())) return true;
  return /^(?:https?:\/\/)?(?:www\.|[a-z]{2}\.)?(?:github\.com|gitlab\.com|linkedin\.com|t\.me|telegram\.me|twitter\.com|x\.com)\//i.test(
    text,
  );
}
