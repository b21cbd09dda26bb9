import { StixErrorCode as C } from '../errors';
import type { Category } from './categories';
import { IDENTITY, MARKING } from './categories';
import { has, type IssueSink, type Json } from './context';
import { BOOL, HASHES, LANG, STRING, STRINGS, TIMESTAMP_MS, ANY, int, nestedList, object, ref, refs, type Kind } from './kinds';
import { atLeastOne } from './rules';

/** What the validator knows about one object type. */
export interface TypeSchema {
  category: Category;
  props: ReadonlyMap<string, Kind>;
  required: readonly string[];
  /** Reserved common-property names that do not apply to this kind of object. */
  forbidden: ReadonlySet<string>;
  rules?: (obj: Json, path: string, sink: IssueSink) => void;
}

export const EXTERNAL_REFERENCE = object(
  { source_name: STRING, description: STRING, url: STRING, hashes: HASHES, external_id: STRING },
  ['source_name'],
  (v, path, sink) =>
    atLeastOne(v, path, sink, ['description', 'url', 'external_id'], 'an external reference needs description, url or external_id'),
);

export const KILL_CHAIN_PHASE = object({ kill_chain_name: STRING, phase_name: STRING }, ['kill_chain_name', 'phase_name']);

export const GRANULAR_MARKING = object({ lang: LANG, marking_ref: ref(MARKING), selectors: STRINGS }, ['selectors'], (v, path, sink) => {
  const hasLang = has(v, 'lang');
  if (hasLang === has(v, 'marking_ref')) sink.add(path, C.INVALID_MARKING, 'a granular marking needs exactly one of marking_ref and lang');
});

const EXTENSIONS: Kind = { t: 'extensions' };
const SPEC_VERSION: Kind = { t: 'spec-version' };

const CORE_PROPS: Record<string, Kind> = {
  type: ANY,
  id: ANY,
  spec_version: SPEC_VERSION,
  created: TIMESTAMP_MS,
  modified: TIMESTAMP_MS,
  created_by_ref: ref(IDENTITY),
  revoked: BOOL,
  labels: STRINGS,
  confidence: int(0, 100),
  lang: LANG,
  external_references: nestedList(EXTERNAL_REFERENCE),
  object_marking_refs: refs(MARKING),
  granular_markings: nestedList(GRANULAR_MARKING),
  extensions: EXTENSIONS,
};
const CORE_REQUIRED = ['type', 'spec_version', 'id', 'created', 'modified'];

const SCO_PROPS: Record<string, Kind> = {
  type: ANY,
  id: ANY,
  spec_version: SPEC_VERSION,
  object_marking_refs: refs(MARKING),
  granular_markings: nestedList(GRANULAR_MARKING),
  defanged: BOOL,
  extensions: EXTENSIONS,
};

// Common properties the spec marks "not applicable" to observables.
const SCO_FORBIDDEN = new Set(['created', 'modified', 'created_by_ref', 'revoked', 'labels', 'confidence', 'lang', 'external_references']);
const NONE: ReadonlySet<string> = new Set();

type Rules = TypeSchema['rules'];

/** Schema of an SDO or SRO: the common properties plus its own. */
export function core(category: 'sdo' | 'sro' | 'meta', props: Record<string, Kind>, required: string[] = [], rules?: Rules): TypeSchema {
  return {
    category,
    props: new Map(Object.entries({ ...CORE_PROPS, ...props })),
    required: [...CORE_REQUIRED, ...required],
    forbidden: NONE,
    rules,
  };
}

/** Schema of an SCO: the observable common properties plus its own. */
export function observable(props: Record<string, Kind>, required: string[] = [], rules?: Rules): TypeSchema {
  return {
    category: 'sco',
    props: new Map(Object.entries({ ...SCO_PROPS, ...props })),
    required: ['type', 'id', ...required],
    forbidden: SCO_FORBIDDEN,
    rules,
  };
}

/** Marking definitions are never versioned, so the versioning properties do not apply. */
export function marking(props: Record<string, Kind>, rules?: Rules): TypeSchema {
  const base: Record<string, Kind> = { ...CORE_PROPS };
  for (const k of ['modified', 'revoked', 'labels', 'confidence', 'lang']) delete base[k];
  return {
    category: 'meta',
    props: new Map(Object.entries({ ...base, ...props })),
    required: ['type', 'spec_version', 'id', 'created'],
    forbidden: new Set(['modified', 'revoked', 'labels', 'confidence', 'lang']),
    rules,
  };
}

/** Fallback schemas for custom object types, by the category their extension (or shape) suggests. */
export const CUSTOM_CORE = core('sdo', {});
export const CUSTOM_OBSERVABLE = observable({});
