import { Tenants1763884800000 } from './1763884800000-tenants';
import { TenancyAndAudit1763884860000 } from './1763884860000-tenancy-and-audit';
import { Auth1763884870000 } from './1763884870000-auth';
import { ObjectsAndRls1763884880000 } from './1763884880000-objects-and-rls';
import { Publishing1763884900000 } from './1763884900000-publishing';
import { IdentifierIndex1763884910000 } from './1763884910000-identifier-index';
import { RowVisibleFunction1763884890000 } from './1763884890000-row-visible-function';
import { SightingsAndFeed1763884920000 } from './1763884920000-sightings-and-feed';
import { Taxii1763884930000 } from './1763884930000-taxii';
import { FeedNotifyAudience1763884940000 } from './1763884940000-feed-notify-audience';
import { LiveSessions1764000200000 } from './1764000200000-live-sessions';

/** Every migration, oldest first. TypeORM runs the ones it has not recorded yet. */
export const MIGRATIONS = [Tenants1763884800000, TenancyAndAudit1763884860000, Auth1763884870000, ObjectsAndRls1763884880000, RowVisibleFunction1763884890000, Publishing1763884900000, IdentifierIndex1763884910000, SightingsAndFeed1763884920000, Taxii1763884930000, FeedNotifyAudience1763884940000, LiveSessions1764000200000];
