import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CurrentViewer, RequireScopes, type Viewer } from '@cairn/common';
import { cellLabel } from '@cairn/tenancy';
import { LookupService } from './lookup.service';
import { CheckIdentifiersArgs } from './dto/check-identifiers.args';
import { IdentifierCheckModel, IdentifierTypeEnum } from './dto/identifier-check.model';

@Resolver(() => IdentifierCheckModel)
@UseGuards(AuthGuard)
export class LookupResolver {
  constructor(private readonly lookup: LookupService) {}

  @Query(() => [IdentifierCheckModel], {
    description:
      "Has any member seen these identifiers? One answer per value, in input order, from what the viewer may see; reporters only as counts and k-anonymous cells. The call's distinct values count against the tenant's lookup quotas (LOOKUP_QUOTA_PER_MINUTE / _PER_DAY); over quota it is refused with RATE_LIMITED (extensions: quota, limit, used, resetsAt, retryAfterSeconds) and nothing is looked up.",
  })
  @RequireScopes('intel:read')
  async checkIdentifiers(@CurrentViewer() viewer: Viewer, @Args() args: CheckIdentifiersArgs): Promise<IdentifierCheckModel[]> {
    const checks = await this.lookup.checkIdentifiers(viewer, args.values);
    return checks.map((c) => ({
      ...c,
      type: c.type as IdentifierTypeEnum,
      cells: c.cells.map((cell) => ({ ...cell, label: cellLabel(cell) })),
    }));
  }
}
