import { DomainError, type ErrorCode } from '@cairn/common';

export enum SightingErrorCode {
  INVALID_SIGHTING = 'INVALID_SIGHTING',
  UNKNOWN_SUBJECT = 'UNKNOWN_SUBJECT',
  TOO_MANY = 'TOO_MANY',
  /** The community has fewer than k members: no cell can describe the reporter without singling it out. */
  NO_CELL = 'NO_CELL',
  /** The requested sharing and that of what is sighted have no intersection that can be stored as one audience. */
  AUDIENCE_NOT_REPRESENTABLE = 'AUDIENCE_NOT_REPRESENTABLE',
  INVALID_DATE = 'INVALID_DATE',
  INVALID_SECTOR = 'INVALID_SECTOR',
  /** A statistics window that is empty, reversed or longer than ten years. */
  INVALID_WINDOW = 'INVALID_WINDOW',
  /** The tenant holds as many live feed subscriptions as it may (WS_MAX_SUBSCRIPTIONS_PER_TENANT). */
  TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS',
}

export const SIGHTING_ERROR_STATUS: Record<SightingErrorCode, ErrorCode> = {
  INVALID_SIGHTING: 'BAD_USER_INPUT',
  UNKNOWN_SUBJECT: 'NOT_FOUND',
  TOO_MANY: 'BAD_USER_INPUT',
  NO_CELL: 'BAD_USER_INPUT',
  AUDIENCE_NOT_REPRESENTABLE: 'BAD_USER_INPUT',
  INVALID_DATE: 'BAD_USER_INPUT',
  INVALID_SECTOR: 'BAD_USER_INPUT',
  INVALID_WINDOW: 'BAD_USER_INPUT',
  TOO_MANY_SUBSCRIPTIONS: 'RATE_LIMITED',
};

/** A sighting report broke a rule; `field` names the input property, e.g. sightings[3].lastSeen. */
export class SightingError extends DomainError<SightingErrorCode> {
  constructor(reason: SightingErrorCode, message: string, field?: string, details: Record<string, unknown> = {}) {
    super(reason, SIGHTING_ERROR_STATUS, message, { ...(field ? { field } : {}), ...details });
  }
}
