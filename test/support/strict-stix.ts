import { createHash } from 'node:crypto';

// A test oracle: a strict STIX 2.1 consumer written from the specification (STIX 2.1 OS, sections
// 2.9, 3, 4–7) that knows only what the served objects themselves define. It shares no code with
// libs/stix or libs/intel on purpose: a bug there must not hide here.

type Json = Record<string, unknown>;

export type ViolationKind =
  | 'undefined-type'
  | 'custom-property'
  | 'undefined-extension'
  | 'extension-type'
  | 'sco-id'
  | 'email-addr-value'
  | 'unresolved-ref'
  | 'version-conflict';

export interface Violation {
  kind: ViolationKind;
  id: string;
  detail: string;
}

const SDO_COMMON = [
  'type',
  'spec_version',
  'id',
  'created_by_ref',
  'created',
  'modified',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
  'object_marking_refs',
  'granular_markings',
  'extensions',
];
const SCO_COMMON = ['type', 'spec_version', 'id', 'object_marking_refs', 'granular_markings', 'defanged', 'extensions'];

// Section 4 (SDOs), 5 (SROs), 6 (SCOs), 7 (meta objects): the properties each type defines.
const SDO: Record<string, string[]> = {
  'attack-pattern': ['name', 'description', 'aliases', 'kill_chain_phases'],
  campaign: ['name', 'description', 'aliases', 'first_seen', 'last_seen', 'objective'],
  'course-of-action': ['name', 'description'],
  grouping: ['name', 'description', 'context', 'object_refs'],
  identity: ['name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  incident: ['name', 'description', 'kill_chain_phases'],
  indicator: [
    'name',
    'description',
    'indicator_types',
    'pattern',
    'pattern_type',
    'pattern_version',
    'valid_from',
    'valid_until',
    'kill_chain_phases',
  ],
  infrastructure: ['name', 'description', 'infrastructure_types', 'aliases', 'kill_chain_phases', 'first_seen', 'last_seen'],
  'intrusion-set': [
    'name',
    'description',
    'aliases',
    'first_seen',
    'last_seen',
    'goals',
    'resource_level',
    'primary_motivation',
    'secondary_motivations',
  ],
  location: [
    'name',
    'description',
    'latitude',
    'longitude',
    'precision',
    'region',
    'country',
    'administrative_area',
    'city',
    'street_address',
    'postal_code',
  ],
  malware: [
    'name',
    'description',
    'malware_types',
    'is_family',
    'aliases',
    'kill_chain_phases',
    'first_seen',
    'last_seen',
    'operating_system_refs',
    'architecture_execution_envs',
    'implementation_languages',
    'capabilities',
    'sample_refs',
  ],
  'malware-analysis': [
    'product',
    'version',
    'host_vm_ref',
    'operating_system_ref',
    'installed_software_refs',
    'configuration_version',
    'modules',
    'analysis_engine_version',
    'analysis_definition_version',
    'submitted',
    'analysis_started',
    'analysis_ended',
    'result_name',
    'result',
    'analysis_sco_refs',
    'sample_ref',
  ],
  note: ['abstract', 'content', 'authors', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed', 'objects', 'object_refs'],
  opinion: ['explanation', 'authors', 'opinion', 'object_refs'],
  report: ['name', 'description', 'report_types', 'published', 'object_refs'],
  'threat-actor': [
    'name',
    'description',
    'threat_actor_types',
    'aliases',
    'first_seen',
    'last_seen',
    'roles',
    'goals',
    'sophistication',
    'resource_level',
    'primary_motivation',
    'secondary_motivations',
    'personal_motivations',
  ],
  tool: ['name', 'description', 'tool_types', 'aliases', 'kill_chain_phases', 'tool_version'],
  vulnerability: ['name', 'description'],
  relationship: ['relationship_type', 'description', 'source_ref', 'target_ref', 'start_time', 'stop_time'],
  sighting: ['description', 'first_seen', 'last_seen', 'count', 'sighting_of_ref', 'observed_data_refs', 'where_sighted_refs', 'summary'],
  'language-content': ['object_ref', 'object_modified', 'contents'],
};

const SCO: Record<string, string[]> = {
  artifact: ['mime_type', 'payload_bin', 'url', 'hashes', 'encryption_algorithm', 'decryption_key'],
  'autonomous-system': ['number', 'name', 'rir'],
  directory: ['path', 'path_enc', 'ctime', 'mtime', 'atime', 'contains_refs'],
  'domain-name': ['value', 'resolves_to_refs'],
  'email-addr': ['value', 'display_name', 'belongs_to_ref'],
  'email-message': [
    'is_multipart',
    'date',
    'content_type',
    'from_ref',
    'sender_ref',
    'to_refs',
    'cc_refs',
    'bcc_refs',
    'message_id',
    'subject',
    'received_lines',
    'additional_header_fields',
    'body',
    'body_multipart',
    'raw_email_ref',
  ],
  file: [
    'hashes',
    'size',
    'name',
    'name_enc',
    'magic_number_hex',
    'mime_type',
    'ctime',
    'mtime',
    'atime',
    'parent_directory_ref',
    'contains_refs',
    'content_ref',
  ],
  'ipv4-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'ipv6-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': [
    'start',
    'end',
    'is_active',
    'src_ref',
    'dst_ref',
    'src_port',
    'dst_port',
    'protocols',
    'src_byte_count',
    'dst_byte_count',
    'src_packets',
    'dst_packets',
    'ipfix',
    'src_payload_ref',
    'dst_payload_ref',
    'encapsulates_refs',
    'encapsulated_by_ref',
  ],
  process: [
    'is_hidden',
    'pid',
    'created_time',
    'cwd',
    'command_line',
    'environment_variables',
    'opened_connection_refs',
    'creator_user_ref',
    'image_ref',
    'parent_ref',
    'child_refs',
  ],
  software: ['name', 'cpe', 'swid', 'languages', 'vendor', 'version'],
  url: ['value'],
  'user-account': [
    'user_id',
    'credential',
    'account_login',
    'account_type',
    'display_name',
    'is_service_account',
    'is_privileged',
    'can_escalate_privs',
    'is_disabled',
    'account_created',
    'account_expires',
    'credential_last_changed',
    'account_first_login',
    'account_last_login',
  ],
  'windows-registry-key': ['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'],
  'x509-certificate': [
    'is_self_signed',
    'hashes',
    'version',
    'serial_number',
    'signature_algorithm',
    'issuer',
    'validity_not_before',
    'validity_not_after',
    'subject',
    'subject_public_key_algorithm',
    'subject_public_key_modulus',
    'subject_public_key_exponent',
    'x509_v3_extensions',
  ],
};

const META: Record<string, string[]> = {
  'marking-definition': [
    'type',
    'spec_version',
    'id',
    'created_by_ref',
    'created',
    'external_references',
    'object_marking_refs',
    'granular_markings',
    'extensions',
    'name',
    'definition_type',
    'definition',
  ],
  'extension-definition': [
    'type',
    'spec_version',
    'id',
    'created_by_ref',
    'created',
    'modified',
    'revoked',
    'labels',
    'external_references',
    'object_marking_refs',
    'granular_markings',
    'name',
    'description',
    'schema',
    'version',
    'extension_types',
    'extension_properties',
  ],
};

// Section 6: the ID Contributing Properties of each SCO.
const ID_PROPS: Record<string, string[]> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

// Section 6: predefined extensions, by the SCO type they extend.
const PREDEFINED_EXTENSIONS: Record<string, string> = {
  'archive-ext': 'file',
  'ntfs-ext': 'file',
  'pdf-ext': 'file',
  'raster-image-ext': 'file',
  'windows-pebinary-ext': 'file',
  'http-request-ext': 'network-traffic',
  'icmp-ext': 'network-traffic',
  'socket-ext': 'network-traffic',
  'tcp-ext': 'network-traffic',
  'windows-process-ext': 'process',
  'windows-service-ext': 'process',
  'unix-account-ext': 'user-account',
};

// Section 7.2.1.3 / TLP 2.0: marking definitions every consumer knows without being sent them.
const WELL_KNOWN = new Set([
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
]);

// The TLP 2.0 marking definitions carry OASIS's own extension (published by the CTI TC, known to
// every TLP 2.0 consumer) with the property `tlp`.
const WELL_KNOWN_EXTENSIONS: Record<string, string[]> = {
  'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': ['property-extension'],
};

/**
 * The ID contributing properties of new SCO types, as the schema each served new-sco definition
 * names declares them. Only Cairn's definition is served; its description states
 * `phone-number (value), cryptocurrency-wallet (value), bank-account (iban, …), persona (persona_name, persona_type)`.
 */
const NEW_SCO_ID_PROPS: Record<string, string[]> = {
  'phone-number': ['value'],
  'cryptocurrency-wallet': ['value'],
  'bank-account': ['iban'],
  persona: ['persona_name', 'persona_type'],
};
const NEW_SCO_PROPS: Record<string, string[]> = {
  'phone-number': ['value'],
  'cryptocurrency-wallet': ['value'],
  'bank-account': ['iban', 'bic', 'account_number'],
  persona: ['persona_name', 'persona_type'],
};

const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** RFC 5322 §3.4.1 addr-spec with dot-atom local part and domain (no quoted strings, no domain literals). */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const ADDR_SPEC = new RegExp(
  `^${ATEXT}(?:\\.${ATEXT})*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`,
);

function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** RFC 8785 for the values STIX ids are made of (strings, integers, booleans, arrays, objects). */
function jcs(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Json;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jcs(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function recomputedScoId(obj: Json, props: string[]): string | undefined {
  const picked: Json = {};
  for (const p of props) {
    let v = obj[p];
    if (v === undefined || v === null) continue;
    // Section 6: of several hashes only one contributes, MD5 first, then SHA-1, SHA-256, SHA-512.
    if (p === 'hashes' && typeof v === 'object') {
      const h = v as Json;
      const alg = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'].find((a) => a in h) ?? Object.keys(h)[0];
      v = alg === undefined ? undefined : { [alg]: h[alg] };
      if (v === undefined) continue;
    }
    picked[p] = v;
  }
  return Object.keys(picked).length === 0 ? undefined : `${obj.type as string}--${uuidV5(SCO_NAMESPACE, jcs(picked))}`;
}

function refsOf(value: unknown, visit: (ref: string, path: string) => void, path = ''): void {
  if (Array.isArray(value)) return value.forEach((v, i) => refsOf(v, visit, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value as Json)) {
    if (k.endsWith('_ref') && typeof v === 'string') visit(v, `${path}.${k}`);
    else if (k.endsWith('_refs') && Array.isArray(v)) v.forEach((r, i) => typeof r === 'string' && visit(r, `${path}.${k}[${i}]`));
    else refsOf(v, visit, `${path}.${k}`);
  }
}

/**
 * Every violation of the strict rules in what one door served (all of it, so that references and
 * extension definitions can be resolved against it): undefined types, custom properties and
 * extensions without a served extension-definition, SCO ids that are not their deterministic id,
 * e-mail addresses that are not addr-specs, references to objects not served, and one version
 * (id and modified) served with two different contents.
 */
export function strictViolations(served: Json[]): Violation[] {
  const out: Violation[] = [];
  const versions = new Map<string, string>();
  for (const obj of served) {
    if (typeof obj.modified !== 'string') continue;
    const key = `${String(obj.id)}|${obj.modified}`;
    const content = jcs(obj);
    if (versions.has(key) && versions.get(key) !== content)
      out.push({ kind: 'version-conflict', id: String(obj.id), detail: `${obj.modified} served with two contents` });
    versions.set(key, content);
  }
  const ids = new Set(served.map((o) => o.id as string));
  const definitions = new Map(served.filter((o) => o.type === 'extension-definition').map((d) => [d.id as string, d]));
  for (const obj of served) {
    const id = String(obj.id);
    const type = String(obj.type);
    const add = (kind: ViolationKind, detail: string) => out.push({ kind, id, detail });
    const extensions = obj.extensions && typeof obj.extensions === 'object' ? (obj.extensions as Json) : {};
    // Extensions: predefined ones on their own type, or an extension-definition that is served.
    const newTypeBy: string[] = [];
    for (const [key, body] of Object.entries(extensions)) {
      if (PREDEFINED_EXTENSIONS[key] !== undefined) {
        if (PREDEFINED_EXTENSIONS[key] !== type) add('undefined-extension', `${key} on ${type}`);
        continue;
      }
      const def = definitions.get(key) ?? (WELL_KNOWN_EXTENSIONS[key] ? { extension_types: WELL_KNOWN_EXTENSIONS[key] } : undefined);
      if (!def) {
        add('undefined-extension', `${key} is not a served extension-definition`);
        continue;
      }
      const declared = (def.extension_types as string[] | undefined) ?? [];
      const used = (body as Json | null)?.extension_type;
      if (typeof used !== 'string' || !declared.includes(used))
        add('extension-type', `${key}: extension_type ${String(used)} not among ${declared.join(', ')}`);
      if (typeof used === 'string' && used.startsWith('new-')) newTypeBy.push(used);
      for (const p of Object.keys((body as Json) ?? {}))
        if (!/^[a-z0-9_]{3,250}$/.test(p)) add('custom-property', `${key}.${p} is not a valid extension property name`);
    }
    let allowed: string[] | undefined;
    let idProps: string[] | undefined;
    if (META[type]) allowed = META[type];
    else if (SDO[type]) allowed = [...SDO_COMMON, ...SDO[type]];
    else if (SCO[type]) {
      allowed = [...SCO_COMMON, ...SCO[type]];
      idProps = ID_PROPS[type];
    } else if (newTypeBy.includes('new-sco') && NEW_SCO_PROPS[type]) {
      allowed = [...SCO_COMMON, ...NEW_SCO_PROPS[type]];
      idProps = NEW_SCO_ID_PROPS[type];
    } else if (newTypeBy.length > 0) {
      allowed = undefined; // a new type defined by a served definition: its own schema governs its properties
    } else {
      add('undefined-type', `${type} is neither a STIX 2.1 type nor defined by a served extension-definition`);
    }
    // Toplevel-property-extensions declare their properties in extension_properties.
    const toplevel = Object.keys(extensions).flatMap((k) =>
      (extensions[k] as Json)?.extension_type === 'toplevel-property-extension'
        ? ((definitions.get(k)?.extension_properties as string[]) ?? [])
        : [],
    );
    if (allowed)
      for (const p of Object.keys(obj)) if (!allowed.includes(p) && !toplevel.includes(p)) add('custom-property', `${type}.${p}`);
    if (idProps) {
      const expected = recomputedScoId(obj, idProps);
      if (expected !== undefined && expected !== id) add('sco-id', `${id} should be ${expected}`);
    }
    if (type === 'email-addr' && (typeof obj.value !== 'string' || !ADDR_SPEC.test(obj.value)))
      add('email-addr-value', `value ${JSON.stringify(obj.value)} is not an addr-spec`);
    refsOf(obj, (ref, path) => {
      if (!ids.has(ref) && !WELL_KNOWN.has(ref)) add('unresolved-ref', `${path} → ${ref}`);
    });
  }
  return out;
}

/** Violations counted by kind and what they are about (ids and keys left out), for a readable failure. */
export function summarise(violations: Violation[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of violations) {
    const what = v.detail
      .replace(/--[0-9a-f-]{36}/g, '--…')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\[\d+\]/g, '[n]');
    const key = `${v.kind}: ${v.kind === 'sco-id' ? v.id.split('--')[0] : what}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Violations counted by kind, for a readable failure. */
export function countByKind(violations: Violation[]): Partial<Record<ViolationKind, number>> {
  const counts: Partial<Record<ViolationKind, number>> = {};
  for (const v of violations) counts[v.kind] = (counts[v.kind] ?? 0) + 1;
  return counts;
}
