/*
 * The mission's context of a sighting: where in hiring the identity was met, for what role, through
 * which channel. The values are what is stored (Cairn's context extension, sighting_fact); GraphQL shows
 * the names (dto/sighting.dto.ts registers these enums), and validation checks against the lists.
 */
export enum InterviewStageEnum {
  APPLICATION = 'application',
  INTERVIEW = 'interview',
  OFFER = 'offer',
  HIRED = 'hired',
  DETECTED_AFTER_HIRE = 'detected-after-hire',
}
export enum RoleCategoryEnum {
  SOFTWARE = 'software',
  DATA = 'data',
  DESIGN = 'design',
  PAYROLL_ACCOUNTING = 'payroll-accounting',
  CUSTOMER_SERVICE = 'customer-service',
  IT_SUPPORT = 'it-support',
  AI_ML = 'ai-ml',
  OTHER = 'other',
}
export enum HiringChannelEnum {
  JOB_BOARD = 'job-board',
  STAFFING_AGENCY = 'staffing-agency',
  REFERRAL = 'referral',
  FREELANCE_PLATFORM = 'freelance-platform',
  DIRECT_APPLICATION = 'direct-application',
  OTHER = 'other',
}

/** The stored values, as string types. */
export type InterviewStage = `${InterviewStageEnum}`;
export type RoleCategory = `${RoleCategoryEnum}`;
export type HiringChannel = `${HiringChannelEnum}`;
export const INTERVIEW_STAGES: readonly InterviewStage[] = Object.values(InterviewStageEnum);
export const ROLE_CATEGORIES: readonly RoleCategory[] = Object.values(RoleCategoryEnum);
export const HIRING_CHANNELS: readonly HiringChannel[] = Object.values(HiringChannelEnum);

/** Types a sighting may be of: STIX 2.1 says sighting_of_ref points to an SDO. */
export const SIGHTABLE_TYPES = new Set([
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure',
  'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report',
  'threat-actor', 'tool', 'vulnerability',
]);
