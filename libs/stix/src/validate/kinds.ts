import type { IssueSink } from './context';

// Property kinds: a small closed set the validator switches on, so checking a
// property is one Map lookup and one switch — no per-object closures.

/** Decides whether a referenced object type is acceptable for a reference property. */
export interface RefTarget {
  accepts(type: string): boolean;
  describe: string;
}

export type Kind =
  | { t: 'string' }
  | { t: 'timestamp' }
  /** created/modified: a timestamp with at least millisecond precision. */
  | { t: 'timestamp-ms' }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'number'; min?: number; max?: number }
  | { t: 'bool' }
  | { t: 'hex' }
  | { t: 'binary' }
  | { t: 'strings' }
  | { t: 'ref'; to: RefTarget }
  | { t: 'refs'; to: RefTarget }
  | { t: 'enum'; values: ReadonlySet<string>; name: string }
  | { t: 'enums'; values: ReadonlySet<string>; name: string }
  | { t: 'hashes' }
  | { t: 'dict' }
  | { t: 'object'; schema: ObjectSchema }
  | { t: 'objects'; schema: ObjectSchema }
  | { t: 'lang' }
  | { t: 'spec-version' }
  | { t: 'extensions' }
  | { t: 'any' };

/** Shape of a nested structure (external reference, kill-chain phase, extension…). */
export interface ObjectSchema {
  props: ReadonlyMap<string, Kind>;
  required: readonly string[];
  /** Cross-property rules of the structure, run after its properties. */
  rule?: (value: Record<string, unknown>, path: string, sink: IssueSink) => void;
}

export const STRING: Kind = { t: 'string' };
export const TIMESTAMP: Kind = { t: 'timestamp' };
export const TIMESTAMP_MS: Kind = { t: 'timestamp-ms' };
export const BOOL: Kind = { t: 'bool' };
export const HEX: Kind = { t: 'hex' };
export const BINARY: Kind = { t: 'binary' };
export const STRINGS: Kind = { t: 'strings' };
export const HASHES: Kind = { t: 'hashes' };
export const DICT: Kind = { t: 'dict' };
export const LANG: Kind = { t: 'lang' };
export const ANY: Kind = { t: 'any' };
export const INT: Kind = { t: 'int' };
export const NON_NEGATIVE: Kind = { t: 'int', min: 0 };
export const PORT: Kind = { t: 'int', min: 0, max: 65535 };

export function int(min?: number, max?: number): Kind {
  return { t: 'int', min, max };
}
export function num(min?: number, max?: number): Kind {
  return { t: 'number', min, max };
}
export function ref(to: RefTarget): Kind {
  return { t: 'ref', to };
}
export function refs(to: RefTarget): Kind {
  return { t: 'refs', to };
}
export function oneOf(name: string, values: readonly string[]): Kind {
  return { t: 'enum', values: new Set(values), name };
}
export function listOf(name: string, values: readonly string[]): Kind {
  return { t: 'enums', values: new Set(values), name };
}
export function object(props: Record<string, Kind>, required: readonly string[] = [], rule?: ObjectSchema['rule']): ObjectSchema {
  return { props: new Map(Object.entries(props)), required, rule };
}
export function nested(schema: ObjectSchema): Kind {
  return { t: 'object', schema };
}
export function nestedList(schema: ObjectSchema): Kind {
  return { t: 'objects', schema };
}
