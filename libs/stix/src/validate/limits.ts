import { StixErrorCode as C } from '../errors';
import type { IssueSink } from './context';

/** Bounds on the shape of any value, so hostile input is refused before it costs memory or storage. */
export interface ValueLimits {
  /** Longest string, in UTF-16 code units (default 1,048,576). */
  maxStringLength: number;
  /** Most items in one list (default 10,000). */
  maxArrayItems: number;
  /** Deepest nesting of lists and dictionaries inside one object (default 32). */
  maxDepth: number;
}

export const DEFAULT_VALUE_LIMITS: ValueLimits = { maxStringLength: 1_048_576, maxArrayItems: 10_000, maxDepth: 32 };

// NUL and unpaired surrogates are valid JSON but not storable text (PostgreSQL refuses them).
// The cheap test runs on every string; the exact one only on the rare strings with surrogates.
// eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text refuses
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text refuses
const UNPAIRED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** True when `s` holds NUL or an unpaired surrogate: valid JSON, but text PostgreSQL cannot store. */
export const isUnstorableText = (s: string): boolean => SUSPECT.test(s) && UNPAIRED.test(s);

/** Walks an object's values (iteratively, so depth cannot overflow the stack) and reports each breach once per path. */
export function checkValueLimits(root: unknown, rootPath: string, sink: IssueSink, limits: ValueLimits = DEFAULT_VALUE_LIMITS): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0 && !sink.stopped) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength)
        sink.add(path, C.LIMIT_EXCEEDED, `string longer than ${limits.maxStringLength} characters`);
      else if (isUnstorableText(value)) sink.add(path, C.INVALID_VALUE, 'contains a NUL character or an unpaired surrogate');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) {
      sink.add(path, C.LIMIT_EXCEEDED, `nested deeper than ${limits.maxDepth} levels`);
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayItems) {
        sink.add(path, C.LIMIT_EXCEEDED, `list of more than ${limits.maxArrayItems} items`);
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      const keys = Object.keys(value);
      if (keys.length > limits.maxArrayItems) {
        sink.add(path, C.LIMIT_EXCEEDED, `dictionary of more than ${limits.maxArrayItems} keys`);
        continue;
      }
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        if (isUnstorableText(key)) sink.add(`${path}`, C.INVALID_PROPERTY_NAME, 'a key contains a NUL character or an unpaired surrogate');
        else
          stack.push({
            value: (value as Record<string, unknown>)[key],
            path: /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}['${key.replace(/'/g, "\\'").slice(0, 64)}']`,
            depth: depth + 1,
          });
      }
    }
  }
}
