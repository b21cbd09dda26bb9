import { randomUUID } from 'node:crypto';

/** A STIX 2.1 bundle (fresh id) of the given objects, valid or deliberately not. */
export function bundleOf<T>(...objects: T[]): { type: 'bundle'; id: string; objects: T[] } {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}
