import { SDO_TYPES } from '@cairn/stix';
/*
 * The mission's context of a sighting: where in hiring the identity was met, for what role, through
 * which channel. Each list is the one definition: the values are what is stored (Cairn's context
 * extension, sighting_fact) and what validation checks; GraphQL shows them by name
 * (dto/sighting.dto.ts builds the enums from these lists: 'detected-after-hire' → DETECTED_AFTER_HIRE).
 */
export const INTERVIEW_STAGES = ['application', 'interview', 'offer', 'hired', 'detected-after-hire'] as const;
export const ROLE_CATEGORIES = [
  'software',
  'data',
  'design',
  'payroll-accounting',
  'customer-service',
  'it-support',
  'ai-ml',
  'other',
] as const;
export const HIRING_CHANNELS = ['job-board', 'staffing-agency', 'referral', 'freelance-platform', 'direct-application', 'other'] as const;

export type InterviewStage = (typeof INTERVIEW_STAGES)[number];
export type RoleCategory = (typeof ROLE_CATEGORIES)[number];
export type HiringChannel = (typeof HIRING_CHANNELS)[number];

/** Types a sighting may be of: STIX 2.1 says sighting_of_ref points to an SDO (libs/stix's one list of them). */
export const SIGHTABLE_TYPES: ReadonlySet<string> = SDO_TYPES;
