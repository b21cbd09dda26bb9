import { TAXII_MEDIA_TYPE } from './taxii.constants';

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

function parseRange(part: string): MediaRange | undefined {
  const [head, ...rest] = part.split(';');
  const type = head.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0)
      params.set(
        p.slice(0, eq).trim().toLowerCase(),
        p
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return { type, params };
}

// No version parameter means "the newest", which for this server is 2.1.
const isTaxii21 = (r: MediaRange) => r.type === 'application/taxii+json' && (r.params.get('version') ?? '2.1') === '2.1';

/**
 * The media type to answer with for an Accept header, or null (406) when none can be served.
 * TAXII 2.1 clients ask for application/taxii+json;version=2.1; wildcards and a missing header
 * get it too. A client asking only for application/json (curl, generic HTTP inputs of SIEMs) gets
 * the same JSON labelled application/json, rather than a 406 that helps nobody. q=0 excludes.
 */
export function negotiate(accept: string | undefined): string | null {
  if (accept === undefined || accept.trim() === '') return TAXII_MEDIA_TYPE;
  const ranges = accept
    .split(',')
    .map(parseRange)
    .filter((r): r is MediaRange => r !== undefined && r.params.get('q') !== '0' && !/^0(\.0*)?$/.test(r.params.get('q') ?? ''));
  if (ranges.some((r) => isTaxii21(r) || r.type === '*/*' || r.type === 'application/*')) return TAXII_MEDIA_TYPE;
  if (ranges.some((r) => r.type === 'application/json')) return 'application/json';
  return null;
}

/** True when a POST body is labelled as TAXII 2.1 (parameters such as charset are allowed). */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  const range = contentType ? parseRange(contentType) : undefined;
  return range !== undefined && isTaxii21(range);
}
