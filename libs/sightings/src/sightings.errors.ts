import { CairnError } from '@cairn/common';

export enum SightingErrorCode {
  INVALID_SIGHTING = 'INVALID_SIGHTING',
  UNKNOWN_SUBJECT = 'UNKNOWN_SUBJECT',
  TOO_MANY = 'TOO_MANY',
  /** The community has fewer than k members: no cell can describe the reporter without singling it out. */
  NO_CELL = 'NO_CELL',
  /** The requested sharing and that of what is sighted have no intersection that can be stored as one audience. */
  AUDIENCE_NOT_REPRESENTABLE = 'AUDIENCE_NOT_REPRESENTABLE',
}

/** A sighting report broke a rule; `field` names the input property, e.g. sightings[3].lastSeen. */
export class SightingError extends CairnError {
  constructor(readonly reason: SightingErrorCode, message: string, field?: string) {
    super(reason === SightingErrorCode.UNKNOWN_SUBJECT ? 'NOT_FOUND' : 'BAD_USER_INPUT', message, { reason, ...(field ? { field } : {}) });
  }
}
