import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CAIRN_CONFIG, isUuid, type CairnConfig, type Viewer } from '@cairn/common';
import { beginWith, uuidLiteral } from './begin-with';

/**
 * Transactions on the account tables (tenant, app_user, api_key, refresh_token, audit_log), whose
 * row-level security admits the viewer's own tenant, or the exchange operator by a proof (migration
 * AccountRls1764000300000 says why SQL run as the API role cannot forge it).
 */
@Injectable()
export class DbTrust {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  /** fn in one transaction whose account-table viewer is `tenantId` (or an outer transaction's manager, left as it is). */
  asTenant<T>(tenantId: string, fn: (m: EntityManager) => Promise<T>, outer?: EntityManager): Promise<T> {
    if (outer) return fn(outer);
    // The setting rides with BEGIN (one round trip); an id that is no UUID takes the parameterised path.
    if (isUuid(tenantId))
      return beginWith(this.dataSource, `SELECT set_config('cairn.tenant_id', ${uuidLiteral(tenantId)}::text, true)`, (m) => fn(m));
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('cairn.tenant_id', $1, true)`, [tenantId]);
      return fn(m);
    });
  }

  /** fn with no viewer at all: the account tables then admit nothing but the sign-in lookups and tenant-less audit entries. */
  asNobody<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return fn(this.dataSource.manager);
  }

  /**
   * fn in one transaction that may read and write every tenant's account rows. Only for the
   * operator's own actions (the guard checked viewer.operator; the CLI is the operator's tool)
   * and for the exchange's start-up bookkeeping.
   */
  asOperator<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('cairn.operator', cairn_operator_proof($1), true)`, [this.config.databaseTrustKey]);
      return fn(m);
    });
  }

  /** As the operator when `actor` is one, or absent (CLI, start-up); otherwise as the actor's own tenant. */
  asActor<T>(actor: Viewer | undefined, fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return !actor || actor.operator ? this.asOperator(fn) : this.asTenant(actor.tenantId, fn);
  }
}
