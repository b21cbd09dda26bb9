/**
 * The proportions that make the demo look like the mission: which member
 * companies exist, how each sector hires, how the scheme's funnel narrows.
 * Kept as data so the generators stay short and the numbers are easy to tune.
 */
import type { DemoHiringChannel, DemoIdentifierType, DemoRoleCategory, DemoSector, DemoStage } from './demo.types';

/** Primary sectors that count as "tech" in the half-tech / half-not balance. */
export const TECH_SECTORS: ReadonlySet<DemoSector> = new Set<DemoSector>(['technology', 'artificial-intelligence']);

export interface TenantCell {
  country: string;
  sector: DemoSector;
  /** Tenants in this cell at scale 1. */
  count: number;
}

/*
 * 60 tenants at scale 1: 44 in the US (73 %), 16 abroad. US cells mostly hold
 * ≥ 3 members so sightings can be reported at sector + country level; payroll
 * in the US and every cell abroad hold 1–3, so small-crowd protection has to
 * coarsen them. Primary sectors split 30 tech / 30 non-tech.
 */
export const TENANT_BLUEPRINT: readonly TenantCell[] = [
  { country: 'US', sector: 'technology', count: 16 },
  { country: 'US', sector: 'artificial-intelligence', count: 5 },
  { country: 'US', sector: 'financial-services', count: 5 },
  { country: 'US', sector: 'insurance', count: 3 },
  { country: 'US', sector: 'healthcare', count: 4 },
  { country: 'US', sector: 'government-public-services', count: 3 },
  { country: 'US', sector: 'manufacturing', count: 3 },
  { country: 'US', sector: 'professional-services', count: 3 },
  { country: 'US', sector: 'payroll-processing', count: 2 },
  { country: 'GB', sector: 'technology', count: 1 },
  { country: 'GB', sector: 'artificial-intelligence', count: 1 },
  { country: 'GB', sector: 'financial-services', count: 1 },
  { country: 'DE', sector: 'technology', count: 1 },
  { country: 'DE', sector: 'manufacturing', count: 1 },
  { country: 'CA', sector: 'technology', count: 1 },
  { country: 'CA', sector: 'insurance', count: 1 },
  { country: 'IN', sector: 'technology', count: 1 },
  { country: 'IN', sector: 'professional-services', count: 1 },
  { country: 'SG', sector: 'financial-services', count: 1 },
  { country: 'AU', sector: 'technology', count: 1 },
  { country: 'JP', sector: 'technology', count: 1 },
  { country: 'NL', sector: 'payroll-processing', count: 1 },
  { country: 'FR', sector: 'healthcare', count: 1 },
  { country: 'KR', sector: 'technology', count: 1 },
  { country: 'PL', sector: 'technology', count: 1 },
];

export const EU_COUNTRIES: ReadonlySet<string> = new Set(['DE', 'FR', 'NL', 'PL']);
export const APAC_COUNTRIES: ReadonlySet<string> = new Set(['IN', 'SG', 'AU', 'JP', 'KR']);

/** Name endings that make the sector obvious at a glance. */
export const SECTOR_SUFFIXES: Readonly<Record<DemoSector, readonly string[]>> = {
  technology: ['Software', 'Systems', 'Labs', 'Cloud', 'Networks', 'Digital'],
  'artificial-intelligence': ['AI', 'Intelligence', 'Machine Learning', 'Models'],
  'financial-services': ['Bank', 'Savings', 'Capital', 'Credit Union'],
  insurance: ['Mutual', 'Assurance', 'Insurance', 'Casualty'],
  healthcare: ['Health', 'Medical Group', 'Clinics', 'Care Partners'],
  'government-public-services': ['County Digital Services', 'Public Services Agency', 'Municipal IT Office'],
  manufacturing: ['Industries', 'Fabrication', 'Components', 'Precision Works'],
  'professional-services': ['Advisory', 'Partners', 'Consulting', 'Staffing Group'],
  'payroll-processing': ['Payroll', 'Paydesk', 'Workforce Pay', 'Payroll Services'],
  telecommunications: ['Telecom', 'Connect'],
  retail: ['Retail', 'Outfitters'],
};

/** Secondary sectors a primary sector often carries, with the chance of adding one. */
export const SECONDARY_SECTORS: Readonly<Record<DemoSector, { chance: number; options: readonly DemoSector[] }>> = {
  technology: { chance: 0.3, options: ['telecommunications', 'artificial-intelligence', 'retail'] },
  'artificial-intelligence': { chance: 1, options: ['technology'] },
  'financial-services': { chance: 0.35, options: ['insurance', 'payroll-processing'] },
  insurance: { chance: 0.35, options: ['financial-services', 'healthcare'] },
  healthcare: { chance: 0.25, options: ['insurance'] },
  'government-public-services': { chance: 0, options: [] },
  manufacturing: { chance: 0.2, options: ['technology'] },
  'professional-services': { chance: 0.4, options: ['payroll-processing', 'technology'] },
  'payroll-processing': { chance: 0.5, options: ['professional-services', 'financial-services'] },
  telecommunications: { chance: 0, options: [] },
  retail: { chance: 0, options: [] },
};

/** Legal-form endings per country, so names read naturally abroad. */
export const LEGAL_FORMS: Readonly<Record<string, readonly string[]>> = {
  US: ['', '', ' Inc.', ' LLC'],
  GB: [' Ltd', ' plc'],
  DE: [' GmbH', ' AG'],
  CA: [' Inc.', ''],
  IN: [' Pvt Ltd'],
  SG: [' Pte Ltd'],
  AU: [' Pty Ltd'],
  JP: [' K.K.'],
  NL: [' B.V.'],
  FR: [' SAS', ' SA'],
  KR: [' Co., Ltd.'],
  PL: [' sp. z o.o.'],
};

type Weights<T> = readonly (readonly [T, number])[];

export interface SectorHiringProfile {
  roles: Weights<DemoRoleCategory>;
  channels: Weights<DemoHiringChannel>;
}

const TECH_CHANNELS: Weights<DemoHiringChannel> = [
  ['job-board', 30],
  ['staffing-agency', 20],
  ['freelance-platform', 25],
  ['direct-application', 17],
  ['referral', 8],
];
const ENTERPRISE_CHANNELS: Weights<DemoHiringChannel> = [
  ['job-board', 35],
  ['staffing-agency', 33],
  ['freelance-platform', 7],
  ['direct-application', 17],
  ['referral', 8],
];
const TECH_ROLES: Weights<DemoRoleCategory> = [
  ['software', 45],
  ['data', 12],
  ['ai-ml', 8],
  ['design', 8],
  ['it-support', 14],
  ['customer-service', 8],
  ['payroll-accounting', 5],
];

// What each kind of member hires remotely; the scheme applies where remote roles are.
export const HIRING_PROFILES: Readonly<Record<DemoSector, SectorHiringProfile>> = {
  technology: { roles: TECH_ROLES, channels: TECH_CHANNELS },
  'artificial-intelligence': {
    roles: [
      ['ai-ml', 40],
      ['software', 30],
      ['data', 20],
      ['design', 3],
      ['it-support', 5],
      ['customer-service', 1],
      ['payroll-accounting', 1],
    ],
    channels: TECH_CHANNELS,
  },
  'financial-services': {
    roles: [
      ['software', 30],
      ['data', 22],
      ['it-support', 18],
      ['payroll-accounting', 12],
      ['customer-service', 12],
      ['design', 3],
      ['ai-ml', 3],
    ],
    channels: ENTERPRISE_CHANNELS,
  },
  insurance: {
    roles: [
      ['software', 28],
      ['data', 20],
      ['it-support', 18],
      ['customer-service', 18],
      ['payroll-accounting', 10],
      ['design', 3],
      ['ai-ml', 3],
    ],
    channels: ENTERPRISE_CHANNELS,
  },
  healthcare: {
    roles: [
      ['it-support', 28],
      ['software', 25],
      ['data', 18],
      ['customer-service', 15],
      ['payroll-accounting', 8],
      ['design', 3],
      ['ai-ml', 3],
    ],
    channels: [
      ['job-board', 30],
      ['staffing-agency', 42],
      ['freelance-platform', 5],
      ['direct-application', 16],
      ['referral', 7],
    ],
  },
  'government-public-services': {
    roles: [
      ['it-support', 30],
      ['software', 30],
      ['data', 20],
      ['customer-service', 10],
      ['payroll-accounting', 5],
      ['design', 5],
    ],
    // Public bodies hire remote technical staff mostly through contractors.
    channels: [
      ['staffing-agency', 50],
      ['job-board', 25],
      ['direct-application', 20],
      ['referral', 5],
    ],
  },
  manufacturing: {
    roles: [
      ['software', 30],
      ['it-support', 30],
      ['data', 15],
      ['design', 10],
      ['payroll-accounting', 8],
      ['customer-service', 5],
      ['ai-ml', 2],
    ],
    channels: ENTERPRISE_CHANNELS,
  },
  'professional-services': {
    roles: [
      ['software', 25],
      ['payroll-accounting', 20],
      ['data', 15],
      ['design', 15],
      ['it-support', 12],
      ['customer-service', 10],
      ['ai-ml', 3],
    ],
    channels: [
      ['job-board', 30],
      ['staffing-agency', 20],
      ['freelance-platform', 25],
      ['direct-application', 17],
      ['referral', 8],
    ],
  },
  'payroll-processing': {
    roles: [
      ['payroll-accounting', 35],
      ['software', 25],
      ['customer-service', 20],
      ['it-support', 12],
      ['data', 8],
    ],
    channels: [
      ['job-board', 35],
      ['staffing-agency', 25],
      ['freelance-platform', 12],
      ['direct-application', 20],
      ['referral', 8],
    ],
  },
  telecommunications: { roles: TECH_ROLES, channels: ENTERPRISE_CHANNELS },
  retail: { roles: TECH_ROLES, channels: ENTERPRISE_CHANNELS },
};

/** Funnel: most personas are caught at application, few after being hired. */
export const STAGE_WEIGHTS: Weights<DemoStage> = [
  ['application', 40],
  ['interview', 32],
  ['offer', 12],
  ['hired', 10],
  ['detected-after-hire', 6],
];
export const STAGE_ORDER: readonly DemoStage[] = ['application', 'interview', 'offer', 'hired', 'detected-after-hire'];

/** What a member can see of a candidate depends on how far the candidate got. */
export const IDENTIFIER_WEIGHTS_BY_STAGE: Readonly<Record<DemoStage, Weights<DemoIdentifierType>>> = {
  application: [
    ['EMAIL', 40],
    ['PHONE', 15],
    ['LINKEDIN', 15],
    ['GITHUB', 10],
    ['RESUME_HASH', 20],
  ],
  interview: [
    ['EMAIL', 25],
    ['PHONE', 20],
    ['LINKEDIN', 10],
    ['GITHUB', 15],
    ['RESUME_HASH', 10],
    ['IP', 20],
  ],
  offer: [
    ['EMAIL', 30],
    ['PHONE', 25],
    ['LINKEDIN', 15],
    ['RESUME_HASH', 10],
    ['IP', 20],
  ],
  // Wallets surface only once payroll is set up; laptop-farm IPs once a company laptop phones home.
  hired: [
    ['IP', 35],
    ['EMAIL', 20],
    ['PHONE', 15],
    ['WALLET', 20],
    ['GITHUB', 10],
  ],
  'detected-after-hire': [
    ['IP', 40],
    ['WALLET', 25],
    ['EMAIL', 15],
    ['PHONE', 10],
    ['GITHUB', 10],
  ],
};

/** Confidence a reporter attaches, rising as evidence accumulates through the funnel. */
export const CONFIDENCE_BY_STAGE: Readonly<Record<DemoStage, readonly [number, number]>> = {
  application: [50, 80],
  interview: [55, 85],
  offer: [60, 88],
  hired: [65, 92],
  'detected-after-hire': [75, 95],
};

/** Nationality a persona claims on its résumé; mostly American, as the scheme targets US remote jobs. */
export const CLAIMED_NATIONALITIES: Weights<string> = [
  ['US', 42],
  ['CA', 6],
  ['JP', 7],
  ['IT', 6],
  ['SG', 5],
  ['GB', 5],
  ['VN', 5],
  ['PH', 5],
  ['PL', 4],
  ['KR', 3],
  ['DE', 3],
  ['AU', 3],
];

/** Webmail providers, all invented and under the reserved `.example` TLD. */
export const WEBMAIL_DOMAINS: readonly string[] = [
  'quickpost.example',
  'mailharbor.example',
  'inboxly.example',
  'devmail.example',
  'postwave.example',
  'letterbox.example',
];

/**
 * Laptop-farm cities: real city, state and ZIP prefix so addresses look
 * plausible; the street names are invented, so no real address results.
 * The area code is used with the fictional 555-01xx exchange.
 */
export const FARM_CITIES: readonly { city: string; region: string; zip3: string; areaCode: string }[] = [
  { city: 'Nashville', region: 'TN', zip3: '372', areaCode: '615' },
  { city: 'Phoenix', region: 'AZ', zip3: '850', areaCode: '602' },
  { city: 'Columbia', region: 'MD', zip3: '210', areaCode: '410' },
  { city: 'Dallas', region: 'TX', zip3: '752', areaCode: '214' },
  { city: 'Jacksonville', region: 'FL', zip3: '322', areaCode: '904' },
  { city: 'Charlotte', region: 'NC', zip3: '282', areaCode: '704' },
  { city: 'Minneapolis', region: 'MN', zip3: '554', areaCode: '612' },
  { city: 'Sacramento', region: 'CA', zip3: '958', areaCode: '916' },
  { city: 'Columbus', region: 'OH', zip3: '432', areaCode: '614' },
  { city: 'Atlanta', region: 'GA', zip3: '303', areaCode: '404' },
  { city: 'Denver', region: 'CO', zip3: '802', areaCode: '303' },
  { city: 'Richmond', region: 'VA', zip3: '232', areaCode: '804' },
  { city: 'Salt Lake City', region: 'UT', zip3: '841', areaCode: '801' },
  { city: 'Boise', region: 'ID', zip3: '837', areaCode: '208' },
  { city: 'Tulsa', region: 'OK', zip3: '741', areaCode: '918' },
  { city: 'Portland', region: 'OR', zip3: '972', areaCode: '503' },
];

export const STREET_TYPES: readonly string[] = ['Lane', 'Court', 'Drive', 'Way', 'Terrace', 'Circle', 'Place', 'Road'];
