import { StixErrorCode as C, type StixIssue } from '../errors';
import { checkValueLimits, type ValueLimits } from './limits';
import { expectedScoId, isValidTypeName, parseStixId } from '../ids';
import { checkTimestamp, compareTimestamps } from '../timestamps';
import { childPath, has, isRecord, IssueSink, own, type Json } from './context';
import { checkExtensions, declaredExtensionTypes } from './extensions';
import { CUSTOM_CORE, CUSTOM_OBSERVABLE, type TypeSchema } from './schema-common';
import { META_SCHEMAS } from './schema-meta';
import { SCO_SCHEMAS } from './schema-sco';
import { SDO_SCHEMAS, SRO_SCHEMAS } from './schema-sdo';
import { checkSelector } from './selectors';
import { checkCustomProperty, checkValue } from './values';

export interface ValidateOptions {
  /** Stop collecting after this many issues (default 1000); the last issue then has code LIMIT_EXCEEDED. */
  maxIssues?: number;
  /** Also require SCO ids to equal their deterministic UUIDv5 (a SHOULD in STIX; Cairn's own output obeys it). */
  requireDeterministicScoIds?: boolean;
  /** Bounds on string length, list size and nesting (defaults: DEFAULT_VALUE_LIMITS). */
  limits?: ValueLimits;
}

const SCHEMAS: ReadonlyMap<string, TypeSchema> = new Map([...SDO_SCHEMAS, ...SRO_SCHEMAS, ...SCO_SCHEMAS, ...META_SCHEMAS]);

/** True when this library has a schema for the type (standard STIX types and Cairn's custom observables). */
export function isKnownType(type: string): boolean {
  return SCHEMAS.has(type);
}

function schemaFor(type: string, obj: Json): TypeSchema {
  const known = SCHEMAS.get(type);
  if (known) return known;
  const declared = declaredExtensionTypes(own(obj, 'extensions'));
  if (declared.has('new-sco')) return CUSTOM_OBSERVABLE;
  if (declared.has('new-sdo') || declared.has('new-sro')) return CUSTOM_CORE;
  // Without a declaration, the presence of `created` is what tells a custom SDO from a custom SCO.
  return has(obj, 'created') ? CUSTOM_CORE : CUSTOM_OBSERVABLE;
}

/** Every STIX 2.1 rule checkable on the value alone; [] means valid. A bundle is validated with its objects. Never throws. */
export function validate(object: unknown, options: ValidateOptions = {}): StixIssue[] {
  const sink = new IssueSink(options.maxIssues ?? 1000);
  if (isRecord(object) && own(object, 'type') === 'bundle') bundleInto(object, sink, options);
  else objectInto(object, '$', sink, options);
  return sink.issues;
}

/** Validates a bundle and each of its objects (paths like `$.objects[3].created`); [] means valid. Never throws. */
export function validateBundle(bundle: unknown, options: ValidateOptions = {}): StixIssue[] {
  const sink = new IssueSink(options.maxIssues ?? 1000);
  if (!isRecord(bundle)) sink.add('$', C.WRONG_TYPE, 'a bundle must be a JSON object');
  else bundleInto(bundle, sink, options);
  return sink.issues;
}

function bundleInto(bundle: Json, sink: IssueSink, options: ValidateOptions): void {
  const id = own(bundle, 'id');
  sink.objectId = typeof id === 'string' && id.length <= 300 ? id : null;
  const type = own(bundle, 'type');
  if (type === undefined) sink.add('$.type', C.REQUIRED_PROPERTY, 'type is required');
  else if (type !== 'bundle') sink.add('$.type', C.INVALID_TYPE, 'expected type "bundle"');
  if (id === undefined) sink.add('$.id', C.REQUIRED_PROPERTY, 'id is required');
  else if (parseStixId(id)?.type !== 'bundle') sink.add('$.id', C.INVALID_ID, 'expected bundle--<uuid>');
  for (const key of Object.keys(bundle)) {
    if (key === 'type' || key === 'id' || key === 'objects') continue;
    // 2.0 bundles carried spec_version; 2.1 moved it onto each object.
    if (key === 'spec_version') sink.add('$.spec_version', C.FORBIDDEN_PROPERTY, 'STIX 2.1 bundles have no spec_version');
    else checkCustomProperty(key, bundle[key], '$', sink);
  }
  const objects = own(bundle, 'objects');
  if (objects === undefined) return;
  if (!Array.isArray(objects)) {
    sink.add('$.objects', C.WRONG_TYPE, 'objects must be a list');
    return;
  }
  if (objects.length === 0) sink.add('$.objects', C.EMPTY_VALUE, 'omit objects rather than sending an empty list');
  for (let i = 0; i < objects.length && !sink.stopped; i++) {
    const obj = objects[i];
    if (isRecord(obj) && own(obj, 'type') === 'bundle') {
      sink.objectId = typeof obj.id === 'string' ? obj.id : null;
      sink.add(`$.objects[${i}].type`, C.INVALID_TYPE, 'a bundle cannot contain a bundle');
      continue;
    }
    objectInto(obj, `$.objects[${i}]`, sink, options);
  }
}

function objectInto(obj: unknown, path: string, sink: IssueSink, options: ValidateOptions): void {
  sink.objectId = null;
  if (!isRecord(obj)) {
    sink.add(path, C.WRONG_TYPE, 'a STIX object must be a JSON object');
    return;
  }
  const id = own(obj, 'id');
  sink.objectId = typeof id === 'string' && id.length <= 300 ? id : null;

  const type = own(obj, 'type');
  let typeName = '';
  if (type === undefined) sink.add(`${path}.type`, C.REQUIRED_PROPERTY, 'type is required');
  else if (typeof type !== 'string') sink.add(`${path}.type`, C.WRONG_TYPE, 'type must be a string');
  else if (!isValidTypeName(type))
    sink.add(`${path}.type`, C.INVALID_TYPE, 'type names are 3–250 characters of a-z, 0-9 and single hyphens');
  else typeName = type;

  const parsed = parseStixId(id);
  if (id === undefined) sink.add(`${path}.id`, C.REQUIRED_PROPERTY, 'id is required');
  else if (!parsed) sink.add(`${path}.id`, C.INVALID_ID, 'expected <type>--<RFC 4122 UUID>');
  else if (typeName && parsed.type !== typeName)
    sink.add(`${path}.id`, C.TYPE_MISMATCH, `id prefix ${parsed.type} does not match type ${typeName}`);

  // Values that cannot be stored, or cost too much, are refused before any property rule runs.
  const before = sink.issues.length;
  checkValueLimits(obj, path, sink, options.limits);
  if (sink.issues.length > before) return;

  const schema = schemaFor(typeName, obj);
  for (const key of Object.keys(obj)) {
    if (key === 'type' || key === 'id' || obj[key] === undefined) continue;
    const kind = schema.props.get(key);
    if (kind) {
      if (kind.t === 'extensions') checkExtensions(typeName, obj[key], childPath(path, key), sink);
      else checkValue(kind, obj[key], childPath(path, key), sink);
    } else if (schema.forbidden.has(key)) {
      sink.add(
        childPath(path, key),
        C.FORBIDDEN_PROPERTY,
        `${key} does not apply to ${schema.category === 'sco' ? 'cyber-observable objects' : typeName}`,
      );
    } else {
      checkCustomProperty(key, obj[key], path, sink);
    }
  }
  for (const req of schema.required) {
    if (req !== 'type' && req !== 'id' && !has(obj, req)) sink.add(childPath(path, req), C.REQUIRED_PROPERTY, `${req} is required`);
  }

  const created = own(obj, 'created');
  const modified = own(obj, 'modified');
  if (typeof created === 'string' && typeof modified === 'string' && checkTimestamp(created).valid && checkTimestamp(modified).valid) {
    if (compareTimestamps(modified, created) < 0)
      sink.add(`${path}.modified`, C.MODIFIED_BEFORE_CREATED, 'modified must be at or after created');
  }

  schema.rules?.(obj, path, sink);
  checkGranularSelectors(obj, path, sink);

  if (options.requireDeterministicScoIds && schema.category === 'sco' && parsed && typeName && parsed.type === typeName) {
    let expected: string | undefined;
    try {
      expected = expectedScoId(obj as Json & { type: string });
    } catch {
      expected = undefined;
    }
    if (expected && expected !== id) sink.add(`${path}.id`, C.INVALID_ID, `deterministic id is ${expected}`);
  }
}

function checkGranularSelectors(obj: Json, path: string, sink: IssueSink): void {
  const markings = own(obj, 'granular_markings');
  if (!Array.isArray(markings)) return;
  for (let i = 0; i < markings.length; i++) {
    const m = markings[i];
    const selectors = isRecord(m) ? own(m, 'selectors') : undefined;
    if (!Array.isArray(selectors)) continue;
    for (let j = 0; j < selectors.length && !sink.stopped; j++) {
      const s = selectors[j];
      if (typeof s === 'string') checkSelector(obj, s, `${path}.granular_markings[${i}].selectors[${j}]`, sink);
    }
  }
}
