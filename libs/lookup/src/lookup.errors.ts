import { CairnError, type ErrorCode } from '@cairn/common';

export enum LookupErrorCode {
  TOO_MANY_VALUES = 'TOO_MANY_VALUES',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
}

/** A lookup request broke a rule; `reason` is stable, `field` names the argument. */
export class LookupError extends CairnError {
  constructor(readonly reason: LookupErrorCode, message: string, field?: string, code: ErrorCode = 'BAD_USER_INPUT', details: Record<string, unknown> = {}) {
    super(code, message, { reason, ...(field ? { field } : {}), ...details });
  }
}
