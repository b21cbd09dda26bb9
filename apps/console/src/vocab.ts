import { SECTORS } from '../../../libs/tenancy/src/sectors';
import type { Distribution, HiringChannel, IndicatorKind, InterviewStage, RoleCategory, Scope, Tlp } from './api/schema';

/** The mission's words for the exchange's codes: what members say, not what the API spells. */
export { SECTORS };

const SECTOR_WORDS: Record<string, string> = {
  'artificial-intelligence': 'Artificial intelligence',
  'payroll-processing': 'Payroll processing',
  'professional-services': 'Professional services',
  'financial-services': 'Financial services',
  'government-local': 'Local government',
  'government-national': 'National government',
  'government-regional': 'Regional government',
  'government-public-services': 'Public services',
  'government-emergency-services': 'Emergency services (government)',
  'hospitality-leisure': 'Hospitality & leisure',
  'infrastructure-dams': 'Dams',
  'infrastructure-nuclear': 'Nuclear infrastructure',
  'infrastructure-water': 'Water infrastructure',
  'non-profit': 'Non-profit',
  'emergency-services': 'Emergency services',
  'any-sector': 'All sectors',
};

export function sectorLabel(s: string): string {
  return SECTOR_WORDS[s] ?? s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ');
}

const REGION_WORDS: Record<string, string> = {
  global: 'Worldwide',
  europe: 'Europe',
  'north-america': 'North America',
  'asia-pacific': 'Asia-Pacific',
  'latin-america': 'Latin America',
  'middle-east-africa': 'Middle East & Africa',
};
let regionNames: Intl.DisplayNames | null = null;

/** A country code (DE → Germany) or a region of the small-crowd rule (europe → Europe). */
export function areaLabel(area: string): string {
  if (REGION_WORDS[area]) return REGION_WORDS[area];
  if (/^[A-Z]{2}$/.test(area)) {
    try {
      regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
      return regionNames.of(area) ?? area;
    } catch {
      return area;
    }
  }
  return area;
}

/** Countries members commonly work in, for pickers (any ISO code can still be typed). */
export const COUNTRIES = [
  'US',
  'GB',
  'DE',
  'FR',
  'NL',
  'IE',
  'ES',
  'IT',
  'PL',
  'SE',
  'CH',
  'CA',
  'IN',
  'SG',
  'AU',
  'JP',
  'KR',
  'BR',
  'AE',
  'IL',
  'ZA',
];

export const STAGES: Record<InterviewStage, string> = {
  APPLICATION: 'Application',
  INTERVIEW: 'Interview',
  OFFER: 'Offer',
  HIRED: 'Hired',
  DETECTED_AFTER_HIRE: 'Detected after hire',
};
export const ROLE_CATEGORIES: Record<RoleCategory, string> = {
  SOFTWARE: 'Software engineering',
  AI_ML: 'AI / machine learning',
  DATA: 'Data',
  DESIGN: 'Design',
  IT_SUPPORT: 'IT support',
  CUSTOMER_SERVICE: 'Customer service',
  PAYROLL_ACCOUNTING: 'Payroll & accounting',
  OTHER: 'Other role',
};
export const CHANNELS: Record<HiringChannel, string> = {
  DIRECT_APPLICATION: 'Direct application',
  JOB_BOARD: 'Job board',
  FREELANCE_PLATFORM: 'Freelance platform',
  STAFFING_AGENCY: 'Staffing agency',
  REFERRAL: 'Referral',
  OTHER: 'Other channel',
};
export const TLPS: Record<Tlp, string> = {
  CLEAR: 'TLP:CLEAR',
  GREEN: 'TLP:GREEN',
  AMBER: 'TLP:AMBER',
  AMBER_STRICT: 'TLP:AMBER+STRICT',
  RED: 'TLP:RED',
};
export const DISTRIBUTIONS: Record<Distribution, string> = {
  ORGANISATION: 'My organisation only',
  RECIPIENTS: 'Named members',
  SHARING_GROUP: 'A sharing group',
  SECTOR: 'Members in sectors',
  COMMUNITY: 'The whole community',
};
export const SCOPES: Record<Scope, string> = {
  INTEL_READ: 'Read intelligence (GraphQL)',
  INTEL_WRITE: 'Publish intelligence',
  SIGHTINGS_WRITE: 'Report sightings',
  TAXII_READ: 'TAXII: read collections',
  TAXII_WRITE: 'TAXII: add objects',
  TENANT_ADMIN: 'Tenant administration',
};

/** Indicator value types with what a member would paste, and a hint. */
export const INDICATOR_KINDS: Record<IndicatorKind, { label: string; placeholder: string; personal?: boolean }> = {
  EMAIL: { label: 'Applicant e-mail address', placeholder: 'jane.doe@mail.example', personal: true },
  PHONE: { label: 'Phone number (with country code)', placeholder: '+1 415 555 0100', personal: true },
  PERSONA_NAME: { label: 'Persona name', placeholder: 'Alex Kim', personal: true },
  GITHUB: { label: 'GitHub account', placeholder: 'octocat' },
  LINKEDIN: { label: 'LinkedIn profile', placeholder: 'https://www.linkedin.com/in/alex-kim' },
  TELEGRAM: { label: 'Telegram handle', placeholder: '@alexkim' },
  IP: { label: 'IP address (VPN exit, laptop farm)', placeholder: '198.51.100.7' },
  DOMAIN: { label: 'Domain', placeholder: 'fake-staffing.example' },
  URL: { label: 'URL', placeholder: 'https://portfolio.example/alex' },
  FILE_HASH: { label: 'Résumé file hash (SHA-256)', placeholder: 'e3b0c442…' },
  WALLET: { label: 'Crypto wallet', placeholder: 'bc1q…' },
  BANK_ACCOUNT: { label: 'Bank account (IBAN)', placeholder: 'DE89 3704 0044 0532 0130 00', personal: true },
};
