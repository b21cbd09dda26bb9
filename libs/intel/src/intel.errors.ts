import { CairnError } from '@cairn/common';

export enum IntelErrorCode {
  INVALID_SHARING = 'INVALID_SHARING',
  UNKNOWN_GROUP = 'UNKNOWN_GROUP',
  UNKNOWN_RECIPIENT = 'UNKNOWN_RECIPIENT',
  INVALID_CURSOR = 'INVALID_CURSOR',
  OBJECT_NOT_FOUND = 'OBJECT_NOT_FOUND',
  INVALID_OBJECT = 'INVALID_OBJECT',
}

const STATUS: Record<IntelErrorCode, 'BAD_USER_INPUT' | 'NOT_FOUND'> = {
  INVALID_SHARING: 'BAD_USER_INPUT',
  UNKNOWN_GROUP: 'BAD_USER_INPUT',
  UNKNOWN_RECIPIENT: 'BAD_USER_INPUT',
  INVALID_CURSOR: 'BAD_USER_INPUT',
  OBJECT_NOT_FOUND: 'NOT_FOUND',
  INVALID_OBJECT: 'BAD_USER_INPUT',
};

/** An intelligence request broke a rule; `reason` is stable, `field` names the property. */
export class IntelError extends CairnError {
  constructor(readonly reason: IntelErrorCode, message: string, field?: string) {
    super(STATUS[reason], message, { reason, ...(field ? { field } : {}) });
  }
}
