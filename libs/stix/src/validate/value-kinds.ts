import { isValidTypeName, parseStixId } from '../ids';
import { checkTimestamp } from '../timestamps';
import type { Kind, ObjectSchema } from './kinds';
import { PREDEFINED_EXTENSIONS } from './predefined-extensions';
import { CUSTOM_CORE, CUSTOM_OBSERVABLE, type TypeSchema } from './schema-common';
import { META_SCHEMAS } from './schema-meta';
import { SCO_SCHEMAS } from './schema-sco';
import { SDO_SCHEMAS, SRO_SCHEMAS } from './schema-sdo';

const SCHEMAS: ReadonlyMap<string, TypeSchema> = new Map([...SDO_SCHEMAS, ...SRO_SCHEMAS, ...SCO_SCHEMAS, ...META_SCHEMAS]);

/** What the STIX 2.1 schema types a value as, when it is not text: a timestamp or an identifier. */
export type StructuralKind = 'timestamp' | 'identifier' | 'type-name' | 'spec-version';

type Props = ReadonlyMap<string, Kind>;

function kindAt(props: Props | undefined, path: readonly string[], at: number): Kind | undefined {
  let current: Props | undefined = props;
  for (let i = at; i < path.length; i++) {
    const kind: Kind | undefined = current?.get(path[i]);
    if (!kind) return undefined;
    if (i === path.length - 1) return kind;
    if (kind.t === 'object' || kind.t === 'objects') current = kind.schema.props;
    else if (kind.t === 'extensions') return extensionKind(path, i + 1);
    else return undefined;
  }
  return undefined;
}

function extensionKind(path: readonly string[], at: number): Kind | undefined {
  const schema: ObjectSchema | undefined = PREDEFINED_EXTENSIONS.get(path[at])?.schema;
  return schema ? kindAt(schema.props, path, at + 1) : undefined;
}

/**
 * The structural kind the STIX 2.1 schema gives the property at `path` (property names from the
 * object's root; list positions left out) of an object of `type`: `id`, `type` and `spec_version`,
 * every `*_ref` / `*_refs` (standard or custom, as STIX requires), and the properties the type's
 * schema declares as timestamps (created, modified, valid_from, first_seen, predefined extensions'
 * timestamps …). Undefined for everything else, which is text (or numbers) as far as STIX goes.
 */
export function structuralKindOf(type: string, path: readonly string[]): StructuralKind | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1];
  if (path.length === 1 && last === 'id') return 'identifier';
  if (path.length === 1 && last === 'type') return 'type-name';
  if (path.length === 1 && last === 'spec_version') return 'spec-version';
  if (last.endsWith('_ref') || last.endsWith('_refs')) return 'identifier';
  const kind = schemaKindAt(type, path);
  if (!kind) return undefined;
  if (kind.t === 'timestamp' || kind.t === 'timestamp-ms') return 'timestamp';
  if (kind.t === 'ref' || kind.t === 'refs') return 'identifier';
  return undefined;
}

function schemaKindAt(type: string, path: readonly string[]): Kind | undefined {
  return kindAt((SCHEMAS.get(type) ?? CUSTOM_CORE).props, path, 0);
}

/**
 * True when the property named by the last element of `path` (property names from the object's
 * root; list positions left out) is one the STIX 2.1 schema defines there for an object of `type`:
 * a property of the type (common ones included; for a custom type, those of any custom SDO or SCO),
 * of a nested structure it defines, of a predefined extension, or an extension's `extension_type`.
 * Such a name is the schema's vocabulary, not text: renaming it leaves an object strict consumers refuse.
 */
export function isSchemaProperty(type: string, path: readonly string[]): boolean {
  if (path.length === 0) return false;
  if (path[0] === 'extensions' && path.length === 2 && PREDEFINED_EXTENSIONS.has(path[1])) return true;
  if (path[0] === 'extensions' && path.length === 3 && path[2] === 'extension_type') return true;
  if (schemaKindAt(type, path) !== undefined) return true;
  return !SCHEMAS.has(type) && kindAt(CUSTOM_OBSERVABLE.props, path, 0) !== undefined;
}

/**
 * True when `value` at `path` is exactly what the schema types that property as — a valid
 * timestamp, identifier, type name or spec version — and so holds no text to redact. A string that
 * merely starts like a timestamp, or sits in a timestamp property without being one, is text. So is
 * a member of the closed vocabulary of an enumerated property.
 */
export function isStructuralValue(type: string, path: readonly string[], value: string): boolean {
  switch (structuralKindOf(type, path)) {
    case 'timestamp':
      return checkTimestamp(value).valid;
    case 'identifier':
      return parseStixId(value) !== undefined;
    case 'type-name':
      return isValidTypeName(value);
    case 'spec-version':
      return value === '2.1' || value === '2.0';
    default: {
      // A member of a closed vocabulary (opinion, extension_type, encryption_algorithm …) is the schema's word, not text.
      const kind = schemaKindAt(type, path);
      return (kind?.t === 'enum' || kind?.t === 'enums') && kind.values.has(value);
    }
  }
}
