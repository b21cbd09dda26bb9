import type { AccessScope, Audience } from '@cairn/access';
import {
  boundsOf,
  breadth,
  EVERYONE,
  meetBounds,
  narrowRequest,
  NotRepresentable,
  reachOf,
  sameAudience,
  strictestTlp,
  type Bounds,
  type ReferencedCopy,
} from './intersect';
import { compareTlp, type Tlp } from '@cairn/stix';

/** One reference of an object to member data, where it is written (a JSON path). */
export interface RefSite {
  ref: string;
  path: string;
}

/** One object about to be stored; several may share an id (versions), they then share one audience. */
export interface PlanNode {
  id: string;
  /** The id as submitted, for error messages. */
  objectId: string | null;
  refs: readonly RefSite[];
}

export interface PlanInput {
  requested: Audience;
  /** The publisher's access scope: what it can know of the audiences it references (intersect.ts Bounds). */
  viewer: AccessScope;
  tlp: Tlp;
  nodes: readonly PlanNode[];
  /** What a reference to something not stored now resolves to: the copies the publisher sees. */
  external: ReadonlyMap<string, readonly ReferencedCopy[]>;
  /** Access scopes of the tenants named by referenced audiences. */
  scopes: ReadonlyMap<string, AccessScope>;
}

export interface PlannedSharing {
  /** What is stored: the exact intersection. */
  audience: Audience;
  /** The part of it the publisher can know (for what references it in turn; intersect.ts Bounds). */
  known: Audience;
  /** What the publisher is told (same distribution; nothing of others' audiences it may not know). */
  shown: Audience;
  /** Another member's named tenants narrowed it (intersect.ts Bounds.named). */
  named: boolean;
  tlp: Tlp;
  /** The first reference that narrowed the audience or raised the TLP, when one did as far as the publisher may be told. */
  narrowedBy?: string;
}

export interface PlanProblem {
  objectId: string | null;
  path: string;
  message: string;
}

/**
 * The audience and TLP of every object id, narrowed by what it references (intersect.ts), through
 * chains and cycles of references inside the bundle too (repeated until nothing narrows further).
 * A referenced id seen through several copies (an observable several members published, several
 * versions) resolves to the copy whose intersection with the request reaches widest: each copy is
 * visible to the publisher, and whoever that copy reaches may see the id, so the result never
 * exceeds the union of what the publisher sees the id through. Per publisher only its newest
 * version the publisher may see is offered (the caller's query), as reading the id would show it.
 */
export function planSharing(input: PlanInput): { byId: Map<string, PlannedSharing>; problems: PlanProblem[] } {
  const { requested, tlp, scopes, viewer } = input;
  // Per referenced id, the copy whose result reaches widest as far as the publisher can tell; ties
  // go to the least strict TLP, then its own copy, then the audience it would be shown. The choice
  // must not turn on what it cannot see (the order of the copies follows their publishers' ids).
  const chosen = new Map<string, { bounds: Bounds; tlp: Tlp }>();
  for (const [ref, copies] of input.external) {
    let best: { bounds: Bounds; tlp: Tlp; key: ChoiceKey } | undefined;
    for (const copy of copies) {
      const bounds = boundsOf(copy.audience, viewer, copy.knowledge);
      const result = narrowRequest(requested, bounds, scopes);
      const key: ChoiceKey = [
        result instanceof NotRepresentable ? -1 : breadth(result.shown),
        -compareTlp(copy.tlp, 'CLEAR'),
        copy.audience.publisherTenantId === viewer.tenantId ? 1 : 0,
        result instanceof NotRepresentable ? '' : JSON.stringify(result.shown),
      ];
      if (!best || greater(key, best.key)) best = { bounds, tlp: copy.tlp, key };
    }
    if (best) chosen.set(ref, { bounds: best.bounds, tlp: best.tlp });
  }

  const nodesById = new Map<string, PlanNode[]>();
  for (const node of input.nodes) nodesById.set(node.id, [...(nodesById.get(node.id) ?? []), node]);
  const current = new Map<string, PlannedSharing>(
    [...nodesById.keys()].map((id) => [id, { audience: requested, known: requested, shown: requested, named: false, tlp }]),
  );
  // An object stored in this call: its stored audience, what its publisher knows of it, what it is told.
  const boundsOfPlanned = (p: PlannedSharing): Bounds => ({
    exact: reachOf(p.audience),
    known: reachOf(p.known),
    display: reachOf(p.shown),
    named: p.named,
  });

  for (let round = 0; round <= nodesById.size + 1; round++) {
    const problems: PlanProblem[] = [];
    let changed = false;
    for (const [id, nodes] of nodesById) {
      let meet: Bounds = EVERYONE;
      const tlps: Tlp[] = [];
      let first: { site: RefSite; node: PlanNode } | undefined;
      let failed = false;
      for (const node of nodes) {
        for (const site of node.refs) {
          if (site.ref === id || failed) continue;
          const planned = current.get(site.ref);
          const copy = planned ? { bounds: boundsOfPlanned(planned), tlp: planned.tlp } : chosen.get(site.ref);
          if (!copy) continue;
          tlps.push(copy.tlp);
          // An object of the same request, not narrowed itself (as far as the publisher knows, hence at all), adds nothing.
          if (planned && !planned.named && sameAudience(planned.known, requested)) {
            if (copy.tlp !== tlp) first ??= { site, node };
            continue;
          }
          first ??= { site, node };
          const next = meetBounds(meet, copy.bounds);
          if (next instanceof NotRepresentable) {
            problems.push({
              objectId: node.objectId,
              path: site.path,
              message: `${site.ref} and another reference of this object: ${next.message}`,
            });
            failed = true;
            continue;
          }
          meet = next;
        }
      }
      if (failed) continue;
      const narrowed = narrowRequest(requested, meet, scopes);
      if (narrowed instanceof NotRepresentable) {
        const at = first!;
        problems.push({
          objectId: at.node.objectId,
          path: at.site.path,
          message: `${at.site.ref} is shared so that its intersection with the requested sharing cannot be stored: ${narrowed.message}`,
        });
        continue;
      }
      const next: PlannedSharing = { ...narrowed, named: meet.named, tlp: strictestTlp(tlp, tlps) };
      // Decided on what the publisher is told, never on what it may not know.
      if (!sameAudience(next.shown, requested) || next.tlp !== tlp) next.narrowedBy = first?.site.ref;
      const before = current.get(id)!;
      if (
        !sameAudience(before.audience, next.audience) ||
        !sameAudience(before.known, next.known) ||
        !sameAudience(before.shown, next.shown) ||
        before.named !== next.named ||
        before.tlp !== next.tlp
      )
        changed = true;
      current.set(id, next);
    }
    if (problems.length > 0) return { byId: current, problems };
    if (!changed) return { byId: current, problems: [] };
  }
  const [id, nodes] = [...nodesById][0];
  return {
    byId: current,
    problems: [
      { objectId: nodes[0].objectId, path: '$', message: `the references around ${id} form a cycle whose audience does not settle` },
    ],
  };
}

/** How a copy of a referenced id ranks (planSharing), compared in order. */
type ChoiceKey = readonly [number, number, number, string];

/** Lexicographic comparison of two choice keys. */
function greater(a: ChoiceKey, b: ChoiceKey): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}
