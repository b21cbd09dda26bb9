import { StixErrorCode as C } from '../errors';
import { checkTimestamp, compareTimestamps } from '../timestamps';
import { childPath, has, own, type IssueSink, type Json } from './context';

/** Reports `later` when both timestamps are valid and it precedes `earlier` (or equals it, when `strict`). */
export function timeOrder(obj: Json, path: string, sink: IssueSink, earlier: string, later: string, strict = false): void {
  const a = own(obj, earlier);
  const b = own(obj, later);
  if (typeof a !== 'string' || typeof b !== 'string' || !checkTimestamp(a).valid || !checkTimestamp(b).valid) return;
  const cmp = compareTimestamps(b, a);
  if (cmp < 0 || (strict && cmp === 0)) {
    sink.add(childPath(path, later), C.INVALID_TIME_ORDER, `${later} must be ${strict ? 'later than' : 'at or after'} ${earlier}`);
  }
}

/** Reports when none of the properties is present. */
export function atLeastOne(obj: Json, path: string, sink: IssueSink, props: readonly string[], message?: string): void {
  for (const p of props) if (has(obj, p)) return;
  sink.add(childPath(path, props[0]), C.REQUIRED_PROPERTY, message ?? `at least one of ${props.join(', ')} is required`);
}

/** Reports `b` when both `a` and `b` are present. */
export function notBoth(obj: Json, path: string, sink: IssueSink, a: string, b: string): void {
  if (has(obj, a) && has(obj, b)) sink.add(childPath(path, b), C.FORBIDDEN_PROPERTY, `${b} must not be present together with ${a}`);
}

/** Reports `dependent` when present without `on`. */
export function requires(obj: Json, path: string, sink: IssueSink, dependent: string, on: string): void {
  if (has(obj, dependent) && !has(obj, on))
    sink.add(childPath(path, on), C.REQUIRED_PROPERTY, `${on} is required when ${dependent} is present`);
}
