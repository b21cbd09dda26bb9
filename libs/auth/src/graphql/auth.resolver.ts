import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { AuthGuard, Public, CurrentViewer, unauthenticated, type Viewer } from '@cairn/common';
import { SessionService, type Session } from '../session.service';
import { UsersService } from '../users.service';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { ApiKeyService } from '../api-key.service';
import { TenantDirectory } from '../tenant-directory';
import { AuthPayload, Me } from './auth.models';
import { principalToUser, toApiKey, toTenantRef } from './auth.mappers';

function toPayload(s: Session): AuthPayload {
  return { accessToken: s.accessToken, refreshToken: s.refreshToken, expiresAt: s.expiresAt, user: principalToUser(s.user) };
}

/** Sign-in, token refresh, sign-out, and `me`. */
@Resolver()
@UseGuards(AuthGuard)
export class AuthResolver {
  constructor(
    private readonly sessions: SessionService,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeyService,
    private readonly tenants: TenantDirectory,
  ) {}

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Signs in with e-mail and password. Repeated failures answer RATE_LIMITED for a while, even to the right password.',
  })
  async login(@Args('email') email: string, @Args('password') password: string, @Context() ctx: { req?: Request }): Promise<AuthPayload> {
    return toPayload(await this.sessions.login(email, password, { ip: ctx.req?.ip }));
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (once) for a new access and refresh token.' })
  async refreshToken(@Args('refreshToken') refreshToken: string): Promise<AuthPayload> {
    return toPayload(await this.sessions.refresh(refreshToken));
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Ends the session the refresh token belongs to. Always true.' })
  async logout(@Args('refreshToken') refreshToken: string): Promise<boolean> {
    await this.sessions.logout(refreshToken);
    return true;
  }

  @Query(() => Me, { description: 'The signed-in person or API key, its tenant, role and scopes.' })
  async me(@CurrentViewer() viewer: Viewer): Promise<Me> {
    const scopes = [...viewer.scopes];
    if (viewer.kind === 'user' && viewer.userId) {
      const principal = await this.users.loadPrincipal(viewer.userId);
      if (!principal) throw unauthenticated();
      return {
        kind: 'user',
        tenant: toTenantRef(principal.tenant),
        user: principalToUser(principal),
        apiKey: null,
        role: principal.role,
        operator: viewer.operator,
        scopes,
      };
    }
    const [tenant, key] = await Promise.all([
      this.tenants.findById(viewer.tenantId),
      this.apiKeys.findInTenant(viewer.tenantId, viewer.apiKeyId ?? ''),
    ]);
    if (!tenant || !key) throw new AuthError(AuthErrorCode.CALLER_NOT_FOUND, 'Caller not found');
    return { kind: 'apikey', tenant: toTenantRef(tenant), user: null, apiKey: toApiKey(key), role: null, operator: false, scopes };
  }
}
