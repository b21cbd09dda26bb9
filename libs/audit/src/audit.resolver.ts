import { UseGuards } from '@nestjs/common';
import { Args, Field, ID, InputType, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import {
  JsonScalar,
  AuthGuard,
  checkArguments,
  CurrentViewer,
  PAGE_RULES,
  pageSizeProblem,
  RequireRoles,
  CommonErrorCode,
  type Viewer,
} from '@cairn/common';
import { AuditEntryIds } from './audit-entry-ids';
import { AuditService } from './audit.service';

@ObjectType('AuditEntry')
export class AuditEntryModel {
  @Field(() => ID)
  id: string;

  @Field()
  at: Date;

  @Field(() => ID, { nullable: true })
  tenantId: string | null;

  @Field(() => ID, { nullable: true })
  actorUserId: string | null;

  @Field(() => ID, { nullable: true })
  actorKeyId: string | null;

  @Field()
  action: string;

  @Field(() => String, { nullable: true })
  targetType: string | null;

  @Field(() => String, { nullable: true })
  targetId: string | null;

  @Field(() => JsonScalar)
  details: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  requestId: string | null;
}

@InputType()
export class AuditFilterInput {
  @Field(() => ID, { nullable: true, description: 'Exchange operator only: one tenant (default: all). Members always get their own.' })
  tenantId?: string;

  @Field(() => [String], { nullable: true })
  actions?: string[];

  @Field({ nullable: true })
  since?: Date;
}

@Resolver(() => AuditEntryModel)
@UseGuards(AuthGuard)
export class AuditResolver {
  constructor(
    private readonly audit: AuditService,
    private readonly ids: AuditEntryIds,
  ) {}

  @Query(() => [AuditEntryModel], {
    description:
      "The audit log, newest first: a tenant admin sees its own tenant's; the operator every tenant's account and admin events, but not other tenants' activity: publishing, sighting and read events, watchlists, webhook replays and API-key use.",
  })
  @RequireRoles('admin')
  async auditLog(
    @CurrentViewer() viewer: Viewer,
    @Args('filter', { nullable: true }) filter?: AuditFilterInput,
    @Args('first', { type: () => Int, defaultValue: 100, description: 'Page size, 1 to 500; outside that, BAD_USER_INPUT.' }) first = 100,
    @Args('before', { type: () => ID, nullable: true, description: 'Entry id to continue below' }) before?: string,
  ): Promise<AuditEntryModel[]> {
    let beforeId: string | undefined;
    checkArguments(
      () => pageSizeProblem(first, PAGE_RULES.auditLog),
      () => {
        if (before === undefined || before === null) return undefined;
        beforeId = this.ids.open(viewer, before);
        return beforeId === undefined
          ? { argument: 'before', code: CommonErrorCode.INVALID_VALUE, message: 'before must be an audit entry id this server gave you' }
          : undefined;
      },
    );
    const tenantId = viewer.operator ? filter?.tenantId : viewer.tenantId;
    const entries = await this.audit.query({ tenantId, actions: filter?.actions, since: filter?.since, limit: first, beforeId }, viewer);
    return entries.map((e) => ({ ...e, id: this.ids.seal(viewer, e.id) }));
  }
}
