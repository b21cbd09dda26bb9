import { UseGuards } from '@nestjs/common';
import { AuthGuard, RequireScopes, CurrentViewer, type Viewer } from '@cairn/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyService } from '../api-key.service';
import { ApiKey, CreatedApiKey } from './auth.models';
import { CreateApiKeyInput } from './auth.inputs';
import { toApiKey } from './auth.mappers';

/** A tenant admin's API keys. */
@Resolver(() => ApiKey)
@UseGuards(AuthGuard)
// tenant:admin: held by admin users only (scopesForRole) and never grantable to API keys.
@RequireScopes('tenant:admin')
export class ApiKeysResolver {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @Query(() => [ApiKey], { name: 'apiKeys', description: "API keys of the caller's tenant, revoked ones included (tenant admins)." })
  async listApiKeys(@CurrentViewer() viewer: Viewer): Promise<ApiKey[]> {
    return (await this.apiKeys.listForTenant(viewer.tenantId)).map(toApiKey);
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates an API key for the caller’s tenant and returns its secret, this once.' })
  async createApiKey(@CurrentViewer() viewer: Viewer, @Args('input') input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const { apiKey, secret } = await this.apiKeys.create(
      { tenantId: viewer.tenantId, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt ?? null },
      viewer,
    );
    return { apiKey: toApiKey(apiKey), secret };
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key of the caller’s tenant; it stops working on the next request.' })
  async revokeApiKey(@CurrentViewer() viewer: Viewer, @Args('id', { type: () => ID }) id: string): Promise<ApiKey> {
    return toApiKey(await this.apiKeys.revoke(viewer, id));
  }
}
