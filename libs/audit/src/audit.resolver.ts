import { UseGuards } from '@nestjs/common';
import { Args, Field, ID, InputType, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AuthGuard, CairnError, CurrentViewer, RequireRoles, type Viewer } from '@cairn/common';
import GraphQLJSON from 'graphql-type-json';
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

  @Field(() => GraphQLJSON)
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
  constructor(private readonly audit: AuditService) {}

  @Query(() => [AuditEntryModel], { description: 'The audit log, newest first: the operator sees every tenant, a tenant admin its own.' })
  @RequireRoles('admin')
  async auditLog(
    @CurrentViewer() viewer: Viewer,
    @Args('filter', { nullable: true }) filter?: AuditFilterInput,
    @Args('first', { type: () => Int, defaultValue: 100 }) first = 100,
    @Args('before', { type: () => ID, nullable: true, description: 'Entry id to continue below' }) before?: string,
  ): Promise<AuditEntryModel[]> {
    if (before !== undefined && !/^\d{1,19}$/.test(before)) throw new CairnError('BAD_USER_INPUT', 'before must be an audit entry id', { field: 'before' });
    const tenantId = viewer.operator ? filter?.tenantId : viewer.tenantId;
    const entries = await this.audit.query({ tenantId, actions: filter?.actions, since: filter?.since, limit: first, beforeId: before });
    return viewer.operator ? entries.map((e) => redactForOperator(e, viewer)) : entries;
  }
}

/**
 * The operator sees member intelligence only as any member would: for another tenant's
 * publishing and sighting events it learns that they happened, not which objects they touched.
 */
function redactForOperator(e: AuditEntryModel, viewer: Viewer): AuditEntryModel {
  if (e.tenantId === viewer.tenantId || !/^(intel|sighting)\./.test(e.action)) return e;
  const count = typeof e.details.count === 'number' ? { count: e.details.count } : {};
  return { ...e, targetId: null, details: { redacted: true, ...count } };
}
