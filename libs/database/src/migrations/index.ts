import { Tenants1763884800000 } from './1763884800000-tenants';
import { TenancyAndAudit1763884860000 } from './1763884860000-tenancy-and-audit';
import { Auth1763884870000 } from './1763884870000-auth';
import { ObjectsAndRls1763884880000 } from './1763884880000-objects-and-rls';
import { RowVisibleFunction1763884890000 } from './1763884890000-row-visible-function';

/** Every migration, oldest first. TypeORM runs the ones it has not recorded yet. */
export const MIGRATIONS = [Tenants1763884800000, TenancyAndAudit1763884860000, Auth1763884870000, ObjectsAndRls1763884880000, RowVisibleFunction1763884890000];
