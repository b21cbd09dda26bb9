import type { PersonalData } from '../protect/protect';
import type { PublishIssueCode } from '../intel.errors';

/** What can happen to one object of a published bundle: the one list (and that of the GraphQL enum PublishStatus). */
export const PUBLISH_STATUSES = ['CREATED', 'NEW_VERSION', 'UNCHANGED', 'SKIPPED', 'REJECTED'] as const;
export type PublishStatus = (typeof PUBLISH_STATUSES)[number];

/** One problem with a bundle, naming the object (as submitted) and the property. */
export interface PublishIssue {
  objectId: string | null;
  path: string;
  code: PublishIssueCode;
  message: string;
}

export interface ObjectOutcome {
  /** Position in the submitted bundle. */
  index: number;
  /** The id as stored (after correction), or as submitted for skipped and rejected objects. */
  id: string;
  type: string;
  status: PublishStatus;
  /** Version stored (STIX `modified`, or `created`), when stored or unchanged. */
  modified?: string;
  /** The submitted id, when the exchange replaced it. */
  correctedFrom?: string;
  /** Why it was corrected, skipped or left unchanged. */
  reason?: string;
  errors?: PublishIssue[];
  /** Repair mode: what was changed in this object before it was stored (code, path, message). */
  repairs?: PublishIssue[];
}

export interface PublishSummary {
  objects: ObjectOutcome[];
  created: number;
  newVersions: number;
  unchanged: number;
  skipped: number;
  corrected: number;
  /** Objects stored after repair mode changed them. */
  repaired: number;
  /** Every repair, bundle-level ones (objectId of the bundle, path `$…`) included. */
  repairs: PublishIssue[];
}

/** How a bundle is published. */
export interface PublishOptions {
  /**
   * Repair mode, for real-world feeds (MITRE ATT&CK releases, vendor bundles): what is safely
   * repairable is repaired (@cairn/stix repairBundle), objects that still fail are skipped with
   * their issues, and the rest is stored. Off (strict): any problem refuses the whole bundle.
   */
  repair?: boolean;
  /**
   * The personal data of a larger bundle this one is a batch of (CLI import: PublishService.personalDataOf
   * of the whole file), redacted here too: a batch's objects may repeat a name another batch protects.
   */
  personalData?: PersonalData;
  /**
   * A trusted run by the exchange operator (CLI import, the demo seed), not a member's request: the
   * personal values it holds are not charged to the tenant's lookup quota (a large import would
   * exhaust it, and the operator holds the data already). Never set from a member's door.
   */
  operatorRun?: boolean;
}

export function summarise(objects: ObjectOutcome[], bundleRepairs: PublishIssue[] = []): PublishSummary {
  const count = (s: PublishStatus) => objects.filter((o) => o.status === s).length;
  return {
    objects,
    created: count('CREATED'),
    newVersions: count('NEW_VERSION'),
    unchanged: count('UNCHANGED'),
    skipped: count('SKIPPED'),
    corrected: objects.filter((o) => o.correctedFrom !== undefined).length,
    repaired: objects.filter((o) => o.repairs?.length && o.status !== 'SKIPPED' && o.status !== 'REJECTED').length,
    repairs: [...bundleRepairs, ...objects.flatMap((o) => o.repairs ?? [])],
  };
}

/** A dry run of publishing (PublishService.previewBundle): nothing stored. */
export interface PublishPreview {
  valid: boolean;
  issues: PublishIssue[];
  outcomes: ObjectOutcome[];
  objects: Array<{
    id: string;
    type: string;
    document: Record<string, unknown>;
    tlp: string;
    distribution: string;
    narrowedBy: string | null;
  }>;
}
