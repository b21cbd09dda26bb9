import { DomainError, type ErrorCode } from '@cairn/common';
import { RepairCode, StixErrorCode } from '@cairn/stix';
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
  /** A bundle or indicator list was refused whole; `issues` says why (PublishIssueCode). */
  INVALID_BUNDLE = 'INVALID_BUNDLE',
}

export const INTEL_ERROR_STATUS: Record<IntelErrorCode, ErrorCode> = {
  INVALID_SHARING: 'BAD_USER_INPUT',
  UNKNOWN_GROUP: 'BAD_USER_INPUT',
  UNKNOWN_RECIPIENT: 'BAD_USER_INPUT',
  INVALID_CURSOR: 'BAD_USER_INPUT',
  OBJECT_NOT_FOUND: 'NOT_FOUND',
  INVALID_OBJECT: 'BAD_USER_INPUT',
  INVALID_FILTER: 'BAD_USER_INPUT',
  INVALID_INDICATOR: 'BAD_USER_INPUT',
  NOT_PUBLISHER: 'FORBIDDEN',
  INVALID_BUNDLE: 'BAD_USER_INPUT',
};

/** An intelligence request broke a rule; `reason` is stable, `field` names the property. */
export class IntelError extends DomainError<IntelErrorCode> {
  constructor(reason: IntelErrorCode, message: string, field?: string) {
    super(reason, INTEL_ERROR_STATUS, message, field ? { field } : undefined);
  }
}

/**
 * Codes of one problem of a published bundle (`extensions.issues[].code`, a TAXII status's
 * failures, a repair): @cairn/stix's validation and repair codes, and the rules only publishing
 * checks. One union, so a misspelt code does not type-check.
 */
export const PublishIssueCode = {
  ...StixErrorCode,
  ...RepairCode,
  /** A TLP marking (object or granular) stricter than the sharing TLP. */
  TLP_ABOVE_SHARING: 'TLP_ABOVE_SHARING',
  /** The id belongs to an object another member published. */
  NOT_OWNER: 'NOT_OWNER',
  /** The object is revoked and gets no new versions. */
  REVOKED: 'REVOKED',
  /** Two objects of the bundle with the same id and modified but different content. */
  DUPLICATE_VERSION: 'DUPLICATE_VERSION',
  /** The requested sharing and the audiences of what the object references have no storable intersection. */
  AUDIENCE_NOT_REPRESENTABLE: 'AUDIENCE_NOT_REPRESENTABLE',
  /** Personal data (e-mail, phone …) that cannot be normalised, so cannot be protected. */
  INVALID_IDENTIFIER: 'INVALID_IDENTIFIER',
  /** A pattern compares personal data other than with =, != or IN to strings, so cannot be protected. */
  UNPROTECTABLE_PATTERN: 'UNPROTECTABLE_PATTERN',
  /** publishIndicators: no threat actor or intrusion set the publisher may see has this id, name or alias. */
  UNKNOWN_ACTOR: 'UNKNOWN_ACTOR',
} as const;
export type PublishIssueCode = (typeof PublishIssueCode)[keyof typeof PublishIssueCode];

/** Issues listed in one error at most; the rest are counted in `moreIssues`. */
export const MAX_REPORTED_ISSUES = 100;

/**
 * A bundle (or indicator list) was refused as a whole and nothing was stored. `extensions.issues`
 * lists { objectId, path, code, message } for the first MAX_REPORTED_ISSUES problems.
 */
export class BundleRejectedError extends DomainError<IntelErrorCode> {
  constructor(
    readonly issues: readonly PublishIssue[],
    what = 'Bundle',
  ) {
    const first = issues[0];
    super(
      IntelErrorCode.INVALID_BUNDLE,
      INTEL_ERROR_STATUS,
      `${what} rejected, nothing stored: ${issues.length} issue(s)${first ? `; first: ${first.path} ${first.code} ${first.message}` : ''}`,
      {
        issues: issues.slice(0, MAX_REPORTED_ISSUES),
        issueCount: issues.length,
        moreIssues: Math.max(0, issues.length - MAX_REPORTED_ISSUES),
      },
    );
  }
}
