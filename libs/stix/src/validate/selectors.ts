import { StixErrorCode as C } from '../errors';
import { isRecord, type IssueSink, type Json } from './context';

const INDEX = /^\[(0|[1-9]\d{0,8})\]$/;
const MAX_SELECTOR_LENGTH = 1024;

/** Checks a granular-marking selector's syntax and that it resolves to a property or list item present in `root`. */
export function checkSelector(root: Json, selector: string, path: string, sink: IssueSink): void {
  if (selector.length === 0 || selector.length > MAX_SELECTOR_LENGTH) {
    sink.add(path, C.INVALID_SELECTOR, 'selector is empty or too long');
    return;
  }
  const parts = selector.split('.');
  let current: unknown = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const index = INDEX.exec(part);
    if (index) {
      if (i === 0) return sink.add(path, C.INVALID_SELECTOR, 'a selector starts with a property name');
      const n = Number(index[1]);
      if (!Array.isArray(current) || n >= current.length)
        return sink.add(path, C.INVALID_SELECTOR, `'${selector}' does not resolve: no item ${n}`);
      current = current[n];
      continue;
    }
    if (part === '' || part.includes('[') || part.includes(']'))
      return sink.add(path, C.INVALID_SELECTOR, `'${selector}' is not a valid selector`);
    if (!isRecord(current) || !Object.hasOwn(current, part))
      return sink.add(path, C.INVALID_SELECTOR, `'${selector}' does not resolve: no property ${part}`);
    current = current[part];
  }
}
