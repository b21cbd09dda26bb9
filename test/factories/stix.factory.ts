import { randomUUID } from 'node:crypto';

/** A STIX 2.1 bundle (fresh id) of the given objects, valid or deliberately not. */
export function bundleOf<T>(...objects: T[]): { type: 'bundle'; id: string; objects: T[] } {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}

/** The timestamp the builders below give objects unless told otherwise. */
export const STIX_TIME = '2025-05-01T00:00:00.000Z';

/** A STIX 2.1 object of `type` (fresh id; created = modified = `at`) with `props`. */
export function stixObject(type: string, props: Record<string, unknown> = {}, at = STIX_TIME): Record<string, unknown> & { id: string } {
  return { type, spec_version: '2.1', id: `${type}--${randomUUID()}`, created: at, modified: at, ...props };
}

/** A valid indicator on a fresh domain (so it indexes and matches nothing else), with `over` on top. */
export function indicatorObject(over: Record<string, unknown> = {}, at = STIX_TIME): Record<string, unknown> & { id: string } {
  return stixObject(
    'indicator',
    { pattern: `[domain-name:value = '${randomUUID()}.example']`, pattern_type: 'stix', valid_from: at, ...over },
    at,
  );
}

/** A note on `ref`: the smallest object that references member data. */
export function noteOn(ref: string, at = STIX_TIME): Record<string, unknown> & { id: string } {
  return stixObject('note', { content: 'seen here too', object_refs: [ref] }, at);
}
