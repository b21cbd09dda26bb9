import type { EntityManager } from 'typeorm';
import type { AccessScope, Audience } from '@cairn/access';
import { CAIRN_IDENTITY_ID, CAIRN_OBSERVABLES_EXTENSION_ID, isTlpMarkingRef, type Tlp } from '@cairn/stix';
import { TenancyService } from '@cairn/tenancy';
import { visibleCopies } from '../object-store';
import { forEachRef } from '../publish/references';
import { planSharing, type PlanNode, type PlannedSharing, type PlanProblem, type RefSite } from './plan';

/**
 * References that do not narrow: authorship (the exchange or the named publisher), markings (TLP
 * and marking definitions say how to handle an object, not what it is about) and where a sighting
 * was seen (always replaced by the shared cell identity, which the exchange shares with everyone).
 */
const NOT_NARROWING = new Set(['created_by_ref', 'object_marking_refs', 'marking_ref', 'where_sighted_refs']);
const WELL_KNOWN = new Set([CAIRN_IDENTITY_ID, CAIRN_OBSERVABLES_EXTENSION_ID]);

/** The references of a document that narrow its audience (audience/intersect.ts). */
export function narrowingRefs(doc: Record<string, unknown>, base = '$'): RefSite[] {
  const out: RefSite[] = [];
  forEachRef(
    doc,
    (ref, path, key) => {
      if (
        NOT_NARROWING.has(key) ||
        WELL_KNOWN.has(ref) ||
        isTlpMarkingRef(ref) ||
        ref.startsWith('marking-definition--') ||
        ref.startsWith('extension-definition--')
      )
        return;
      out.push({ ref, path });
    },
    base,
  );
  return out;
}

export interface NarrowingRequest {
  scope: AccessScope;
  requested: Audience;
  tlp: Tlp;
  nodes: readonly PlanNode[];
}

/**
 * Works out, in the writer's transaction, the audience and TLP each object to store may have so
 * that it is never seen by anyone who may not see what it references. References to ids stored
 * in the same call resolve to the audience planned for them; every other one to the copies the
 * publisher may see now (read with `m`, after the feed lock, so nothing changes in between).
 */
export async function planReferenceAudiences(
  m: EntityManager,
  tenancy: TenancyService,
  req: NarrowingRequest,
): Promise<{ byId: Map<string, PlannedSharing>; problems: PlanProblem[] }> {
  const stored = new Set(req.nodes.map((n) => n.id));
  const externalIds = [...new Set(req.nodes.flatMap((n) => n.refs.map((r) => r.ref)).filter((r) => !stored.has(r)))];
  if (externalIds.length === 0 && req.nodes.every((n) => n.refs.length === 0)) {
    return {
      byId: new Map(
        req.nodes.map((n) => [n.id, { audience: req.requested, known: req.requested, shown: req.requested, named: false, tlp: req.tlp }]),
      ),
      problems: [],
    };
  }
  const external = await visibleCopies(m, req.scope, externalIds);
  const named = [...external.values()]
    .flat()
    .filter((c) => c.audience.distribution === 'RECIPIENTS' || c.audience.distribution === 'ORGANISATION')
    .flatMap((c) => [c.audience.publisherTenantId, ...c.audience.recipients]);
  const scopes = named.length ? await tenancy.accessScopes([...named, ...req.requested.recipients], m) : new Map<string, AccessScope>();
  return planSharing({ requested: req.requested, viewer: req.scope, tlp: req.tlp, nodes: req.nodes, external, scopes });
}
