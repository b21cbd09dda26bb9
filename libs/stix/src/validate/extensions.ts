import { StixErrorCode as C } from '../errors';
import { isValidTypeName, parseStixId } from '../ids';
import { ENUMS } from '../vocabularies';
import { childPath, isRecord, type IssueSink } from './context';
import { PREDEFINED_EXTENSIONS } from './predefined-extensions';
import { checkCustomProperty, checkNested } from './values';

const EXTENSION_TYPES: ReadonlySet<string> = new Set(ENUMS.extensionType);

/** Extension types declared in an object's extension-definition extensions (new-sdo, new-sco, …). */
export function declaredExtensionTypes(extensions: unknown): Set<string> {
  const found = new Set<string>();
  if (!isRecord(extensions)) return found;
  for (const key of Object.keys(extensions)) {
    const body = extensions[key];
    if (
      key.startsWith('extension-definition--') &&
      isRecord(body) &&
      typeof body.extension_type === 'string' &&
      Object.hasOwn(body, 'extension_type')
    ) {
      found.add(body.extension_type);
    }
  }
  return found;
}

/** Validates the `extensions` dictionary of an object of `ownerType`. */
export function checkExtensions(ownerType: string, value: unknown, path: string, sink: IssueSink): void {
  if (!isRecord(value)) {
    sink.add(path, C.WRONG_TYPE, 'extensions must be an object');
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) sink.add(path, C.EMPTY_VALUE, 'extensions must have at least one entry');
  for (const key of keys) {
    const at = childPath(path, key);
    const body = value[key];
    if (!isRecord(body)) {
      sink.add(at, C.INVALID_EXTENSION, 'an extension must be an object');
      continue;
    }
    const predefined = PREDEFINED_EXTENSIONS.get(key);
    if (predefined) {
      if (predefined.appliesTo !== ownerType) sink.add(at, C.INVALID_EXTENSION, `${key} applies to ${predefined.appliesTo} only`);
      else checkNested(predefined.schema, body, at, sink);
      continue;
    }
    const parsed = parseStixId(key);
    if (parsed?.type === 'extension-definition') {
      for (const prop of Object.keys(body)) {
        if (prop === 'extension_type') {
          const t = body[prop];
          if (typeof t !== 'string' || !EXTENSION_TYPES.has(t))
            sink.add(childPath(at, prop), C.INVALID_EXTENSION, 'not a value of extension-type-enum');
        } else {
          checkCustomProperty(prop, body[prop], at, sink);
        }
      }
      continue;
    }
    // STIX 2.0-style custom extensions ("x-acme-ext") are deprecated but still legal in 2.1.
    if (key.startsWith('x-') && isValidTypeName(key)) {
      for (const prop of Object.keys(body)) checkCustomProperty(prop, body[prop], at, sink);
      continue;
    }
    sink.add(at, C.INVALID_EXTENSION, 'extension keys must be an extension-definition id or a predefined extension name');
  }
}

/** Shape check used when the owner type is unknown. */
export function checkExtensionsShape(value: unknown, path: string, sink: IssueSink): void {
  checkExtensions('', value, path, sink);
}
