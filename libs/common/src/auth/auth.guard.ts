import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { RequestLimiter } from '../rate-limit/request-limiter';
import { Reflector } from '@nestjs/core';
import { requestContext } from '../logging/request-context';
import type { Role, Scope, Viewer } from './viewer';
import { AUTHENTICATOR, type Authenticator } from './authenticator';
import { IS_PUBLIC, OPERATOR_ONLY, REQUIRED_ROLES, REQUIRED_SCOPES } from './auth-metadata';
import { authorizationOf, requestHolder } from './request-holder';
import { forbidden, unauthenticated } from './auth-errors';

/**
 * Declared once per resolver/controller class (`@UseGuards(AuthGuard)`): authenticates the
 * request unless the operation is @Public(), keeps the Viewer on the request, then checks the
 * operation's @RequireRoles / @RequireScopes / @OperatorOnly. Throws CairnError
 * (UNAUTHENTICATED / FORBIDDEN / RATE_LIMITED), which CairnExceptionFilter turns into HTTP
 * 401 / 403 / 429 and the GraphQL error formatter into `extensions.code`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly auth: Authenticator,
    @Optional() private readonly limiter?: RequestLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const holder = requestHolder(context);
    if (!holder) throw unauthenticated();
    // A WebSocket operation already has its viewer: WsDoor re-authenticates each one.
    holder.viewer ??= await this.auth.authenticate(authorizationOf(holder), { ip: holder.ip });
    const store = requestContext.getStore();
    if (store) store.tenantId = holder.viewer.tenantId;
    this.authorise(holder.viewer, context);
    this.limiter?.charge(holder.viewer);
    return true;
  }

  private authorise(viewer: Viewer, context: ExecutionContext): void {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles?.length && (viewer.kind !== 'user' || !viewer.role || !roles.includes(viewer.role))) throw forbidden();
    const scopes = this.reflector.getAllAndMerge<Scope[]>(REQUIRED_SCOPES, targets) ?? [];
    if (scopes.some((s) => !viewer.scopes.has(s))) throw forbidden();
    if (this.reflector.getAllAndOverride<boolean>(OPERATOR_ONLY, targets) && !viewer.operator) throw forbidden();
  }
}
