type Json = Record<string, unknown>;

function isRefKey(key: string): 'one' | 'many' | undefined {
  if (key.endsWith('_ref')) return 'one';
  if (key.endsWith('_refs')) return 'many';
  return undefined;
}

/**
 * Calls `visit` for every identifier an object references: `*_ref` / `*_refs` properties at any
 * depth (granular_markings[].marking_ref, extension bodies …). `path` is a JSON path below `base`.
 */
export function forEachRef(obj: Json, visit: (ref: string, path: string, key: string) => void, base = '$'): void {
  walk(obj, base, visit);
}

function walk(value: unknown, path: string, visit: (ref: string, path: string, key: string) => void): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object' && value[i] !== null) walk(value[i], `${path}[${i}]`, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    const v = (value as Json)[key];
    const kind = isRefKey(key);
    if (kind === 'one' && typeof v === 'string') visit(v, `${path}.${key}`, key);
    else if (kind === 'many' && Array.isArray(v)) v.forEach((r, i) => typeof r === 'string' && visit(r, `${path}.${key}[${i}]`, key));
    else if (typeof v === 'object' && v !== null && key !== 'x_cairn_protected') walk(v, `${path}.${key}`, visit);
  }
}

/** Rewrites references in place through `map` (ids absent from it stay); true when anything changed. */
export function rewriteRefs(obj: Json, map: ReadonlyMap<string, string>): boolean {
  if (map.size === 0) return false;
  let changed = false;
  const fix = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) fix(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const o = value as Json;
    for (const key of Object.keys(o)) {
      const v = o[key];
      const kind = isRefKey(key);
      if (kind === 'one' && typeof v === 'string') {
        const to = map.get(v);
        if (to !== undefined && to !== v) {
          o[key] = to;
          changed = true;
        }
      } else if (kind === 'many' && Array.isArray(v)) {
        const next = v.map((r) => (typeof r === 'string' ? (map.get(r) ?? r) : r));
        if (next.some((r, i) => r !== v[i])) {
          // A list of references must not repeat itself after two ids collapsed into one.
          o[key] = [...new Set(next)];
          changed = true;
        }
      } else if (typeof v === 'object' && v !== null && key !== 'x_cairn_protected') fix(v);
    }
  };
  fix(obj);
  return changed;
}
