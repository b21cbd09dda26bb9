import { StixErrorCode as C, type StixIssue } from '../errors';
import { checkTimestamp } from '../timestamps';
import { validate } from '../validate';

type Json = Record<string, unknown>;

/** What repair mode may change; each is a change of form, never of meaning. */
export const RepairCode = {
  /** An optional property holding nothing ("" where an id belongs, [] or {}, null): dropped, as STIX says to omit it. */
  EMPTY_OPTIONAL_PROPERTY: 'EMPTY_OPTIONAL_PROPERTY',
  /** A STIX 2.0 bundle's spec_version: 2.1 carries it on each object instead. */
  BUNDLE_SPEC_VERSION: 'BUNDLE_SPEC_VERSION',
  /** An object of that 2.0 bundle without spec_version: given "2.1", then validated in full as 2.1. */
  OBJECT_SPEC_VERSION: 'OBJECT_SPEC_VERSION',
  /** An indicator of that 2.0 bundle without pattern_type: STIX 2.0 patterns could only be STIX patterns, so "stix" (then parsed as 2.1). */
  PATTERN_TYPE_STIX: 'PATTERN_TYPE_STIX',
  /** created / modified with fewer than three fractional digits: padded with zeros (the same instant). */
  TIMESTAMP_PRECISION: 'TIMESTAMP_PRECISION',
} as const;
export type RepairCode = (typeof RepairCode)[keyof typeof RepairCode];

/** One change repair mode made. `index` is the object's place in the bundle (-1: the bundle itself). */
export interface StixRepair {
  index: number;
  objectId: string | null;
  path: string;
  code: RepairCode;
  message: string;
}

export interface RepairResult {
  /** A repaired copy; the input is left as it was. */
  bundle: unknown;
  repairs: StixRepair[];
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Repairs what is safely repairable in a bundle, on a copy: only what the validator refuses, and
 * only where the fix keeps the meaning (an empty optional value is absent; a padded timestamp is
 * the same instant; a 2.0 bundle's spec_version moves to its objects). A drop that leaves a
 * required property missing is undone, so the object is refused for what it really lacks.
 * Everything else is left for validation to report.
 */
export function repairBundle(input: unknown): RepairResult {
  const repairs: StixRepair[] = [];
  if (!isRecord(input)) return { bundle: input, repairs };
  const bundle = structuredClone(input);
  const bundleId = typeof bundle.id === 'string' ? bundle.id : null;
  let from20 = false;
  if (Object.hasOwn(bundle, 'spec_version')) {
    from20 = true;
    repairs.push({
      index: -1,
      objectId: bundleId,
      path: '$.spec_version',
      code: RepairCode.BUNDLE_SPEC_VERSION,
      message: `removed bundle spec_version ${JSON.stringify(bundle.spec_version)}: STIX 2.1 bundles carry none`,
    });
    delete bundle.spec_version;
  }
  if (!Array.isArray(bundle.objects)) return { bundle, repairs };
  bundle.objects.forEach((obj, index) => {
    if (isRecord(obj) && obj.type !== 'bundle') repairs.push(...repairObject(obj, index, from20));
  });
  return { bundle, repairs };
}

function repairObject(obj: Json, index: number, from20: boolean): StixRepair[] {
  const out: StixRepair[] = [];
  const id = typeof obj.id === 'string' ? obj.id : null;
  const at = (path: string) => `$.objects[${index}]${path.slice(1)}`;
  if (from20 && !Object.hasOwn(obj, 'spec_version')) {
    obj.spec_version = '2.1';
    out.push({
      index,
      objectId: id,
      path: at('$.spec_version'),
      code: RepairCode.OBJECT_SPEC_VERSION,
      message: 'object of a STIX 2.0 bundle: spec_version "2.1" added, and validated as 2.1',
    });
    if (obj.type === 'indicator' && !Object.hasOwn(obj, 'pattern_type') && typeof obj.pattern === 'string') {
      obj.pattern_type = 'stix';
      out.push({
        index,
        objectId: id,
        path: at('$.pattern_type'),
        code: RepairCode.PATTERN_TYPE_STIX,
        message: 'indicator of a STIX 2.0 bundle: pattern_type "stix" added (2.0 knew no other)',
      });
    }
  }
  const dropped: Array<{ path: string; parent: Json; key: string; value: unknown; repair: StixRepair }> = [];
  for (const issue of validate(obj)) {
    const target = locate(obj, issue.path);
    if (!target) continue;
    const value = target.parent[target.key];
    if (isEmptyFlag(issue, value)) {
      const repair: StixRepair = {
        index,
        objectId: id,
        path: at(issue.path),
        code: RepairCode.EMPTY_OPTIONAL_PROPERTY,
        message: `dropped empty ${describe(value)} (${issue.code}: ${issue.message})`,
      };
      dropped.push({ path: issue.path, parent: target.parent, key: target.key, value, repair });
      delete target.parent[target.key];
      out.push(repair);
    } else if (issue.code === C.INVALID_TIMESTAMP && (target.key === 'created' || target.key === 'modified') && typeof value === 'string') {
      const ts = checkTimestamp(value);
      if (!ts.valid || ts.precision >= 3) continue;
      const padded = `${value.slice(0, 19)}.${(ts.precision ? value.slice(20, -1) : '').padEnd(3, '0')}Z`;
      target.parent[target.key] = padded;
      out.push({
        index,
        objectId: id,
        path: at(issue.path),
        code: RepairCode.TIMESTAMP_PRECISION,
        message: `${value} written as ${padded} (STIX requires millisecond precision here)`,
      });
    }
  }
  if (dropped.length === 0) return out;
  // A property that turns out to be required goes back: the object is then refused for it, as submitted.
  const required = new Set(
    validate(obj)
      .filter((i) => i.code === C.REQUIRED_PROPERTY)
      .map((i) => i.path),
  );
  for (const d of dropped) {
    if (!required.has(d.path)) continue;
    d.parent[d.key] = d.value;
    out.splice(out.indexOf(d.repair), 1);
  }
  return out;
}

/** An issue about a value that holds nothing: "" where an identifier belongs, an empty list or object, null. */
function isEmptyFlag(issue: StixIssue, value: unknown): boolean {
  if (value === null) return issue.code === C.WRONG_TYPE || issue.code === C.INVALID_REFERENCE;
  if (value === '') return issue.code === C.INVALID_REFERENCE || issue.code === C.EMPTY_VALUE || issue.code === C.INVALID_VALUE;
  if (Array.isArray(value)) return value.length === 0 && issue.code === C.EMPTY_VALUE;
  if (isRecord(value)) return Object.keys(value).length === 0 && issue.code === C.EMPTY_VALUE;
  return false;
}

function describe(value: unknown): string {
  return value === null ? 'null' : value === '' ? 'string' : Array.isArray(value) ? 'list' : 'object';
}

const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/y;

/** The object property a validator path (`$.a.b[2]['SHA-256']`) names, when it is a property of an object (not a list item). */
function locate(root: Json, path: string): { parent: Json; key: string } | undefined {
  if (!path.startsWith('$')) return undefined;
  const keys: Array<string | number> = [];
  SEGMENT.lastIndex = 1;
  while (SEGMENT.lastIndex < path.length) {
    const m = SEGMENT.exec(path);
    if (!m) return undefined;
    keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(`"${m[3]}"`) as string)));
  }
  const last = keys.pop();
  if (typeof last !== 'string') return undefined;
  let node: unknown = root;
  for (const k of keys) {
    node =
      typeof k === 'number' ? (Array.isArray(node) ? node[k] : undefined) : isRecord(node) && Object.hasOwn(node, k) ? node[k] : undefined;
    if (node === undefined) return undefined;
  }
  return isRecord(node) && Object.hasOwn(node, last) ? { parent: node, key: last } : undefined;
}
