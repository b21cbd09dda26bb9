/** One stored version as a TAXII endpoint lists it. */
export interface TaxiiRow {
  /** Feed position (stix_object.feed_seq), for `next`. */
  seq: string;
  id: string;
  /** RFC 3339 with microseconds: unique and increasing, in feed order. */
  dateAdded: string;
  /** STIX `modified` (or `created`; the epoch for unversioned observables). */
  version: string;
  specVersion: string;
  /** The STIX document as JSON text (objects endpoints only). */
  docJson?: string;
}

export interface TaxiiPage {
  rows: TaxiiRow[];
  more: boolean;
  next?: string;
  headers: Record<string, string>;
}

/**
 * Cuts the `limit + 1` rows a query fetched into a page: `more` when the extra row exists, an
 * opaque `next` from the last row served, and the X-TAXII-Date-Added-First/Last headers — whose
 * Last a client may pass back as added_after (exclusive) to continue exactly where it stopped.
 */
export function toPage(fetched: TaxiiRow[], limit: number, nextToken: (seq: string) => string): TaxiiPage {
  const rows = fetched.slice(0, limit);
  const more = fetched.length > limit;
  const last = rows[rows.length - 1];
  return {
    rows,
    more,
    next: more && last ? nextToken(last.seq) : undefined,
    headers: last ? { 'X-TAXII-Date-Added-First': rows[0].dateAdded, 'X-TAXII-Date-Added-Last': last.dateAdded } : {},
  };
}

/**
 * The objects envelope as JSON text, the documents spliced in as stored (PostgreSQL's jsonb text:
 * the same JSON values, with a space after each colon and comma; see compactNumbers). A page of
 * 1,000 objects is most of a megabyte that would otherwise be parsed by the driver and written out again.
 */
export function objectsEnvelopeJson(page: TaxiiPage): string {
  // envelope() with no objects ends in `[]}`: the documents go between the brackets.
  const empty = JSON.stringify(envelope('objects', page, []));
  return `${empty.slice(0, -2)}${page.rows.map((r) => compactNumbers(r.docJson!)).join(',')}]}`;
}

/**
 * jsonb's text writes a number in full, never with an exponent: `5e-324`, six bytes as published,
 * comes out as 326 characters. A document with a run of 25 digits (such a number, or by chance a
 * string) is written the way JSON.stringify writes it instead, so that no member can make another's
 * TAXII pages tens of times larger than what it published.
 */
function compactNumbers(json: string): string {
  return LONG_DIGIT_RUN.test(json) ? JSON.stringify(JSON.parse(json)) : json;
}

const LONG_DIGIT_RUN = /\d{25}/;

/** The envelope (objects, manifest or versions): `more` always, `next` when there is more, the list possibly empty. */
export function envelope<K extends string, T>(key: K, page: TaxiiPage, items: T[]): { more: boolean; next?: string } & Record<K, T[]> {
  return { more: page.more, ...(page.next ? { next: page.next } : {}), [key]: items } as { more: boolean; next?: string } & Record<K, T[]>;
}
