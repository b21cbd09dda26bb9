// Generated from schema.graphql by scripts/console-types.js (npm run build runs it). Do not edit.
/* eslint-disable */

/** A machine credential. The secret part is shown only once, when the key is created. */
export interface ApiKey {
  createdAt: string;
  expiresAt: string | null;
  id: string;
  /** Updated at most once a minute. */
  lastUsedAt: string | null;
  name: string;
  /** Public part of the key (`cairn_` + 8 characters); also accepted as the HTTP Basic username. */
  prefix: string;
  revokedAt: string | null;
  scopes: Array<Scope>;
}

/** Which list of an ApplicantInput a value came from. */
export type ApplicantField = "ADDRESS" | "EMAIL" | "HANDLE" | "IP" | "NAME" | "PHONE" | "RESUME_HASH" | "WALLET";
export const ApplicantFieldValues: readonly ApplicantField[] = ["ADDRESS","EMAIL","HANDLE","IP","NAME","PHONE","RESUME_HASH","WALLET"];

/** One applicant: your own reference and whatever identifiers you hold (at most 100 values). Résumés are hashed on your side: send the SHA-256, never the file. */
export interface ApplicantInput {
  /** Postal addresses, matched as keyed hashes. */
  addresses?: Array<string> | null;
  /** ISO 3166 alpha-2 country in which phone numbers without a country code are read. */
  country?: string | null;
  emails?: Array<string> | null;
  handles?: Array<HandleInput> | null;
  /** IPv4 or IPv6 addresses. */
  ips?: Array<string> | null;
  /** Person names, matched as keyed hashes of their NFKC lower-case single-spaced form. */
  names?: Array<string> | null;
  /** With their country code (+44 …, 0044 …), or read in `country`. */
  phones?: Array<string> | null;
  /** Your own reference (1–200 characters), echoed in the answer; never stored or logged. */
  ref: string;
  /** SHA-256 of résumé files: 64 hex digits (any case, optional sha256: prefix) or 44 base64 characters. */
  resumeHashes?: Array<string> | null;
  /** Bitcoin or Ethereum addresses, or bitcoin: / ethereum: payment URIs. */
  wallets?: Array<string> | null;
}

/** The screening of one applicant, in input order. */
export interface ApplicantScreening {
  matches: Array<IdentifierMatch>;
  /** Your reference, echoed (never stored). */
  ref: string;
  rejected: Array<RejectedIdentifier>;
  signals: ScreeningSignals;
}

/** Whether other members see the tenant as the author of what it publishes */
export type Attribution = "ANONYMOUS" | "NAMED";
export const AttributionValues: readonly Attribution[] = ["ANONYMOUS","NAMED"];

export interface AuditEntry {
  action: string;
  actorKeyId: string | null;
  actorUserId: string | null;
  at: string;
  details: any;
  id: string;
  requestId: string | null;
  targetId: string | null;
  targetType: string | null;
  tenantId: string | null;
}

export interface AuditFilterInput {
  actions?: Array<string> | null;
  since?: string | null;
  /** Exchange operator only: one tenant (default: all). Members always get their own. */
  tenantId?: string | null;
}

/** A signed-in session. */
export interface AuthPayload {
  /** Short-lived JWT: send as `Authorization: Bearer <token>`. */
  accessToken: string;
  /** When the access token expires. */
  expiresAt: string;
  /** Single-use: exchange it with refreshToken for a new pair before it expires. Re-using one ends the session. */
  refreshToken: string;
  user: User;
}

export interface CountByKey {
  key: string;
  /** The sum of its weekly figures that may be shown (see SectorStatsModel); null when none may. Within a week, hidden figures of one breakdown together always stand for at least k */
  sightings: number | null;
}

export interface CreateApiKeyInput {
  /** No expiry when omitted. */
  expiresAt?: string | null;
  name: string;
  /** Any scope except TENANT_ADMIN. */
  scopes: Array<Scope>;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full key `<prefix>.<secret>`, shown this once and never stored. Send it as `Authorization: Bearer <key>`, or as HTTP Basic with the key as password (any username), or username = prefix and password = the part after the dot. */
  secret: string;
}

export interface CreatedWebhook {
  createdAt: string;
  id: string;
  /** Shown this once: verify X-Cairn-Signature with it. */
  secret: string;
  url: string;
}

export interface CreateSharingGroupInput {
  /** Member tenants (ids or slugs) to invite; each joins only when its admin accepts. The creating tenant is the owner and first member. */
  invite?: Array<string> | null;
  name: string;
  slug: string;
}

export interface CreateTenantInput {
  attribution?: Attribution | null;
  country: string;
  defaultDistribution?: Distribution | null;
  defaultTlp?: string | null;
  domains?: Array<string> | null;
  name: string;
  sectors: Array<string>;
  slug: string;
}

export interface CreateUserInput {
  email: string;
  name?: string | null;
  /** At least 12 characters. */
  password: string;
  role: Role;
}

/** Who an object is shared with (see README: access control) */
export type Distribution = "COMMUNITY" | "ORGANISATION" | "RECIPIENTS" | "SECTOR" | "SHARING_GROUP";
export const DistributionValues: readonly Distribution[] = ["COMMUNITY","ORGANISATION","RECIPIENTS","SECTOR","SHARING_GROUP"];

export interface ExportedBundle {
  /** A STIX 2.1 bundle with a fresh id. */
  bundle: any;
  /** Pass as `after` (with the same filter) for the next page; null on the last page. Pages cover a snapshot taken when the export began: each object once. */
  nextCursor: string | null;
  /** Objects matching the filter in the bundle (served definitions and identities not counted). */
  objectCount: number;
  /** More objects follow this page: continue with nextCursor. */
  truncated: boolean;
}

export interface FeedConnection {
  edges: Array<FeedEdge>;
  pageInfo: PageInfo;
  /** Items matching the filter over all pages, counted as the viewer may see them. Null where it would count sightings of fewer than k members other than you (small-count rule). */
  totalCount: number | null;
}

export interface FeedEdge {
  cursor: string;
  node: FeedItem;
}

export interface FeedFilterInput {
  /** STIX id of a threat-actor or intrusion-set: items about it or linked to it */
  actor?: string | null;
  /** ISO country codes; sightings reported there or in a region/global cell containing them; indicators whose audience includes them (others' indicators: only your own country) */
  countries?: Array<string> | null;
  minConfidence?: number | null;
  /** Sightings reported in these sectors (or in a coarser cell that includes them); indicators shared with them */
  sectors?: Array<string> | null;
  types?: Array<FeedItemType> | null;
}

/** A sighting or indicator in the feed order */
export interface FeedItem {
  /** Resume or page from here */
  cursor: string;
  dateAdded: string;
  id: string;
  /** True when the viewer's own tenant published it */
  mine: boolean;
  /** The STIX 2.1 object */
  object: any;
  sighting: SightingContext | null;
  tlp: Tlp;
  type: FeedItemType;
}

export type FeedItemType = "INDICATOR" | "SIGHTING";
export const FeedItemTypeValues: readonly FeedItemType[] = ["INDICATOR","SIGHTING"];

/** A handle with its platform apart, as an applicant-tracking export has it. */
export interface HandleInput {
  /** github, gitlab, linkedin, telegram (tg) or twitter (x). */
  platform: string;
  /** A login, @login, or a profile URL on that platform (LinkedIn: the /in/ URL or its slug). */
  value: string;
}

/** How the applicant came in */
export type HiringChannel = "DIRECT_APPLICATION" | "FREELANCE_PLATFORM" | "JOB_BOARD" | "OTHER" | "REFERRAL" | "STAFFING_AGENCY";
export const HiringChannelValues: readonly HiringChannel[] = ["DIRECT_APPLICATION","FREELANCE_PLATFORM","JOB_BOARD","OTHER","REFERRAL","STAFFING_AGENCY"];

/** What the viewer may see about one checked value. Never names who reported it. */
export interface IdentifierCheck {
  /** Where the reporters are: cells that at least k members report under (a sighting by the cell it was reported under). */
  cells: Array<ReporterCell>;
  /** Why the value could not be parsed (type UNKNOWN). */
  error: string | null;
  firstSeen: string | null;
  /** True when at least one object the viewer may see carries the value. */
  known: boolean;
  lastSeen: string | null;
  /** TLP of the most recently added matching object: CLEAR, GREEN, AMBER, AMBER+STRICT or RED. */
  latestTlp: string | null;
  /** Threat actors and intrusion sets linked to the matching objects by relationships the viewer may see. */
  linkedActors: Array<string>;
  maxConfidence: number | null;
  /** The canonical form the value was matched by. */
  normalised: string | null;
  /** How many distinct member tenants published or sighted it (among what the viewer may see); null when fewer than k of them are not you (small-count protection). */
  reporters: number | null;
  type: IdentifierType;
  /** The value as given (an echo of the caller’s own input). */
  value: string;
}

/** One identifier of an applicant that objects the viewer may see carry. Never names who reported it. */
export interface IdentifierMatch {
  /** Sector + area cells of the reporters, each one at least k members report under. */
  cells: Array<ReporterCell>;
  field: ApplicantField;
  firstSeen: string | null;
  /** Interview stages of those sightings (distinct values, never counts). */
  interviewStages: Array<InterviewStage>;
  lastSeen: string | null;
  latestTlp: string | null;
  /** Threat actors and intrusion sets linked by relationships the viewer may see. */
  linkedActors: Array<string>;
  /** STIX ids of personas it is, or is linked to. */
  linkedPersonas: Array<string>;
  maxConfidence: number | null;
  /** The canonical form it was matched by. */
  normalised: string;
  /** Distinct member tenants that published or sighted it; null when fewer than k of them are not you. */
  reporters: number | null;
  /** Role categories of those sightings (distinct values, never counts). */
  roleCategories: Array<RoleCategory>;
  /** Sightings of it the viewer may see; null when fewer than k sighting members are not you. */
  sightings: number | null;
  /** The value as given (a handle as platform:value). */
  value: string;
}

/** What a checked value was recognised as; UNKNOWN when it could not be parsed. */
export type IdentifierType = "DOMAIN" | "EMAIL" | "HANDLE" | "IPV4" | "IPV6" | "MD5" | "PHONE" | "SHA1" | "SHA256" | "SHA512" | "UNKNOWN" | "URL" | "WALLET";
export const IdentifierTypeValues: readonly IdentifierType[] = ["DOMAIN","EMAIL","HANDLE","IPV4","IPV6","MD5","PHONE","SHA1","SHA256","SHA512","UNKNOWN","URL","WALLET"];

export interface IndicatorInput {
  /** 0–100 */
  confidence?: number | null;
  labels?: Array<string> | null;
  /** Id, name or alias of a threat actor or intrusion set you may see; adds an `indicates` relationship. */
  threatActor?: string | null;
  type: IndicatorKind;
  /** RFC 3339 timestamp after which the indicator no longer applies. */
  validUntil?: string | null;
  /** The identifier as written; it is normalised (lower-case e-mail, E.164 phone, …). */
  value: string;
}

/** What kind of identifier an indicator is about */
export type IndicatorKind = "BANK_ACCOUNT" | "DOMAIN" | "EMAIL" | "FILE_HASH" | "GITHUB" | "IP" | "LINKEDIN" | "PERSONA_NAME" | "PHONE" | "TELEGRAM" | "URL" | "WALLET";
export const IndicatorKindValues: readonly IndicatorKind[] = ["BANK_ACCOUNT","DOMAIN","EMAIL","FILE_HASH","GITHUB","IP","LINKEDIN","PERSONA_NAME","PHONE","TELEGRAM","URL","WALLET"];

/** How far in hiring the identity got when it was sighted */
export type InterviewStage = "APPLICATION" | "DETECTED_AFTER_HIRE" | "HIRED" | "INTERVIEW" | "OFFER";
export const InterviewStageValues: readonly InterviewStage[] = ["APPLICATION","DETECTED_AFTER_HIRE","HIRED","INTERVIEW","OFFER"];

/** Who the caller is. */
export interface Me {
  /** Set when the caller is an API key. */
  apiKey: ApiKey | null;
  kind: ViewerKind;
  operator: boolean;
  role: Role | null;
  scopes: Array<Scope>;
  tenant: TenantRef;
  /** Set when a person is signed in. */
  user: User | null;
}

export interface Mutation {
  /** Accept an invitation addressed to the viewer’s tenant: it becomes a member (tenant admin). */
  acceptSharingGroupInvitation: SharingGroup;
  /** Remove members of (or withdraw invitations to) a group the viewer’s tenant owns (tenant admin). New members join only by accepting an invitation. */
  changeSharingGroupMembers: SharingGroup;
  /** Creates an API key for the caller’s tenant and returns its secret, this once. */
  createApiKey: CreatedApiKey;
  /** Create a sharing group owned by the viewer’s tenant, inviting other tenants (tenant admin). */
  createSharingGroup: SharingGroup;
  /** Onboard a member tenant (exchange operator). */
  createTenant: TenantAccount;
  /** Adds a person to the caller's tenant. */
  createUser: User;
  /** Register a webhook for watchlist hits; its signing secret is shown this once. */
  createWebhook: CreatedWebhook;
  /** Decline an invitation addressed to the viewer’s tenant (tenant admin). */
  declineSharingGroupInvitation: boolean;
  deleteWebhook: boolean;
  /** Invite tenants (ids or slugs) to a group the viewer’s tenant owns; each joins when its admin accepts (tenant admin). */
  inviteToSharingGroup: SharingGroup;
  /** The viewer’s tenant leaves a sharing group it is a member of, and stops seeing what is shared with it (tenant admin). */
  leaveSharingGroup: boolean;
  /** Signs in with e-mail and password. Repeated failures answer RATE_LIMITED for a while, even to the right password. */
  login: AuthPayload;
  /** Ends the session the refresh token belongs to. Always true. */
  logout: boolean;
  /** A dry run of publishBundle (strict mode): every check, and the documents exactly as other members would be served them (anonymised, redacted, personal data as keyed hashes). Nothing is stored, audited or announced; problems come back in issues, all at once. The distinct personal values submitted count against the lookup quota, as checkIdentifiers values do (RATE_LIMITED when over; nothing is shown). */
  previewBundle: PublishPreview;
  /** A dry run of publishIndicators: see previewBundle. Nothing is stored. */
  previewIndicators: PublishPreview;
  /** Publishes a STIX 2.1 bundle: validated in full, anonymised, personal data stored as keyed hashes, stored whole or not at all. On any problem nothing is stored and the error (BAD_USER_INPUT) lists extensions.issues. With repair: true (for real-world feeds such as MITRE ATT&CK releases), what is safely repairable is repaired and reported (repairs), objects still refused are SKIPPED with their errors, and the rest is stored. The distinct personal values submitted count against the lookup quota, as checkIdentifiers values do (RATE_LIMITED when over; nothing is stored); an object that held personal data is stored under an id keyed for the publisher (correctedFrom names the submitted one). */
  publishBundle: PublishResult;
  /** Publishes identifiers as observables, indicators and relationships, through the same pipeline as publishBundle. */
  publishIndicators: PublishResult;
  /** Lift a suspension (exchange operator). */
  reactivateTenant: TenantAccount;
  /** Exchanges a refresh token (once) for a new access and refresh token. */
  refreshToken: AuthPayload;
  /** Send a delivery's hit again (a new delivery in the log). */
  replayWebhookDelivery: WebhookDeliveryModel;
  /** Report one sighting; it is shared under your sector + area cell, never your name. */
  reportSighting: ReportedSighting;
  /** Report up to 1,000 sightings at once: all are stored, or none. */
  reportSightings: Array<ReportedSighting>;
  /** Revokes an object you published: a new version with revoked: true. */
  revoke: StixObject;
  /** Revokes a key of the caller’s tenant; it stops working on the next request. */
  revokeApiKey: ApiKey;
  /** Suspend a tenant: its users and keys stop working at once (exchange operator). */
  suspendTenant: TenantAccount;
  /** Stop watching these entries; returns how many of yours were removed. */
  unwatchIdentifiers: number;
  /** Change a tenant's name, country or sectors (exchange operator). */
  updateTenantProfile: TenantAccount;
  /** Change the viewer's own tenant defaults, attribution, domains and redaction terms (tenant admin). */
  updateTenantSettings: TenantAccount;
  /** Changes a user's name, role or disabled flag (own tenant only). */
  updateUser: User;
  /** Watch identifiers: you are told (watchlistHits, webhooks) when another member later publishes or sights one, never who. Charged to your lookup quota. */
  watchIdentifiers: Array<WatchResultModel>;
}

export interface ObjectFilterInput {
  /** Id, name or alias of a threat actor or intrusion set: objects a relationship you may see links to it. */
  actor?: string | null;
  /** Added by the exchange after this RFC 3339 time (exclusive). */
  addedAfter?: string | null;
  /** Added before this time (exclusive). */
  addedBefore?: string | null;
  /** Audience includes any of these countries (ISO 3166-1 alpha-2), answered for your own country only: others' objects match it (you see them, so their audience includes it); yours match when not narrowed by country or narrowed to a list that includes it. Any other country matches nothing: another member's narrowing is not yours to read, and a row of yours that references its data carries it. */
  countries?: Array<string> | null;
  /** Shared with any of these distributions (the TAXII community collection is COMMUNITY). */
  distributions?: Array<Distribution> | null;
  /** Shared with any of these sharing groups (the TAXII group collections). */
  groupIds?: Array<string> | null;
  ids?: Array<string> | null;
  /** Carrying any of these STIX labels. */
  labels?: Array<string> | null;
  /** true: only what the viewer's tenant published (the TAXII own collection); false: only others'. */
  mine?: boolean | null;
  /** STIX modified after this time (exclusive). */
  modifiedAfter?: string | null;
  /** STIX modified before this time (exclusive). */
  modifiedBefore?: string | null;
  /** true: revoked versions only; false: no revoked versions; unset: both. */
  revoked?: boolean | null;
  /** Words in name or description (web-search syntax: "quoted phrase", -excluded, or). */
  search?: string | null;
  /** Shared with any of these sectors (distribution SECTOR). Answered for your own sectors only: listing any other would read another member's sector list (a row of yours that references another member's data carries its audience too). */
  sectors?: Array<string> | null;
  tlp?: Array<Tlp> | null;
  /** STIX types, e.g. ["indicator", "email-addr"] */
  types?: Array<string> | null;
}

export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

/** One object as it would be stored and served to other members. */
export interface PreviewObject {
  distribution: Distribution;
  /** The document after anonymisation, redaction and protection of personal data: what other members would be served. */
  document: any;
  /** The id as it would be stored. */
  id: string;
  /** Set when a reference narrows this object’s sharing below what was requested: the referenced object. */
  narrowedBy: string | null;
  tlp: Tlp;
  type: string;
}

export interface PublishedObject {
  /** The id you submitted, when the exchange replaced it (deterministic or protected observable ids). */
  correctedFrom: string | null;
  errors: Array<PublishIssue> | null;
  /** The id as stored. */
  id: string;
  /** Position in the submitted bundle. */
  index: number;
  modified: string | null;
  reason: string | null;
  /** Repair mode: what was changed in this object before it was stored. */
  repairs: Array<PublishIssue> | null;
  status: PublishStatus;
  type: string;
}

/** One problem, naming the object (as submitted) and the property (JSON path). */
export interface PublishIssue {
  code: string;
  message: string;
  objectId: string | null;
  path: string;
}

/** A dry run of publishing: every check and transformation, nothing stored. */
export interface PublishPreview {
  /** Every problem at once, by object (as submitted) and property (JSON path), in bundle order. */
  issues: Array<PublishIssue>;
  /** The documents that would be stored (empty when there are issues with the objects themselves). */
  objects: Array<PreviewObject>;
  /** What publishing would report for each submitted object. */
  outcomes: Array<PublishedObject>;
  /** True when publishing the same input now would store it (no issues). */
  valid: boolean;
}

export interface PublishResult {
  /** Objects whose id the exchange corrected. */
  corrected: number;
  created: number;
  newVersions: number;
  objects: Array<PublishedObject>;
  /** Repair mode: objects stored after a repair. */
  repaired: number;
  /** Repair mode: every repair made (code, path), the bundle-level ones included; empty in strict mode. */
  repairs: Array<PublishIssue>;
  skipped: number;
  unchanged: number;
}

/** CREATED: a new object. NEW_VERSION: a new version of an object you published. UNCHANGED: this version is already stored (or repeated in the bundle). SKIPPED: not stored because the exchange serves it (TLP definitions) or it would name you (your own identity), or, in repair mode, because of its errors. REJECTED: see errors; nothing was stored. */
export type PublishStatus = "CREATED" | "NEW_VERSION" | "REJECTED" | "SKIPPED" | "UNCHANGED";
export const PublishStatusValues: readonly PublishStatus[] = ["CREATED","NEW_VERSION","REJECTED","SKIPPED","UNCHANGED"];

export interface Query {
  /** API keys of the caller's tenant, revoked ones included (tenant admins). */
  apiKeys: Array<ApiKey>;
  /** The audit log, newest first: a tenant admin sees its own tenant's; the operator every tenant's account and admin events, but not other tenants' activity: publishing, sighting and read events, watchlists, webhook replays and API-key use. */
  auditLog: Array<AuditEntry>;
  /** Has any member seen these identifiers? One answer per value, in input order, from what the viewer may see; reporters only as counts and k-anonymous cells. The call's distinct values count against the tenant's lookup quotas (LOOKUP_QUOTA_PER_MINUTE / _PER_DAY); over quota it is refused with RATE_LIMITED (extensions: quota, limit, used, resetsAt, retryAfterSeconds) and nothing is looked up. */
  checkIdentifiers: Array<IdentifierCheck>;
  /** A STIX 2.1 bundle of the newest versions the viewer may see that match the filter, a page of at most `first` (MAX_BUNDLE_OBJECTS); continue with nextCursor. */
  exportBundle: ExportedBundle;
  /** New sightings and indicators you may see, newest first unless newestFirst is false. */
  feed: FeedConnection;
  /** The signed-in person or API key, its tenant, role and scopes. */
  me: Me;
  /** The viewer's own tenant with its settings. */
  myTenant: TenantAccount;
  /** One version of one object the viewer may see: the given version, or the newest. */
  object: StixObject;
  /** STIX objects the viewer may see, in the order the exchange added them. */
  objects: StixObjectConnection;
  /** Has any member seen any of these applicants' identifiers? Per applicant, in input order: the identifiers that match what the viewer may see, with counts and k-anonymous cells only (never who reported), the values that could not be parsed, and signals — never a verdict. The batch's distinct identifiers count against the tenant's lookup quotas, as checkIdentifiers' values do (RATE_LIMITED when over; nothing is screened). */
  screenApplicants: Array<ApplicantScreening>;
  /** Counts per day or week, top identities, spread across areas and roles (default: the last 90 days), over from and to widened to whole ISO weeks (UTC). */
  sectorStats: SectorStatsModel;
  /** Server name and protocol versions; needs no sign-in. */
  serverInfo: ServerInfo;
  /** Pending invitations to sharing groups addressed to the viewer's tenant. */
  sharingGroupInvitations: Array<SharingGroupInvitation>;
  /** The sharing groups the viewer's tenant belongs to. */
  sharingGroups: Array<SharingGroup>;
  /** Every tenant with its status and settings (exchange operator). */
  tenantAccounts: Array<TenantAccount>;
  /** The member directory (for choosing recipients): names, countries and sectors only. */
  tenants: Array<Tenant>;
  /** Users of the caller's tenant (tenant admins). */
  users: Array<User>;
  /** Your watched entries, newest first (their kinds and your references; never the values). */
  watchlist: Array<WatchEntryModel>;
  /** Your watchlist hits, newest first. */
  watchlistHits: WatchHitPage;
  /** The delivery log of your tenant's webhooks, newest first. */
  webhookDeliveries: Array<WebhookDeliveryModel>;
  webhooks: Array<WebhookModel>;
}

/** A value that could not be screened, and why; the applicant’s other values were. */
export interface RejectedIdentifier {
  field: ApplicantField;
  reason: string;
  value: string;
}

export interface ReportedSighting {
  /** Feed cursor of the stored sighting */
  cursor: string;
  id: string;
  reportedAs: SightingCell;
  sharedAs: SightingSharing;
}

/** A sector + area (country, region or "global") shared by at least k member tenants; never one member. */
export interface ReporterCell {
  /** An ISO country code, a region such as "europe", or "global". */
  area: string;
  /** e.g. "healthcare members in europe" */
  label: string;
  /** A sector, its parent sector, or "any-sector". */
  sector: string;
}

export interface ReportSightingInput {
  /** 0–100 */
  confidence?: number | null;
  /** How many times (default 1) */
  count?: number | null;
  firstSeen: string;
  hiringChannel?: HiringChannel | null;
  interviewStage?: InterviewStage | null;
  lastSeen?: string | null;
  roleCategory?: RoleCategory | null;
  /** STIX id of what was sighted: an indicator, identity, threat-actor … you may see */
  sightingOf: string;
}

/** What a person may do inside their tenant: READER reads, ANALYST also publishes and sights, ADMIN also manages users and API keys. */
export type Role = "ADMIN" | "ANALYST" | "READER";
export const RoleValues: readonly Role[] = ["ADMIN","ANALYST","READER"];

/** The kind of role applied for */
export type RoleCategory = "AI_ML" | "CUSTOMER_SERVICE" | "DATA" | "DESIGN" | "IT_SUPPORT" | "OTHER" | "PAYROLL_ACCOUNTING" | "SOFTWARE";
export const RoleCategoryValues: readonly RoleCategory[] = ["AI_ML","CUSTOMER_SERVICE","DATA","DESIGN","IT_SUPPORT","OTHER","PAYROLL_ACCOUNTING","SOFTWARE"];

/** A permission: intel:read, intel:write, sightings:write, taxii:read, taxii:write, tenant:admin. API keys cannot hold TENANT_ADMIN. */
export type Scope = "INTEL_READ" | "INTEL_WRITE" | "SIGHTINGS_WRITE" | "TAXII_READ" | "TAXII_WRITE" | "TENANT_ADMIN";
export const ScopeValues: readonly Scope[] = ["INTEL_READ","INTEL_WRITE","SIGHTINGS_WRITE","TAXII_READ","TAXII_WRITE","TENANT_ADMIN"];

/** What the matches add up to: figures drawn from the per-identifier answers only. Not a verdict about the person. */
export interface ScreeningSignals {
  firstSeen: string | null;
  interviewStages: Array<InterviewStage>;
  lastSeen: string | null;
  linkedActors: Array<string>;
  linkedPersonas: Array<string>;
  matchedFields: Array<ApplicantField>;
  matchedIdentifiers: number;
  /** The largest reporters figure shown among the matches (never a count across identifiers). */
  maxReporters: number | null;
  roleCategories: Array<RoleCategory>;
  /** Matched identifiers that sightings (interviews) are reported for. */
  sightedIdentifiers: number;
}

/** Sightings and new indicators for one sector, from what the viewer may see, over whole ISO weeks (UTC). Each week's figures are shown or hidden by that week alone (small-count protection); a figure over the window (total, breakdown row, top identity) is the sum of the weekly figures shown, so two windows differ only by figures shown anyway. It may be less than what was sighted, never more */
export interface SectorStatsModel {
  /** By reported area: country, region or global (small-crowd protected) */
  byArea: Array<CountByKey>;
  byRoleCategory: Array<CountByKey>;
  byStage: Array<CountByKey>;
  /** Start of the window: from, moved back to its Monday 00:00 UTC */
  from: string;
  series: Array<StatsBucket>;
  /** End of the window (excluded): to, moved on to the next Monday 00:00 UTC unless it is one */
  to: string;
  topIdentities: Array<TopIdentity>;
  /** Sightings in the weeks whose figure is shown; null when no week with sightings may be shown */
  totalSightings: number | null;
}

/** What this server speaks. */
export interface ServerInfo {
  name: string;
  /** STIX version of the objects this server stores and serves. */
  stixVersion: string;
  /** TAXII version of the TAXII API. */
  taxiiVersion: string;
  version: string;
}

export interface SharingGroup {
  id: string;
  /** Tenants that accepted an invitation (and the owner): only they see what is shared with the group. */
  members: Array<Tenant>;
  name: string;
  /** True when the viewer’s tenant owns the group and so manages its members. */
  owned: boolean;
  /** Invited and not yet answered; listed to the owner only (empty for other members). */
  pendingInvitations: Array<Tenant>;
  slug: string;
}

/** An invitation addressed to your organisation: who invites you to which group. Nothing of its members until you accept. */
export interface SharingGroupInvitation {
  groupId: string;
  groupName: string;
  groupSlug: string;
  id: string;
  invitedAt: string;
  /** The organisation that owns the group and invites you. */
  owner: Tenant;
}

/** How published objects are shared; every field falls back to the tenant's defaults. */
export interface SharingInput {
  /** Only members in these countries (ISO 3166-1 alpha-2) may see the objects. */
  countries?: Array<string> | null;
  distribution?: Distribution | null;
  /** Distribution SHARING_GROUP: a group the publisher belongs to. */
  groupId?: string | null;
  /** Distribution RECIPIENTS: member tenant ids. */
  recipientTenantIds?: Array<string> | null;
  /** Distribution SECTOR: the sectors (default: the publisher's own). */
  sectors?: Array<string> | null;
  /** Keep e-mail addresses, phone numbers, person names, postal addresses and bank accounts raw instead of as keyed hashes. Only at TLP:AMBER or stricter with distribution SHARING_GROUP or RECIPIENTS. */
  shareProtectedRaw?: boolean | null;
  /** Marked on every object (object_marking_refs). TLP:RED needs ORGANISATION or RECIPIENTS. */
  tlp?: Tlp | null;
}

/** The sector + area a sighting is reported under: never narrower than k members. */
export interface SightingCell {
  /** A country code, a region, or "global" */
  area: string;
  /** The shared STIX identity used as where_sighted_refs */
  identityId: string;
  sector: string;
}

export interface SightingContext {
  area: string;
  hiringChannel: HiringChannel | null;
  interviewStage: InterviewStage | null;
  roleCategory: RoleCategory | null;
  sector: string;
}

/** The sharing a sighting was stored with: the requested one, narrowed so that nobody who may not see what was sighted sees the sighting. */
export interface SightingSharing {
  distribution: Distribution;
  /** True when what was sighted is shared more narrowly than requested, and the sighting with it */
  narrowed: boolean;
  /** At least the TLP of what was sighted */
  tlp: Tlp;
}

export interface StatsBucket {
  /** Start of the day or ISO week (UTC), YYYY-MM-DD */
  bucket: string;
  /** Null where fewer than k members other than you stand behind the figure (small-count protection); a day also where the rest of its week would give it back */
  newIndicators: number | null;
  /** Null where fewer than k members other than you stand behind the figure (small-count protection); a day also where the rest of its week would give it back */
  sightings: number | null;
}

export type StatsInterval = "DAY" | "WEEK";
export const StatsIntervalValues: readonly StatsInterval[] = ["DAY","WEEK"];

/** One version of a STIX 2.1 object the viewer may see. Who published it is never shown to other members. */
export interface StixObject {
  /** When the exchange added this version: unique and increasing, microsecond precision. */
  dateAdded: string;
  id: string;
  /** True when the viewer's own tenant published this version. */
  mine: boolean;
  /** The version (STIX `modified`; `created` for objects without one). */
  modified: string;
  /** The STIX 2.1 object itself. */
  object: any;
  revoked: boolean;
  tlp: Tlp;
  type: string;
}

export interface StixObjectConnection {
  edges: Array<StixObjectEdge>;
  pageInfo: PageInfo;
  /** Versions matching the filter over all pages, counted as the viewer may see them. Null where it would count sightings of fewer than k members other than you (small-count rule). */
  totalCount: number | null;
}

export interface StixObjectEdge {
  cursor: string;
  node: StixObject;
}

export interface Subscription {
  /** Indicators as they are published. With `after` (a cursor), first everything missed since, exactly once. */
  indicatorPublished: FeedItem;
  /** Sightings as they are reported. With `after` (a cursor), first everything missed since, exactly once. */
  sightingReported: FeedItem;
  /** Watchlist hits as they are recorded. With `after` (a hit cursor), first every hit since, exactly once. */
  watchlistHits: WatchHitModel;
}

/** A member organisation as every member may see it. */
export interface Tenant {
  /** ISO 3166-1 alpha-2 */
  country: string;
  id: string;
  name: string;
  sectors: Array<string>;
  slug: string;
}

/** A tenant's full record: for its own admins and the exchange operator. */
export interface TenantAccount {
  attribution: Attribution;
  /** ISO 3166-1 alpha-2 */
  country: string;
  createdAt: string;
  defaultDistribution: Distribution;
  /** CLEAR, GREEN, AMBER, AMBER+STRICT or RED */
  defaultTlp: string;
  domains: Array<string>;
  id: string;
  kind: string;
  name: string;
  redactionTerms: Array<string>;
  sectors: Array<string>;
  slug: string;
  status: TenantStatus;
}

/** The tenant a user or key belongs to (the caller's own tenant). */
export interface TenantRef {
  id: string;
  name: string;
  slug: string;
}

export type TenantStatus = "active" | "suspended";
export const TenantStatusValues: readonly TenantStatus[] = ["active","suspended"];

/** Traffic Light Protocol 2.0 marking */
export type Tlp = "AMBER" | "AMBER_STRICT" | "CLEAR" | "GREEN" | "RED";
export const TlpValues: readonly Tlp[] = ["AMBER","AMBER_STRICT","CLEAR","GREEN","RED"];

export interface TopIdentity {
  name: string | null;
  /** At least this many members reported it (never which): k once a week of it is shown, plus you if you reported it. A floor, never the exact number, which two answers could be subtracted to count one member */
  reportingMembers: number;
  /** Its sightings in the weeks where they may be shown (see SectorStatsModel) */
  sightings: number;
  /** STIX id of what was sighted */
  subjectId: string;
}

export interface UpdateTenantProfileInput {
  country?: string | null;
  name?: string | null;
  sectors?: Array<string> | null;
}

export interface UpdateTenantSettingsInput {
  attribution?: Attribution | null;
  defaultDistribution?: Distribution | null;
  /** CLEAR, GREEN, AMBER, AMBER+STRICT or RED */
  defaultTlp?: string | null;
  domains?: Array<string> | null;
  redactionTerms?: Array<string> | null;
}

export interface UpdateUserInput {
  /** Disabling ends all of the user’s sessions at once. */
  disabled?: boolean | null;
  name?: string | null;
  role?: Role | null;
}

/** A person who signs in. E-mail addresses are unique across the exchange. */
export interface User {
  createdAt: string;
  disabled: boolean;
  email: string;
  id: string;
  lastLoginAt: string | null;
  name: string;
  /** Exchange staff (only on the exchange tenant). */
  operator: boolean;
  role: Role;
  tenant: TenantRef;
}

/** A person signed in with a token, or a machine with an API key. */
export type ViewerKind = "API_KEY" | "USER";
export const ViewerKindValues: readonly ViewerKind[] = ["API_KEY","USER"];

export interface WatchCell {
  area: string;
  sector: string;
}

export interface WatchEntryModel {
  createdAt: string;
  expiresAt: string;
  id: string;
  /** The kind of identifier (the value itself is never stored). */
  kind: string;
  reference: string;
}

/** What another member did with a watched identifier. */
export type WatchEvent = "PUBLISHED" | "SIGHTED";
export const WatchEventValues: readonly WatchEvent[] = ["PUBLISHED","SIGHTED"];

/** Another member published or sighted one of your watched identifiers: never who. */
export interface WatchHitModel {
  /** The crowd cell (sector + area) the publisher or sighter is counted in. */
  cell: WatchCell | null;
  /** Opaque, for your tenant only; resume a subscription after it. */
  cursor: string;
  /** The entry that matched (null once the entry was removed). */
  entryId: string | null;
  event: WatchEvent;
  hitAt: string;
  kind: string;
  reference: string;
}

export interface WatchHitPage {
  endCursor: string | null;
  hasNextPage: boolean;
  /** On the first page (no `after`): where a `watchlistHits` subscription resumes so that no hit recorded after this page is missed — the newest hit, or the start when there is none yet. Null on later pages. */
  headCursor: string | null;
  hits: Array<WatchHitModel>;
}

export interface WatchInput {
  /** When to stop watching: default 90 days, at most 366 days ahead. */
  expiresAt?: string | null;
  /** Your own reference (e.g. an applicant number), 1 to 200 characters, stored in clear: it must not contain the value. */
  reference: string;
  /** The identifier to watch (e-mail, phone, handle, address, digest, wallet…): stored only as a keyed hash. */
  value: string;
}

export interface WatchResultModel {
  /** The stored entry, or null when the value could not be parsed (see error). */
  entryId: string | null;
  /** Why this value was not watched. */
  error: string | null;
  expiresAt: string | null;
  kind: string | null;
  reference: string;
  value: string;
}

export interface WebhookDeliveryModel {
  attempts: number;
  createdAt: string;
  deliveredAt: string | null;
  id: string;
  lastError: string | null;
  lastStatus: number | null;
  nextAttemptAt: string | null;
  status: WebhookDeliveryStatus;
  webhookId: string;
}

export type WebhookDeliveryStatus = "DELIVERED" | "FAILED" | "PENDING";
export const WebhookDeliveryStatusValues: readonly WebhookDeliveryStatus[] = ["DELIVERED","FAILED","PENDING"];

export interface WebhookModel {
  createdAt: string;
  id: string;
  url: string;
}
