import { DomainError, type ErrorCode } from '@cairn/common';

export enum DemoSeedErrorCode {
  DEMO_DATA_EXISTS = 'DEMO_DATA_EXISTS',
}

export const DEMO_ERROR_STATUS: Record<DemoSeedErrorCode, ErrorCode> = {
  DEMO_DATA_EXISTS: 'CONFLICT',
};

/** The demo data set cannot be loaded here; `reason` is the stable code tests assert on. */
export class DemoSeedError extends DomainError<DemoSeedErrorCode> {
  constructor(
    reason: DemoSeedErrorCode,
    message: string,
    readonly existing: { tenants: string[]; users: string[]; groups: string[] },
  ) {
    super(reason, DEMO_ERROR_STATUS, message);
  }
}
