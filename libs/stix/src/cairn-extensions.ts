import { uuidV5 } from './ids';
import { CAIRN_IDENTITY_ID, CAIRN_OBSERVABLES_EXTENSION } from './custom-observables';
import type { ExtensionDefinition } from './types/meta';

// Cairn's own properties are STIX 2.1 property extensions (spec 7.3), not x_cairn_* custom
// properties: a strict consumer that knows only the definitions Cairn serves accepts them.
const CAIRN_NAMESPACE = 'b1f2c4f8-3c1a-4f4e-9b6e-0d7f5d0c2a11';
const DEFINED = '2025-01-01T00:00:00.000Z';

/** Id of the property extension that holds the keyed hashes of protected values. */
export const CAIRN_PROTECTION_EXTENSION_ID = `extension-definition--${uuidV5(CAIRN_NAMESPACE, 'cairn-protected-values-v1')}`;

/** Id of the property extension that holds Cairn's context (a sighting's hiring context, a cell identity's area). */
export const CAIRN_CONTEXT_EXTENSION_ID = `extension-definition--${uuidV5(CAIRN_NAMESPACE, 'cairn-context-v1')}`;

function definition(id: string, name: string, description: string, schema: string, extensionProperties?: string[]): ExtensionDefinition {
  return Object.freeze({
    type: 'extension-definition',
    spec_version: '2.1',
    id,
    created_by_ref: CAIRN_IDENTITY_ID,
    created: DEFINED,
    modified: DEFINED,
    name,
    description,
    schema,
    version: '1.0.0',
    extension_types: ['property-extension'],
    ...(extensionProperties ? { extension_properties: extensionProperties } : {}),
  }) as unknown as ExtensionDefinition;
}

/** The extension-definition of protected values. */
export const CAIRN_PROTECTION_EXTENSION = definition(
  CAIRN_PROTECTION_EXTENSION_ID,
  'Cairn protected values',
  'Personal data stored only as a keyed hash. `algorithm` is HMAC-SHA256; each other property is named after the protected property of the object and holds the lower-case hex HMAC of its normalised value. The protected property itself holds <hmac>@protected.invalid (e-mail addresses), mailto:<hmac>@protected.invalid (mailto URLs) or protected:<hmac> (anything else).',
  'https://cairn.example/schemas/protected-values-v1.json',
);

/** The extension-definition of Cairn's context properties. */
export const CAIRN_CONTEXT_EXTENSION = definition(
  CAIRN_CONTEXT_EXTENSION_ID,
  'Cairn context',
  'sighting: interview_stage, role_category, hiring_channel (the hiring context a member reported); identity of class "class": area (the region or "global" of a small-crowd cell).',
  'https://cairn.example/schemas/context-v1.json',
  ['interview_stage', 'role_category', 'hiring_channel', 'area'],
);

/** Every extension-definition Cairn publishes, by id. */
export const CAIRN_EXTENSION_DEFINITIONS: ReadonlyMap<string, ExtensionDefinition> = new Map(
  [CAIRN_OBSERVABLES_EXTENSION, CAIRN_PROTECTION_EXTENSION, CAIRN_CONTEXT_EXTENSION].map((d) => [d.id as string, d]),
);

/** The body of one of Cairn's property extensions on `doc`, if present. */
export function cairnExtension(doc: Record<string, unknown>, id: string): Record<string, unknown> | undefined {
  const ext = doc.extensions;
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) return undefined;
  const body = (ext as Record<string, unknown>)[id];
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** Sets (merging) the properties of a property extension on `doc`, in place. */
export function setCairnExtension(doc: Record<string, unknown>, id: string, props: Record<string, unknown>): void {
  const ext =
    typeof doc.extensions === 'object' && doc.extensions !== null && !Array.isArray(doc.extensions)
      ? (doc.extensions as Record<string, unknown>)
      : {};
  ext[id] = { extension_type: 'property-extension', ...(cairnExtension(doc, id) ?? {}), ...props };
  doc.extensions = ext;
}

/** Removes one extension from `doc` (and `extensions` itself when it is left empty: STIX forbids an empty one). */
export function removeCairnExtension(doc: Record<string, unknown>, id: string): void {
  const ext = doc.extensions as Record<string, unknown> | undefined;
  if (!ext || typeof ext !== 'object') return;
  delete ext[id];
  if (Object.keys(ext).length === 0) delete doc.extensions;
}
