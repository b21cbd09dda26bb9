import { CAIRN_EXTENSION_DEFINITIONS, CAIRN_IDENTITY_ID, TLP2_MARKINGS, newStixId, tlpOfMarkingRef, type Tlp } from '@cairn/stix';
import { EXCHANGE_IDENTITY, asServedByExchange, namedIdentity } from '../anonymise/identities';
import type { StoredObject } from '../object-store';

type Json = Record<string, unknown>;

export interface ExportedBundle {
  bundle: { type: 'bundle'; id: string; objects: Json[] };
  /** Objects matching the filter that are in the bundle (definitions and identities not counted). */
  objectCount: number;
  /** More objects follow: continue with nextCursor. */
  truncated: boolean;
  /** Continues the export (as `after`, same filter); null on the last page. */
  nextCursor: string | null;
}

/**
 * The identities the objects name as their creator that the bundle does not already carry and that
 * are not the exchange's own: a named member's, which buildExportBundle then adds (given namedTenants).
 */
export function identitiesToAdd(rows: readonly StoredObject[], referenced: readonly StoredObject[]): string[] {
  const present = new Set([...rows, ...referenced].map((r) => r.id));
  const out = new Set<string>();
  for (const { doc } of [...rows, ...referenced]) {
    const ref = doc.created_by_ref;
    if (typeof ref === 'string' && ref !== CAIRN_IDENTITY_ID && !present.has(ref)) out.add(ref);
  }
  return [...out];
}

/**
 * Puts exported versions into a bundle with what they reference that the exchange serves itself:
 * TLP 2.0 marking definitions, the exchange identity (or a named member's), and the definitions of
 * the Cairn extensions (custom observables, protected values, context) that the objects use.
 */
export function buildExportBundle(
  rows: StoredObject[],
  referenced: StoredObject[],
  truncated: boolean,
  namedTenants: Array<{ stixIdentityId: string; name: string; createdAt: Date; updatedAt: Date }>,
  nextCursor: string | null = null,
): ExportedBundle {
  const objects = rows.map((r) => r.doc);
  const tlps = new Set<Tlp>();
  const identities = new Set<string>();
  const extensions = new Set<string>();
  const scan = (doc: Json) => {
    for (const ref of (Array.isArray(doc.object_marking_refs) ? doc.object_marking_refs : []) as unknown[]) {
      const level = tlpOfMarkingRef(ref);
      if (level) tlps.add(level);
    }
    for (const g of (Array.isArray(doc.granular_markings) ? doc.granular_markings : []) as Json[]) {
      const level = tlpOfMarkingRef(g?.marking_ref);
      if (level) tlps.add(level);
    }
    if (typeof doc.created_by_ref === 'string') identities.add(doc.created_by_ref);
    const ext = doc.extensions as Json | undefined;
    if (ext && typeof ext === 'object') for (const key of Object.keys(ext)) if (CAIRN_EXTENSION_DEFINITIONS.has(key)) extensions.add(key);
  };
  objects.forEach(scan);
  referenced.forEach((r) => scan(r.doc));
  if (extensions.size > 0) identities.add(CAIRN_IDENTITY_ID);
  const present = new Set([...objects, ...referenced.map((r) => r.doc)].map((d) => d.id as string));
  // Exactly the versions the exchange stores of them (publishExchangeDefinitions), so that a
  // consumer never meets one version with two contents.
  const own: Json[] = [];
  if (identities.has(CAIRN_IDENTITY_ID) && !present.has(CAIRN_IDENTITY_ID)) own.push(asServedByExchange(EXCHANGE_IDENTITY));
  for (const t of namedTenants)
    if (identities.has(t.stixIdentityId) && !present.has(t.stixIdentityId)) own.push(asServedByExchange(namedIdentity(t)));
  for (const id of extensions) if (!present.has(id)) own.push(asServedByExchange(CAIRN_EXTENSION_DEFINITIONS.get(id)!));
  own.forEach(scan);
  const served: Json[] = [...[...tlps].map((t) => TLP2_MARKINGS[t] as unknown as Json), ...own];
  return {
    bundle: { type: 'bundle', id: newStixId('bundle'), objects: [...served, ...referenced.map((r) => r.doc), ...objects] },
    objectCount: objects.length,
    truncated,
    nextCursor,
  };
}
