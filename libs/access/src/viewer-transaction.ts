import type { AccessScope } from './access-scope';

// The statement that makes a transaction a viewer's. Transactions are opened in one place,
// TenancyService.asViewer (which reads the scope in the same statement); pg clients of the tests
// and benchmarks call setViewer themselves.

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
  await db.query(`SELECT ${viewerSettingsSql('$1', '$2', '$3', '$4')}`, [
    scope.tenantId,
    scope.country,
    scope.sectors.join(','),
    scope.groupIds.join(','),
  ]);
}
