import { SetMetadata } from '@nestjs/common';
import type { Role, Scope } from './viewer';

export const IS_PUBLIC = 'cairn:auth:public';
export const REQUIRED_SCOPES = 'cairn:auth:scopes';
export const REQUIRED_ROLES = 'cairn:auth:roles';
export const OPERATOR_ONLY = 'cairn:auth:operator';

/** The operation (or every operation of the class) needs no sign-in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Every listed scope is needed (class and method lists add up). Users have the scopes of their role. */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** One of the listed roles is needed (the method's list replaces the class's). API keys have no role, so they never pass. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** Exchange staff only. */
export const OperatorOnly = () => SetMetadata(OPERATOR_ONLY, true);
