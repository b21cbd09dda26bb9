import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

type Json = Record<string, unknown>;

/**
 * Rewrites documents stored before Cairn served its own content as STIX 2.1 extensions (issue 16),
 * so that they are served in the same form as new ones:
 *
 * - `x_cairn_protected` → the protection property extension; each protected value, stored as
 *   "[protected]", becomes its rendering (`<key>@protected.invalid` for e-mail addresses and the
 *   e-mail logins of accounts, `mailto:<key>@protected.invalid` for mailto URLs, `protected:<key>`
 *   otherwise) — which keeps equal values equal and the ids of observables distinct;
 * - indicator patterns `[t:…x_cairn_protected.p = '<key>']` → `[t:…p = '<rendering>']`;
 * - `x_cairn_area` (cell identities) and a sighting's `x_cairn_interview_stage`, `…role_category`,
 *   `…hiring_channel` → the context property extension;
 * - deterministic SCO ids recomputed from the rewritten documents (until no id changes: an
 *   email-message's id follows its from_ref), every reference to a changed id in every stored
 *   document follows, and so do the reference keys of the identifier index.
 *
 * The keys themselves do not change, so the index rows of protected values stay valid. Everything
 * is written out here (no @cairn/* import: migrations also run outside the app's module aliases)
 * so that this migration keeps doing what it did when the code it was written against moves on. Versions keep their date_added: TAXII clients
 * that pulled them before see the new form on their next full pull.
 */
export class CairnExtensions1766000200000 implements MigrationInterface {
  name = 'CairnExtensions1766000200000';

  async up(q: QueryRunner): Promise<void> {
    const rows: Array<{ pk: string; id: string; type: string; doc: Json }> = await q.query(`
      SELECT pk::text, id, type, doc FROM stix_object
       WHERE doc ?| array['x_cairn_protected', 'x_cairn_area', 'x_cairn_interview_stage', 'x_cairn_role_category', 'x_cairn_hiring_channel']
          OR (type = 'indicator' AND doc->>'pattern' LIKE '%x_cairn_protected%')
          OR type = 'email-message'`);
    const changed = new Map<string, { pk: string; doc: Json }>();
    for (const row of rows) if (modernise(row.doc)) changed.set(row.pk, row);

    // Ids, to a fixed point, over the observables loaded (the only ones whose contributing properties changed).
    const idMap = new Map<string, string>();
    for (let round = 0; round <= rows.length; round++) {
      const now = new Map<string, string>();
      for (const row of rows) {
        const expected = expectedScoId(row.doc);
        if (expected === undefined || expected === row.doc.id) continue;
        now.set(row.doc.id as string, expected);
        row.doc.id = expected;
        changed.set(row.pk, row);
      }
      if (now.size === 0) break;
      for (const row of rows) if (rewriteRefs(row.doc, now)) changed.set(row.pk, row);
      for (const [from, to] of idMap) if (now.has(to)) idMap.set(from, now.get(to)!);
      for (const [from, to] of now) idMap.set(from, to);
    }
    for (const { pk, doc } of changed.values())
      await q.query(`UPDATE stix_object SET doc = $2::jsonb, id = $3 WHERE pk = $1::bigint`, [pk, JSON.stringify(doc), doc.id]);

    // Every other document that references a changed id (relationships, reports, notes …).
    const old = [...idMap.keys()];
    for (let i = 0; i < old.length; i += 500) {
      const chunk = old.slice(i, i + 500);
      const referring: Array<{ pk: string; doc: Json }> = await q.query(
        `SELECT pk::text, doc FROM stix_object WHERE doc::text LIKE ANY ($1::text[]) AND NOT (pk::text = ANY ($2::text[]))`,
        [chunk.map((id) => `%${id}%`), [...changed.keys()]],
      );
      for (const r of referring)
        if (rewriteRefs(r.doc, idMap))
          await q.query(`UPDATE stix_object SET doc = $2::jsonb WHERE pk = $1::bigint`, [r.pk, JSON.stringify(r.doc)]);
      await q.query(
        `UPDATE observable_index i SET key = m.to_id FROM unnest($1::text[], $2::text[]) AS m(from_id, to_id)
          WHERE i.kind IN ('REL_SOURCE', 'REL_TARGET', 'SIGHTING_OF') AND i.key = m.from_id`,
        [chunk, chunk.map((id) => idMap.get(id)!)],
      );
    }
  }

  async down(): Promise<void> {
    // The raw values are gone either way; the legacy form is not written back.
  }
}

// @cairn/stix CAIRN_PROTECTION_EXTENSION_ID and CAIRN_CONTEXT_EXTENSION_ID.
export const PROTECTION = 'extension-definition--f3c1259f-2df8-50eb-922f-c23dee738975';
export const CONTEXT_EXT = 'extension-definition--4b1d59d1-9565-533c-a60e-e2878f00fa63';
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
// The observables whose id-contributing properties this migration can change (STIX 2.1 section 6, and Cairn's).
const ID_PROPS: Readonly<Record<string, readonly string[]>> = {
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'phone-number': ['value'],
  'bank-account': ['iban'],
  persona: ['persona_name', 'persona_type'],
};

function jcs(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jcs((v as Json)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function expectedScoId(doc: Json): string | undefined {
  const props = ID_PROPS[String(doc.type)];
  if (!props) return undefined;
  const picked: Json = {};
  for (const p of props) if (doc[p] !== undefined && doc[p] !== null) picked[p] = doc[p];
  if (Object.keys(picked).length === 0) return undefined;
  const b = createHash('sha1')
    .update(Buffer.from(SCO_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(jcs(picked), 'utf8')
    .digest()
    .subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${String(doc.type)}--${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const EMAIL_PROPS: Readonly<Record<string, readonly string[]>> = {
  'email-addr': ['value'],
  'user-account': ['user_id', 'account_login'],
  url: ['value'],
};
const CONTEXT = ['area', 'interview_stage', 'role_category', 'hiring_channel'];
const HEX = /^[0-9a-f]{64}$/;

function rendering(type: string, prop: string, key: string): string {
  if (!EMAIL_PROPS[type]?.includes(prop)) return `protected:${key}`;
  return type === 'url' ? `mailto:${key}@protected.invalid` : `${key}@protected.invalid`;
}

function extensionsOf(doc: Json): Json {
  const ext = doc.extensions && typeof doc.extensions === 'object' && !Array.isArray(doc.extensions) ? (doc.extensions as Json) : {};
  doc.extensions = ext;
  return ext;
}

/** Rewrites one document in place into the extension form; true when anything changed. */
export function modernise(doc: Json): boolean {
  let changed = false;
  const type = String(doc.type);
  const legacy = doc.x_cairn_protected as Json | undefined;
  if (legacy !== undefined) {
    delete doc.x_cairn_protected;
    changed = true;
    const keys: Json = {};
    if (legacy && typeof legacy === 'object' && legacy.algorithm === 'HMAC-SHA256') {
      for (const [prop, key] of Object.entries(legacy)) {
        if (prop === 'algorithm' || typeof key !== 'string' || !HEX.test(key)) continue;
        keys[prop] = key;
        if (doc[prop] === '[protected]') doc[prop] = rendering(type, prop, key);
      }
    }
    if (Object.keys(keys).length > 0)
      extensionsOf(doc)[PROTECTION] = { extension_type: 'property-extension', algorithm: 'HMAC-SHA256', ...keys };
  }
  const context: Json = {};
  for (const prop of CONTEXT) {
    if (doc[`x_cairn_${prop}`] === undefined) continue;
    context[prop] = doc[`x_cairn_${prop}`];
    delete doc[`x_cairn_${prop}`];
  }
  if (Object.keys(context).length > 0) {
    extensionsOf(doc)[CONTEXT_EXT] = { extension_type: 'property-extension', ...context };
    changed = true;
  }
  if (type === 'indicator' && typeof doc.pattern === 'string' && doc.pattern.includes('x_cairn_protected')) {
    const next = modernisePattern(doc.pattern);
    if (next !== doc.pattern) {
      doc.pattern = next;
      changed = true;
    }
  }
  return changed;
}

// How the old pipeline printed a protected test: `<type>:<ref steps.>x_cairn_protected.<prop> <op> <hex | (hex, …)>`.
const LEGACY_TEST =
  /([a-z0-9-]+):((?:[a-z0-9_]+(?:\[(?:\*|\d+)\])?\.)*)x_cairn_protected\.([a-z0-9_]+)(\s+(?:NOT\s+)?(?:=|!=|IN)\s+)(\((?:\s*'[0-9a-f]{64}'\s*,?)+\)|'[0-9a-f]{64}')/g;

export function modernisePattern(pattern: string): string {
  return pattern.replace(LEGACY_TEST, (_all, type: string, refs: string, prop: string, op: string, literal: string) => {
    // Through a reference (email-message:from_ref.x_cairn_protected.value) it is an e-mail address.
    const rendered = literal.replace(/'([0-9a-f]{64})'/g, (_m, key: string) => `'${rendering(refs ? 'email-addr' : type, prop, key)}'`);
    return `${type}:${refs}${prop}${op}${rendered}`;
  });
}

function rewriteRefs(value: unknown, map: ReadonlyMap<string, string>): boolean {
  let changed = false;
  const fix = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(fix);
    if (!v || typeof v !== 'object') return;
    const o = v as Json;
    for (const [k, x] of Object.entries(o)) {
      if (k.endsWith('_ref') && typeof x === 'string' && map.has(x)) {
        o[k] = map.get(x);
        changed = true;
      } else if (k.endsWith('_refs') && Array.isArray(x) && x.some((r) => typeof r === 'string' && map.has(r))) {
        o[k] = [...new Set(x.map((r) => (typeof r === 'string' ? (map.get(r) ?? r) : r)))];
        changed = true;
      } else fix(x);
    }
  };
  fix(value);
  return changed;
}
