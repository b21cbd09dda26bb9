import { UUID_TEXT } from '@cairn/common';
import { isRfc3339Timestamp, timestampRefusalHint } from '@cairn/stix';
import { badQuery } from './taxii.errors';

/** Which versions of each object match[version] asks for; several may combine (e.g. first,last). */
export interface VersionMatch {
  all: boolean;
  first: boolean;
  last: boolean;
  /** Exact versions (STIX `modified`). */
  at: string[];
}

/** A TAXII request's paging and match[] filters, validated. */
export interface TaxiiQuery {
  limit: number;
  /** Exclusive lower bound on date_added. */
  addedAfter?: string;
  /** The `next` token as given; the objects service opens it once it knows the collection. */
  next?: string;
  /** Feed position that `next` stands for (set by the objects service). */
  afterSeq?: string;
  ids?: string[];
  types?: string[];
  versions: VersionMatch;
  specVersions?: string[];
}

export type TaxiiParam = 'limit' | 'added_after' | 'next' | 'match[id]' | 'match[type]' | 'match[version]' | 'match[spec_version]';

/** What each endpoint accepts (TAXII 2.1 §5): anything else is a 400, not silently ignored. */
export const OBJECTS_PARAMS: readonly TaxiiParam[] = [
  'limit',
  'added_after',
  'next',
  'match[id]',
  'match[type]',
  'match[version]',
  'match[spec_version]',
];
export const OBJECT_PARAMS: readonly TaxiiParam[] = ['limit', 'added_after', 'next', 'match[version]', 'match[spec_version]'];
export const VERSIONS_PARAMS: readonly TaxiiParam[] = ['limit', 'added_after', 'next', 'match[spec_version]'];
export const DELETE_PARAMS: readonly TaxiiParam[] = [];

// UUIDs are case-insensitive (RFC 9562); the lookup compares the canonical lower-case form.
const STIX_ID = new RegExp(`^[a-z0-9][a-z0-9-]{0,249}--${UUID_TEXT}$`);
const STIX_TYPE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const SPEC_VERSION = /^\d{1,3}\.\d{1,3}$/;
const MAX_VALUES = 1000;

/** True for an id of the STIX shape `<type>--<uuid>` (what match[id] takes): nothing else is looked up, NUL included. */
export function isObjectIdShape(id: string): boolean {
  return STIX_ID.test(id);
}

/**
 * Query parameters as Express hands them (simple parser: `match[id]` keys, or extended: a nested
 * `match` object; repeated keys give arrays), flattened to name → values.
 */
function flatten(raw: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, value: unknown) => {
    const values = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    out.set(key, [...(out.get(key) ?? []), ...values]);
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'match' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [field, v] of Object.entries(value)) add(`match[${field}]`, v);
    } else add(key, value);
  }
  return out;
}

/** Comma-separated and repeated values alike, trimmed, without empties. */
function list(values: string[] | undefined, name: string, valid: RegExp | ((v: string) => boolean)): string[] | undefined {
  if (!values) return undefined;
  const items = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (items.length === 0) throw badQuery(`${name} needs a value`);
  if (items.length > MAX_VALUES) throw badQuery(`${name} takes at most ${MAX_VALUES} values`);
  const ok = typeof valid === 'function' ? valid : (v: string) => valid.test(v);
  const bad = items.find((v) => !ok(v));
  if (bad !== undefined) throw badQuery(`${name}: "${bad.slice(0, 100)}" is not valid${hinted(bad)}`);
  return [...new Set(items)];
}

/** Why a timestamp was refused, when the reason is one a writer would not guess (year 0000, second 60). */
function hinted(value: string): string {
  const hint = timestampRefusalHint(value);
  return hint ? ` (${hint})` : '';
}

function single(values: string[] | undefined, name: string): string | undefined {
  if (!values) return undefined;
  if (values.length !== 1) throw badQuery(`${name} may be given once`);
  return values[0];
}

function parseLimit(value: string | undefined, maxPage: number): number {
  if (value === undefined) return maxPage;
  if (!/^\d{1,30}$/.test(value.trim()) || Number(value) < 1) throw badQuery('limit must be a whole number of at least 1');
  // A limit above the server's maximum is lowered to it, as TAXII 2.1 lets servers do.
  return Math.min(Number(value), maxPage);
}

function parseVersions(values: string[] | undefined): VersionMatch {
  const items = list(values, 'match[version]', (v) => v === 'all' || v === 'first' || v === 'last' || isRfc3339Timestamp(v)) ?? ['last'];
  return {
    all: items.includes('all'),
    first: items.includes('first'),
    last: items.includes('last'),
    at: items.filter((v) => v !== 'all' && v !== 'first' && v !== 'last'),
  };
}

/** Validates a request's query against what the endpoint supports; throws a 400 TaxiiError naming the parameter. */
export function parseTaxiiQuery(raw: Record<string, unknown>, allowed: readonly TaxiiParam[], maxPage: number): TaxiiQuery {
  const params = flatten(raw);
  for (const key of params.keys()) {
    if (!(allowed as readonly string[]).includes(key)) throw badQuery(`${key.slice(0, 100)} is not supported here`);
  }
  const addedAfter = single(params.get('added_after'), 'added_after');
  if (addedAfter !== undefined && !isRfc3339Timestamp(addedAfter))
    throw badQuery(`added_after must be an RFC 3339 timestamp such as 2025-06-02T09:00:00.123456Z${hinted(addedAfter)}`);
  const next = single(params.get('next'), 'next');
  if (next !== undefined && !/^[A-Za-z0-9_-]{1,100}$/.test(next)) throw badQuery('next is not a token this server issued');
  return {
    limit: parseLimit(single(params.get('limit'), 'limit'), maxPage),
    addedAfter,
    next,
    ids: list(params.get('match[id]'), 'match[id]', STIX_ID),
    types: list(params.get('match[type]'), 'match[type]', STIX_TYPE),
    versions: parseVersions(params.get('match[version]')),
    specVersions: list(params.get('match[spec_version]'), 'match[spec_version]', SPEC_VERSION),
  };
}
