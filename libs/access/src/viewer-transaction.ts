import type { DataSource, EntityManager } from 'typeorm';
import type { AccessScope } from './access-scope';
import { beginWith, isUuid, textLiteral, uuidLiteral } from './begin-with';

/**
 * Runs fn in one transaction whose row-level-security viewer is `scope`: the settings are
 * transaction-local (set_config(…, true)), so a pooled connection never carries them into
 * another request.
 */
export async function runAsViewer<T>(dataSource: DataSource, scope: AccessScope, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  // The settings ride with BEGIN (one round trip); a scope whose id is no UUID takes the parameterised path.
  if (isUuid(scope.tenantId)) {
    const first = `SELECT ${viewerSettingsSql(uuidLiteral(scope.tenantId) + '::text', textLiteral(scope.country), textLiteral(scope.sectors.join(',')), textLiteral(scope.groupIds.join(',')))}`;
    return beginWith(dataSource, first, (manager) => fn(manager));
  }
  return dataSource.transaction(async (manager) => {
    await setViewer(manager, scope);
    return fn(manager);
  });
}

/** Anything that runs a parameterised statement: a TypeORM EntityManager, a pg Client or pool client. */
export interface Queryable {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

/**
 * The SQL expressions that set the row-level-security viewer for the rest of the current
 * transaction (transaction-local settings), from SQL expressions for the tenant id, its country,
 * and its sectors and group ids as comma-separated text.
 */
export function viewerSettingsSql(tenantId: string, country: string, sectorsCsv: string, groupsCsv: string): string {
  return `set_config('cairn.tenant_id', ${tenantId}, true), set_config('cairn.country', ${country}, true),
          set_config('cairn.sectors', ${sectorsCsv}, true), set_config('cairn.groups', ${groupsCsv}, true)`;
}

/** Sets the row-level-security viewer for the rest of the current transaction (transaction-local settings). */
export async function setViewer(db: Queryable, scope: AccessScope): Promise<void> {
  await db.query(`SELECT ${viewerSettingsSql('$1', '$2', '$3', '$4')}`, [scope.tenantId, scope.country, scope.sectors.join(','), scope.groupIds.join(',')]);
}
