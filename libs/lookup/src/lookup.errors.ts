import { CairnError } from '@cairn/common';

export enum LookupErrorCode {
  TOO_MANY_VALUES = 'TOO_MANY_VALUES',
}

/** A lookup request broke a rule; `reason` is stable, `field` names the argument. */
export class LookupError extends CairnError {
  constructor(readonly reason: LookupErrorCode, message: string, field?: string) {
    super('BAD_USER_INPUT', message, { reason, ...(field ? { field } : {}) });
  }
}
