import { StixErrorCode, type StixIssue } from '../errors';

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `$.a` for plain keys, `$['SHA-256']` otherwise, so every path can be read back unambiguously. */
export function childPath(path: string, key: string): string {
  return BARE_KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key).replace(/^"|"$/g, "'")}]`;
}

/** Collects issues for one validate call; caps their number so hostile input cannot exhaust memory. */
export class IssueSink {
  readonly issues: StixIssue[] = [];
  objectId: string | null = null;
  private full = false;

  constructor(private readonly maxIssues: number) {}

  add(path: string, code: StixErrorCode, message: string): void {
    if (this.full) return;
    if (this.issues.length >= this.maxIssues) {
      this.full = true;
      this.issues.push({
        objectId: this.objectId,
        path,
        code: StixErrorCode.LIMIT_EXCEEDED,
        message: `more than ${this.maxIssues} issues; stopped reporting`,
      });
      return;
    }
    this.issues.push({ objectId: this.objectId, path, code, message });
  }

  get stopped(): boolean {
    return this.full;
  }
}

export type Json = Record<string, unknown>;

/** A JSON object usable as a record (not null, not an array). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Present means own and not undefined: JSON.stringify drops undefined members, so JS callers' `{ x: undefined }` is absent. */
export function has(obj: Json, key: string): boolean {
  return Object.hasOwn(obj, key) && obj[key] !== undefined;
}

/** Own property or undefined: never reads through the prototype chain. */
export function own(obj: Json, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
