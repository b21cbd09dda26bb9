/** Stable machine-readable codes for every STIX problem this library reports. */
export const StixErrorCode = {
  REQUIRED_PROPERTY: 'REQUIRED_PROPERTY',
  FORBIDDEN_PROPERTY: 'FORBIDDEN_PROPERTY',
  INVALID_ID: 'INVALID_ID',
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  INVALID_TYPE: 'INVALID_TYPE',
  WRONG_TYPE: 'WRONG_TYPE',
  INVALID_VALUE: 'INVALID_VALUE',
  EMPTY_VALUE: 'EMPTY_VALUE',
  INVALID_TIMESTAMP: 'INVALID_TIMESTAMP',
  MODIFIED_BEFORE_CREATED: 'MODIFIED_BEFORE_CREATED',
  INVALID_TIME_ORDER: 'INVALID_TIME_ORDER',
  INVALID_SPEC_VERSION: 'INVALID_SPEC_VERSION',
  INVALID_REFERENCE: 'INVALID_REFERENCE',
  UNKNOWN_REFERENCE: 'UNKNOWN_REFERENCE',
  INVALID_VOCABULARY: 'INVALID_VOCABULARY',
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  INVALID_PATTERN: 'INVALID_PATTERN',
  INVALID_SELECTOR: 'INVALID_SELECTOR',
  INVALID_MARKING: 'INVALID_MARKING',
  INVALID_PROPERTY_NAME: 'INVALID_PROPERTY_NAME',
  INVALID_EXTENSION: 'INVALID_EXTENSION',
  INVALID_HASH: 'INVALID_HASH',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
} as const;

export type StixErrorCode = (typeof StixErrorCode)[keyof typeof StixErrorCode];

/** One problem found in a STIX object; `path` is a JSON path such as `$.objects[3].created`. */
export interface StixIssue {
  objectId: string | null;
  path: string;
  code: StixErrorCode;
  message: string;
}

/** Thrown by services that refuse invalid STIX content; carries every issue found, not just the first. */
export class StixValidationError extends Error {
  readonly code: StixErrorCode;
  readonly issues: readonly StixIssue[];

  constructor(issues: readonly StixIssue[], message?: string) {
    const first = issues[0];
    super(
      message ?? (first ? `${issues.length} STIX issue(s); first: ${first.path} ${first.code} ${first.message}` : 'invalid STIX content'),
    );
    this.name = 'StixValidationError';
    this.code = first?.code ?? StixErrorCode.INVALID_VALUE;
    this.issues = issues;
  }
}
