// RFC 8785 (JSON Canonicalization Scheme). ECMAScript's JSON.stringify already
// produces the RFC's number and string forms, so only key order, rejection of
// non-JSON values and lone surrogates need care here.

const MAX_DEPTH = 1000;

/** Returns the RFC 8785 canonical text of a JSON value; throws TypeError on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('canonicalJson: nesting too deep');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'string':
      return quote(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + write(value[i], depth + 1);
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is exactly what RFC 8785 asks for.
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const v = record[key];
        if (v === undefined) continue;
        out += (first ? '' : ',') + quote(key) + ':' + write(v, depth + 1);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function quote(s: string): string {
  if (LONE_SURROGATE.test(s)) throw new TypeError('canonicalJson: string contains a lone surrogate');
  return JSON.stringify(s);
}
