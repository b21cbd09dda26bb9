import { DomainError, type ErrorCode } from '@cairn/common';

export enum TenancyErrorCode {
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  SLUG_TAKEN = 'SLUG_TAKEN',
  INVALID_COUNTRY = 'INVALID_COUNTRY',
  INVALID_SECTOR = 'INVALID_SECTOR',
  INVALID_SLUG = 'INVALID_SLUG',
  INVALID_NAME = 'INVALID_NAME',
  /** More tenants in one invitation than MAX_INVITES. */
  TOO_MANY_INVITES = 'TOO_MANY_INVITES',
  INVALID_DEFAULTS = 'INVALID_DEFAULTS',
  GROUP_NOT_FOUND = 'GROUP_NOT_FOUND',
  NOT_GROUP_OWNER = 'NOT_GROUP_OWNER',
  INVITATION_NOT_FOUND = 'INVITATION_NOT_FOUND',
  OWNER_CANNOT_LEAVE = 'OWNER_CANNOT_LEAVE',
  EXCHANGE_EXISTS = 'EXCHANGE_EXISTS',
}

export const TENANCY_ERROR_STATUS: Record<TenancyErrorCode, ErrorCode> = {
  TENANT_NOT_FOUND: 'NOT_FOUND',
  SLUG_TAKEN: 'CONFLICT',
  INVALID_COUNTRY: 'BAD_USER_INPUT',
  INVALID_SECTOR: 'BAD_USER_INPUT',
  INVALID_SLUG: 'BAD_USER_INPUT',
  INVALID_NAME: 'BAD_USER_INPUT',
  TOO_MANY_INVITES: 'BAD_USER_INPUT',
  INVALID_DEFAULTS: 'BAD_USER_INPUT',
  GROUP_NOT_FOUND: 'NOT_FOUND',
  NOT_GROUP_OWNER: 'FORBIDDEN',
  INVITATION_NOT_FOUND: 'NOT_FOUND',
  OWNER_CANNOT_LEAVE: 'BAD_USER_INPUT',
  EXCHANGE_EXISTS: 'CONFLICT',
};

/** A tenancy rule was broken; `reason` is the stable code tests assert on. */
export class TenancyError extends DomainError<TenancyErrorCode> {
  constructor(reason: TenancyErrorCode, message: string, field?: string) {
    super(reason, TENANCY_ERROR_STATUS, message, field ? { field } : undefined);
  }
}
