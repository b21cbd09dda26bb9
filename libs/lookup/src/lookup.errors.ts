import { DomainError, type ErrorCode } from '@cairn/common';

export enum LookupErrorCode {
  TOO_MANY_VALUES = 'TOO_MANY_VALUES',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  TOO_MANY_APPLICANTS = 'TOO_MANY_APPLICANTS',
  INVALID_APPLICANT = 'INVALID_APPLICANT',
}

export const LOOKUP_ERROR_STATUS: Record<LookupErrorCode, ErrorCode> = {
  TOO_MANY_VALUES: 'BAD_USER_INPUT',
  QUOTA_EXCEEDED: 'RATE_LIMITED',
  TOO_MANY_APPLICANTS: 'BAD_USER_INPUT',
  INVALID_APPLICANT: 'BAD_USER_INPUT',
};

/** A lookup request broke a rule; `reason` is stable, `field` names the argument. */
export class LookupError extends DomainError<LookupErrorCode> {
  constructor(reason: LookupErrorCode, message: string, field?: string, details: Record<string, unknown> = {}) {
    super(reason, LOOKUP_ERROR_STATUS, message, { ...(field ? { field } : {}), ...details });
  }
}
