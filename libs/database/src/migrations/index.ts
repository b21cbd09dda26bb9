import { Tenants1763884800000 } from './1763884800000-tenants';
import { TenancyAndAudit1763884860000 } from './1763884860000-tenancy-and-audit';
import { Auth1763884870000 } from './1763884870000-auth';
import { ObjectsAndRls1763884880000 } from './1763884880000-objects-and-rls';
import { RowVisibleFunction1763884890000 } from './1763884890000-row-visible-function';
import { Publishing1763884900000 } from './1763884900000-publishing';
import { IdentifierIndex1763884910000 } from './1763884910000-identifier-index';
import { SightingsAndFeed1763884920000 } from './1763884920000-sightings-and-feed';
import { Taxii1763884930000 } from './1763884930000-taxii';
import { FeedNotifyAudience1763884940000 } from './1763884940000-feed-notify-audience';
import { CrowdGeneration1764000000000 } from './1764000000000-crowd-generation';
import { IndexReporterCell1764000010000 } from './1764000010000-index-reporter-cell';
import { LiveSessions1764000200000 } from './1764000200000-live-sessions';
import { AccountRls1764000300000 } from './1764000300000-account-rls';
import { SharingGroupInvitations1764000500000 } from './1764000500000-sharing-group-invitations';
import { LookupQuota1764000600000 } from './1764000600000-lookup-quota';
import { TaxiiCollectionRepair1766000100000 } from './1766000100000-taxii-collection-repair';
import { CairnExtensions1766000200000 } from './1766000200000-cairn-extensions';
import { AudienceKeys1766000500000 } from './1766000500000-audience-keys';
import { IdentifierNormalisation1766000700000 } from './1766000700000-identifier-normalisation';
import { Watchlists1766000900000 } from './1766000900000-watchlists';
import { PublishGuard1766001000000 } from './1766001000000-publish-guard';
import { CellIdentitiesReserved1766001100000 } from './1766001100000-cell-identities-reserved';
import { AudienceKnowledge1766001200000 } from './1766001200000-audience-knowledge';
import { WebhookClaimPerTenant1766001300000 } from './1766001300000-webhook-claim-per-tenant';

/** Every migration, oldest first. TypeORM runs the ones it has not recorded yet. */
export const MIGRATIONS = [
  Tenants1763884800000,
  TenancyAndAudit1763884860000,
  Auth1763884870000,
  ObjectsAndRls1763884880000,
  RowVisibleFunction1763884890000,
  Publishing1763884900000,
  IdentifierIndex1763884910000,
  SightingsAndFeed1763884920000,
  Taxii1763884930000,
  FeedNotifyAudience1763884940000,
  CrowdGeneration1764000000000,
  IndexReporterCell1764000010000,
  LiveSessions1764000200000,
  AccountRls1764000300000,
  SharingGroupInvitations1764000500000,
  LookupQuota1764000600000,
  TaxiiCollectionRepair1766000100000,
  CairnExtensions1766000200000,
  AudienceKeys1766000500000,
  IdentifierNormalisation1766000700000,
  Watchlists1766000900000,
  PublishGuard1766001000000,
  CellIdentitiesReserved1766001100000,
  AudienceKnowledge1766001200000,
  WebhookClaimPerTenant1766001300000,
];
