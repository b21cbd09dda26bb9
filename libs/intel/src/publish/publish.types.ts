/** What happened to one object of a published bundle. */
export type PublishStatus = 'CREATED' | 'NEW_VERSION' | 'UNCHANGED' | 'SKIPPED' | 'REJECTED';

/** One problem with a bundle, naming the object (as submitted) and the property. */
export interface PublishIssue {
  objectId: string | null;
  path: string;
  code: string;
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
}

export interface PublishSummary {
  objects: ObjectOutcome[];
  created: number;
  newVersions: number;
  unchanged: number;
  skipped: number;
  corrected: number;
}

export function summarise(objects: ObjectOutcome[]): PublishSummary {
  const count = (s: PublishStatus) => objects.filter((o) => o.status === s).length;
  return {
    objects,
    created: count('CREATED'),
    newVersions: count('NEW_VERSION'),
    unchanged: count('UNCHANGED'),
    skipped: count('SKIPPED'),
    corrected: objects.filter((o) => o.correctedFrom !== undefined).length,
  };
}
