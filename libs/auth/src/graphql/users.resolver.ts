import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, RequireScopes, CurrentViewer, type Viewer } from '@cairn/common';
import { UsersService } from '../users.service';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { TenantDirectory, type TenantSummary } from '../tenant-directory';
import { User } from './auth.models';
import { CreateUserInput, UpdateUserInput } from './auth.inputs';
import { toUser } from './auth.mappers';

/** A tenant admin's view of their own tenant's people. */
@Resolver(() => User)
@UseGuards(AuthGuard)
// tenant:admin: held by admin users only (scopesForRole) and never grantable to API keys.
@RequireScopes('tenant:admin')
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantDirectory,
  ) {}

  @Query(() => [User], { name: 'users', description: "Users of the caller's tenant (tenant admins)." })
  async listUsers(@CurrentViewer() viewer: Viewer): Promise<User[]> {
    const tenant = await this.ownTenant(viewer);
    return (await this.users.listForTenant(viewer.tenantId)).map((u) => toUser(u, tenant));
  }

  @Mutation(() => User, { description: "Adds a person to the caller's tenant." })
  async createUser(@CurrentViewer() viewer: Viewer, @Args('input') input: CreateUserInput): Promise<User> {
    const user = await this.users.create(
      { tenantId: viewer.tenantId, email: input.email, name: input.name, role: input.role, password: input.password },
      viewer,
    );
    return toUser(user, await this.ownTenant(viewer));
  }

  @Mutation(() => User, { description: "Changes a user's name, role or disabled flag (own tenant only)." })
  async updateUser(
    @CurrentViewer() viewer: Viewer,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateUserInput,
  ): Promise<User> {
    const user = await this.users.update(viewer, id, {
      name: input.name ?? undefined,
      role: input.role ?? undefined,
      disabled: input.disabled ?? undefined,
    });
    return toUser(user, await this.ownTenant(viewer));
  }

  private async ownTenant(viewer: Viewer): Promise<TenantSummary> {
    const tenant = await this.tenants.findById(viewer.tenantId);
    if (!tenant) throw new AuthError(AuthErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
    return tenant;
  }
}
