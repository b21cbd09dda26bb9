import { StixErrorCode as C } from '../errors';
import { parseStixId } from '../ids';
import { checkTimestamp, timestampRefusalHint } from '../timestamps';
import { checkHashes } from './hashes';
import { childPath, has, isRecord, type IssueSink, type Json } from './context';
import type { Kind, ObjectSchema } from './kinds';
import { checkExtensionsShape } from './extensions';

const HEX_RE = /^(?:[0-9A-Fa-f]{2})*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// RFC 5646 shape: primary subtag, then subtags of 1–8 alphanumerics.
const LANG_RE = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
const CUSTOM_NAME_RE = /^[a-z0-9_]{3,250}$/;
const DICT_KEY_RE = /^[A-Za-z0-9_-]{1,250}$/;

/** STIX 2.1 custom property names: 3–250 of a-z, 0-9, '_'. `__proto__` is refused because copying it with Object.assign or spread would replace a prototype downstream. */
export function isValidCustomPropertyName(name: string): boolean {
  return CUSTOM_NAME_RE.test(name) && name !== '__proto__';
}

/** STIX 2.1 dictionary keys: 1–250 of A-Z, a-z, 0-9, '_', '-'. */
export function isValidDictionaryKey(key: string): boolean {
  return DICT_KEY_RE.test(key) && key !== '__proto__';
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Reports a reference value that is malformed or points at a type the property does not allow. */
export function checkRef(value: unknown, kind: Extract<Kind, { t: 'ref' | 'refs' }>, path: string, sink: IssueSink): void {
  const parsed = parseStixId(value);
  if (!parsed) {
    sink.add(
      path,
      C.INVALID_REFERENCE,
      typeof value === 'string' ? 'not a valid STIX identifier' : `expected an identifier, got ${jsonType(value)}`,
    );
  } else if (!kind.to.accepts(parsed.type)) {
    sink.add(path, C.INVALID_REFERENCE, `must reference ${kind.to.describe}, not ${parsed.type}`);
  }
}

/** Validates a value against its property kind, adding issues at `path`. */
export function checkValue(kind: Kind, value: unknown, path: string, sink: IssueSink): void {
  switch (kind.t) {
    case 'string':
      if (typeof value !== 'string') sink.add(path, C.WRONG_TYPE, `expected a string, got ${jsonType(value)}`);
      return;
    case 'timestamp':
    case 'timestamp-ms': {
      const ts = checkTimestamp(value);
      if (!ts.valid) sink.add(path, C.INVALID_TIMESTAMP, timestampRefusalHint(value) ?? 'expected an RFC 3339 UTC timestamp ending in Z');
      else if (kind.t === 'timestamp-ms' && ts.precision < 3) sink.add(path, C.INVALID_TIMESTAMP, 'must be precise to the millisecond');
      return;
    }
    case 'int':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (kind.t === 'int' && !Number.isInteger(value))) {
        sink.add(path, C.WRONG_TYPE, `expected ${kind.t === 'int' ? 'an integer' : 'a number'}, got ${jsonType(value)}`);
      } else if ((kind.min !== undefined && value < kind.min) || (kind.max !== undefined && value > kind.max)) {
        sink.add(path, C.OUT_OF_RANGE, `must be between ${kind.min ?? '-∞'} and ${kind.max ?? '∞'}`);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') sink.add(path, C.WRONG_TYPE, `expected a boolean, got ${jsonType(value)}`);
      return;
    case 'hex':
      if (typeof value !== 'string') sink.add(path, C.WRONG_TYPE, `expected a hex string, got ${jsonType(value)}`);
      else if (!HEX_RE.test(value)) sink.add(path, C.INVALID_VALUE, 'expected an even number of hex digits');
      return;
    case 'binary':
      if (typeof value !== 'string') sink.add(path, C.WRONG_TYPE, `expected base64 text, got ${jsonType(value)}`);
      else if (!BASE64_RE.test(value)) sink.add(path, C.INVALID_VALUE, 'expected base64 text');
      return;
    case 'lang':
      if (typeof value !== 'string') sink.add(path, C.WRONG_TYPE, `expected a language tag, got ${jsonType(value)}`);
      else if (value.length > 100 || !LANG_RE.test(value)) sink.add(path, C.INVALID_VALUE, 'expected an RFC 5646 language tag');
      return;
    case 'spec-version':
      if (value !== '2.1') sink.add(path, C.INVALID_SPEC_VERSION, 'spec_version must be "2.1"');
      return;
    case 'enum':
      if (typeof value !== 'string') sink.add(path, C.WRONG_TYPE, `expected a string, got ${jsonType(value)}`);
      else if (!kind.values.has(value)) sink.add(path, C.INVALID_VOCABULARY, `not a value of ${kind.name}`);
      return;
    case 'ref':
      checkRef(value, kind, path, sink);
      return;
    case 'hashes':
      checkHashes(value, path, sink);
      return;
    case 'extensions':
      checkExtensionsShape(value, path, sink);
      return;
    case 'dict':
      if (!isRecord(value)) {
        sink.add(path, C.WRONG_TYPE, `expected an object, got ${jsonType(value)}`);
        return;
      }
      for (const key of Object.keys(value)) {
        if (!isValidDictionaryKey(key))
          sink.add(childPath(path, key), C.INVALID_PROPERTY_NAME, 'dictionary keys are 1–250 of A-Z a-z 0-9 _ -');
      }
      return;
    case 'object':
      if (!isRecord(value)) sink.add(path, C.WRONG_TYPE, `expected an object, got ${jsonType(value)}`);
      else checkNested(kind.schema, value, path, sink);
      return;
    case 'strings':
    case 'refs':
    case 'enums':
    case 'objects':
      checkList(kind, value, path, sink);
      return;
    case 'any':
      return;
  }
}

function checkList(
  kind: Extract<Kind, { t: 'strings' | 'refs' | 'enums' | 'objects' }>,
  value: unknown,
  path: string,
  sink: IssueSink,
): void {
  if (!Array.isArray(value)) {
    sink.add(path, C.WRONG_TYPE, `expected a list, got ${jsonType(value)}`);
    return;
  }
  if (value.length === 0) {
    sink.add(path, C.EMPTY_VALUE, 'lists must not be empty; omit the property instead');
    return;
  }
  for (let i = 0; i < value.length && !sink.stopped; i++) {
    const item = value[i];
    switch (kind.t) {
      case 'strings':
        if (typeof item !== 'string') sink.add(`${path}[${i}]`, C.WRONG_TYPE, `expected a string, got ${jsonType(item)}`);
        break;
      case 'refs':
        checkRef(item, kind, `${path}[${i}]`, sink);
        break;
      case 'enums':
        if (typeof item !== 'string') sink.add(`${path}[${i}]`, C.WRONG_TYPE, `expected a string, got ${jsonType(item)}`);
        else if (!kind.values.has(item)) sink.add(`${path}[${i}]`, C.INVALID_VOCABULARY, `not a value of ${kind.name}`);
        break;
      case 'objects':
        if (!isRecord(item)) sink.add(`${path}[${i}]`, C.WRONG_TYPE, `expected an object, got ${jsonType(item)}`);
        else checkNested(kind.schema, item, `${path}[${i}]`, sink);
        break;
    }
  }
}

/** Checks a nested structure: known properties by kind, required ones present, others named like custom properties. */
export function checkNested(schema: ObjectSchema, value: Json, path: string, sink: IssueSink): void {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) continue;
    const kind = schema.props.get(key);
    if (kind) checkValue(kind, value[key], childPath(path, key), sink);
    else checkCustomProperty(key, value[key], path, sink);
  }
  for (const req of schema.required) {
    if (!has(value, req)) sink.add(childPath(path, req), C.REQUIRED_PROPERTY, `${req} is required`);
  }
  schema.rule?.(value, path, sink);
}

const ANY_REF: Extract<Kind, { t: 'ref' }> = { t: 'ref', to: { accepts: () => true, describe: 'any object' } };
const ANY_REFS: Extract<Kind, { t: 'refs' }> = { t: 'refs', to: ANY_REF.to };

/** A property the schema does not define: its name must follow the custom-property rules and *_ref(s) must hold identifiers. */
export function checkCustomProperty(key: string, value: unknown, path: string, sink: IssueSink): void {
  const at = childPath(path, key);
  if (!isValidCustomPropertyName(key)) {
    sink.add(at, C.INVALID_PROPERTY_NAME, 'custom property names are 3–250 characters of a-z, 0-9 and _');
    return;
  }
  if (key.endsWith('_ref')) checkRef(value, ANY_REF, at, sink);
  else if (key.endsWith('_refs')) checkList(ANY_REFS, value, at, sink);
}
