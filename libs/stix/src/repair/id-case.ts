import { canonicalStixId } from '../ids';

type Json = Record<string, unknown>;

/** One id written with upper-case hex digits, now in lower case. `path` is below `$.objects[index]` (index -1: the bundle). */
export interface IdCaseChange {
  index: number;
  path: string;
  from: string;
  to: string;
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const EXTENSION_KEY = /^extension-definition--/;

/**
 * Rewrites, in place, every identifier of a bundle to its canonical spelling (the UUID in lower
 * case): the bundle id, each object's id, every `*_ref` / `*_refs` at any depth and the
 * extension-definition ids that key `extensions`. One object thus keeps one identity, and every
 * reference to it still resolves. Free text is not touched. Returns what changed.
 */
export function lowerCaseIds(bundle: unknown): IdCaseChange[] {
  const changes: IdCaseChange[] = [];
  if (!isRecord(bundle)) return changes;
  const fix = (value: string, index: number, path: string): string => {
    const to = canonicalStixId(value);
    if (to !== value) changes.push({ index, path, from: value, to });
    return to;
  };
  if (typeof bundle.id === 'string') bundle.id = fix(bundle.id, -1, '$.id');
  if (!Array.isArray(bundle.objects)) return changes;
  bundle.objects.forEach((obj, index) => {
    if (!isRecord(obj)) return;
    if (typeof obj.id === 'string') obj.id = fix(obj.id, index, `$.objects[${index}].id`);
    walk(obj, `$.objects[${index}]`, (v, p) => fix(v, index, p));
  });
  return changes;
}

function walk(value: Json, path: string, fix: (v: string, path: string) => string): void {
  for (const key of Object.keys(value)) {
    const v = value[key];
    const at = `${path}.${key}`;
    if (key.endsWith('_ref') && typeof v === 'string') value[key] = fix(v, at);
    else if (key.endsWith('_refs') && Array.isArray(v)) value[key] = v.map((r, i) => (typeof r === 'string' ? fix(r, `${at}[${i}]`) : r));
    else if (key === 'extensions' && isRecord(v)) value[key] = renameExtensionKeys(v, at, fix);
    else if (Array.isArray(v)) v.forEach((item, i) => isRecord(item) && walk(item, `${at}[${i}]`, fix));
    else if (isRecord(v)) walk(v, at, fix);
  }
}

/** `extensions` keyed by extension-definition ids: the keys are ids too. Order is kept. */
function renameExtensionKeys(ext: Json, path: string, fix: (v: string, path: string) => string): Json {
  const out: Json = {};
  for (const [key, body] of Object.entries(ext)) {
    const name = EXTENSION_KEY.test(key) ? fix(key, `${path}['${key}']`) : key;
    if (isRecord(body)) walk(body, `${path}['${name}']`, fix);
    // Two spellings of one extension: the second keeps its own, so nothing is merged or lost (and the validator sees both).
    out[Object.hasOwn(out, name) ? key : name] = body;
  }
  return out;
}
