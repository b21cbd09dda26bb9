import { CairnError } from '@cairn/common';
import type { PublishIssue } from './publish/publish.types';

export enum IntelErrorCode {
  INVALID_SHARING = 'INVALID_SHARING',
  UNKNOWN_GROUP = 'UNKNOWN_GROUP',
  UNKNOWN_RECIPIENT = 'UNKNOWN_RECIPIENT',
  INVALID_CURSOR = 'INVALID_CURSOR',
  OBJECT_NOT_FOUND = 'OBJECT_NOT_FOUND',
  INVALID_OBJECT = 'INVALID_OBJECT',
  INVALID_FILTER = 'INVALID_FILTER',
  INVALID_INDICATOR = 'INVALID_INDICATOR',
  NOT_PUBLISHER = 'NOT_PUBLISHER',
}

const STATUS: Record<IntelErrorCode, 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN'> = {
  INVALID_SHARING: 'BAD_USER_INPUT',
  UNKNOWN_GROUP: 'BAD_USER_INPUT',
  UNKNOWN_RECIPIENT: 'BAD_USER_INPUT',
  INVALID_CURSOR: 'BAD_USER_INPUT',
  OBJECT_NOT_FOUND: 'NOT_FOUND',
  INVALID_OBJECT: 'BAD_USER_INPUT',
  INVALID_FILTER: 'BAD_USER_INPUT',
  INVALID_INDICATOR: 'BAD_USER_INPUT',
  NOT_PUBLISHER: 'FORBIDDEN',
};

/** An intelligence request broke a rule; `reason` is stable, `field` names the property. */
export class IntelError extends CairnError {
  constructor(readonly reason: IntelErrorCode, message: string, field?: string) {
    super(STATUS[reason], message, { reason, ...(field ? { field } : {}) });
  }
}

/** Issues listed in one error at most; the rest are counted in `moreIssues`. */
export const MAX_REPORTED_ISSUES = 100;

/**
 * A bundle (or indicator list) was refused as a whole and nothing was stored. `extensions.issues`
 * lists { objectId, path, code, message } for the first MAX_REPORTED_ISSUES problems.
 */
export class BundleRejectedError extends CairnError {
  constructor(readonly issues: readonly PublishIssue[], what = 'Bundle') {
    const first = issues[0];
    super('BAD_USER_INPUT', `${what} rejected, nothing stored: ${issues.length} issue(s)${first ? `; first: ${first.path} ${first.code} ${first.message}` : ''}`, {
      reason: 'INVALID_BUNDLE',
      issues: issues.slice(0, MAX_REPORTED_ISSUES),
      issueCount: issues.length,
      moreIssues: Math.max(0, issues.length - MAX_REPORTED_ISSUES),
    });
  }
}
