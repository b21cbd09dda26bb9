/**
 * Shapes of the synthetic demo data set. Plain data only (strings, numbers,
 * arrays) so that JSON.stringify of the whole set is the determinism check.
 */
import type { Distribution } from '@cairn/access';
import type { Role } from '@cairn/common';
import type { HiringChannel, InterviewStage, RoleCategory } from '@cairn/sightings';
import type { Tlp } from '@cairn/stix';
import type { Attribution, Sector } from '@cairn/tenancy';

export interface DemoOptions {
  seed: number;
  /** 1 = the mission-sized data set; 0.1 = a tenth (at least one of each thing); 2 = double. */
  scale: number;
  /**
   * YYYY-MM-DD, the day the data is loaded: the 54 months of activity end the day before, so the
   * demo looks alive then (stats' default window, the feed). Without it, the reference window
   * 2021-01-01 … 2025-06-30. The same seed, scale and anchor always give the same data.
   */
  anchor?: string;
}

/** The sectors the demo's members are in: a few of the exchange's sectors (compile-time checked against them). */
export type DemoSector = Extract<
  Sector,
  | 'technology'
  | 'artificial-intelligence'
  | 'financial-services'
  | 'insurance'
  | 'healthcare'
  | 'government-public-services'
  | 'manufacturing'
  | 'professional-services'
  | 'payroll-processing'
  | 'telecommunications'
  | 'retail'
>;

// The vocabularies are the exchange's own (one definition each, in the module that owns it).
export type DemoRole = Role;
export type DemoDistribution = Distribution;
export type DemoTlp = Tlp;
export type DemoAttribution = Attribution;

export interface DemoUser {
  email: string;
  name: string;
  role: DemoRole;
}

export interface DemoTenant {
  slug: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** sectors[0] is the primary sector; statistics and small-crowd cells use it. */
  sectors: DemoSector[];
  /** Reserved `.example` domains only. */
  domains: string[];
  /** At least one admin, one analyst and one reader, all at domains[0]. */
  users: DemoUser[];
  defaultDistribution: DemoDistribution;
  defaultTlp: DemoTlp;
  attribution: DemoAttribution;
  /** Extra terms to scrub from what the tenant publishes (its name and domains are scrubbed anyway). */
  redactionTerms: string[];
}

export interface DemoSharingGroup {
  slug: string;
  name: string;
  /** Slug of the owning tenant; always one of `members`. */
  ownerTenant: string;
  /** Tenant slugs. */
  members: string[];
}

export interface DemoActor {
  name: string;
  aliases: string[];
  description: string;
}

export interface DemoCampaign {
  threatActor: DemoActor;
  intrusionSet: DemoActor;
}

export interface DemoAddress {
  street: string;
  city: string;
  /** US state code. */
  region: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface DemoIdentity {
  /** Stable for a given seed and scale: `persona-0001`, `persona-0002`, … */
  key: string;
  personaName: string;
  /** ISO 3166-1 alpha-2 of the nationality the persona claims. */
  nationalityClaimed: string;
  emails: string[];
  /** E.164, from fictional-use number ranges only. */
  phones: string[];
  githubHandles: string[];
  linkedinHandles: string[];
  telegramHandles: string[];
  /** 64 lowercase hex characters each. */
  resumeSha256: string[];
  /** Documentation ranges only (RFC 5737, RFC 3849); laptop-farm addresses are shared across identities. */
  ips: string[];
  laptopFarmAddresses: DemoAddress[];
  /** `0x` + 40 hex (Ethereum-like) or `bc1q…` (bech32-like, deliberately invalid checksum). */
  wallets: string[];
  /** YYYY-MM-DD, within the window (2021-01-01 … 2025-06-30, or the 54 months before the anchor). */
  firstActive: string;
  lastActive: string;
}

export type DemoIdentifierType = 'EMAIL' | 'PHONE' | 'GITHUB' | 'LINKEDIN' | 'IP' | 'RESUME_HASH' | 'WALLET';
export type DemoStage = InterviewStage;
/** The sightings' vocabularies, without "other": every demo sighting says what it was. */
export type DemoRoleCategory = Exclude<RoleCategory, 'other'>;
export type DemoHiringChannel = Exclude<HiringChannel, 'other'>;

export interface DemoIdentifier {
  type: DemoIdentifierType;
  value: string;
}

export interface DemoSighting {
  /** Slug of the member tenant that saw the candidate. */
  reporterTenant: string;
  identityKey: string;
  /** One identifier that belongs to the identity. */
  observedIdentifier: DemoIdentifier;
  /** ISO 8601 UTC with milliseconds, inside the identity's active window. */
  firstSeen: string;
  lastSeen: string;
  count: number;
  stage: DemoStage;
  roleCategory: DemoRoleCategory;
  hiringChannel: DemoHiringChannel;
  /** 50–95. */
  confidence: number;
}

export interface DemoData {
  seed: number;
  scale: number;
  tenants: DemoTenant[];
  sharingGroups: DemoSharingGroup[];
  campaign: DemoCampaign;
  identities: DemoIdentity[];
  /** Sorted by firstSeen, then reporter and identity, so feeds replay in time order. */
  sightings: DemoSighting[];
}
