import { ApiError, gql } from './client';
import type { ApplicantField, ApplicantInput, IdentifierCheck, InterviewStage, ReporterCell, RoleCategory } from './schema';

// screenApplicants (issue 19) where the server has it; a server without it (an older one) gets
// checkIdentifiers value by value, answered in the same shape.
/** One identifier's answer, the same shape from either API. */
export interface Match {
  value: string;
  field: string;
  known: boolean;
  reporters: number | null;
  cells: Array<Pick<ReporterCell, 'label'>>;
  firstSeen: string | null;
  lastSeen: string | null;
  linkedActors: string[];
  linkedPersonas: string[];
  interviewStages: InterviewStage[];
  roleCategories: RoleCategory[];
  maxConfidence: number | null;
}
export interface Screened {
  ref: string;
  matches: Match[];
  rejected: Array<{ value: string; reason: string }>;
  api: 'screenApplicants' | 'checkIdentifiers';
}

const SCREEN = `query($a: [ApplicantInput!]!) { screenApplicants(applicants: $a) { ref
  matches { value field normalised reporters cells { label } firstSeen lastSeen linkedActors linkedPersonas interviewStages roleCategories maxConfidence }
  rejected { value field reason } } }`;
const CHECK =
  'query($v: [String!]!) { checkIdentifiers(values: $v) { value type known reporters cells { label } firstSeen lastSeen linkedActors maxConfidence error } }';

const HANDLE = /^(github|gitlab|linkedin|telegram|tg|twitter|x):(.+)$/i;

/** Which ApplicantInput list a value goes in: by its column when the CSV names it, else by its shape. */
type ListField = 'emails' | 'phones' | 'ips' | 'names' | 'addresses' | 'wallets' | 'resumeHashes' | 'handles';

export function fieldOf(value: string, column = ''): ListField {
  const c = column.toLowerCase();
  if (/mail/.test(c)) return 'emails';
  if (/phone|mobile|tel/.test(c)) return 'phones';
  if (/^ip|vpn/.test(c)) return 'ips';
  if (/wallet|btc|eth/.test(c)) return 'wallets';
  if (/resume|résumé|cv|hash/.test(c)) return 'resumeHashes';
  if (/github|gitlab|linkedin|telegram|twitter|handle/.test(c)) return 'handles';
  if (/address/.test(c)) return 'addresses';
  if (/^name|persona/.test(c)) return 'names';
  if (HANDLE.test(value) || value.startsWith('@')) return 'handles';
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return 'emails';
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(value) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(value)) return 'ips';
  if (/^(sha256:)?[0-9a-f]{64}$/i.test(value)) return 'resumeHashes';
  if (/^(bc1|[13][a-km-zA-HJ-NP-Z1-9]{25,}|0x[0-9a-fA-F]{40}|bitcoin:|ethereum:)/.test(value)) return 'wallets';
  if (/^\+?[\d\s().-]{7,}$/.test(value)) return 'phones';
  return 'names';
}

function toInput(ref: string, values: Array<{ value: string; column?: string }>): ApplicantInput {
  const input: ApplicantInput = { ref };
  for (const { value, column } of values) {
    const field = fieldOf(value, column);
    if (field === 'handles') {
      const m = HANDLE.exec(value);
      const platform = m ? m[1] : /linkedin/i.test(column ?? '') ? 'linkedin' : /github/i.test(column ?? '') ? 'github' : 'telegram';
      (input.handles ??= []).push({ platform: platform.toLowerCase(), value: m ? m[2] : value });
    } else (input[field] ??= []).push(value);
  }
  return input;
}

/** Screens applicants with screenApplicants, or value by value with checkIdentifiers where the server has no screenApplicants. */
export async function screen(applicants: Array<{ ref: string; values: Array<{ value: string; column?: string }> }>): Promise<Screened[]> {
  try {
    const d = await gql<{
      screenApplicants: Array<{
        ref: string;
        matches: Array<Omit<Match, 'known'> & { field: ApplicantField }>;
        rejected: Array<{ value: string; reason: string }>;
      }>;
    }>(SCREEN, { a: applicants.map((a) => toInput(a.ref, a.values)) });
    return d.screenApplicants.map((s) => ({
      ref: s.ref,
      matches: s.matches.map((m) => ({ ...m, known: true })),
      rejected: s.rejected,
      api: 'screenApplicants',
    }));
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'GRAPHQL_VALIDATION_FAILED') throw err;
  }
  const values = [...new Set(applicants.flatMap((a) => a.values.map((v) => v.value)))];
  const d = await gql<{
    checkIdentifiers: Array<
      Pick<
        IdentifierCheck,
        'value' | 'type' | 'known' | 'reporters' | 'cells' | 'firstSeen' | 'lastSeen' | 'linkedActors' | 'maxConfidence' | 'error'
      >
    >;
  }>(CHECK, { v: values });
  const byValue = new Map(values.map((v, i) => [v, d.checkIdentifiers[i]]));
  return applicants.map((a) => {
    const checks = a.values.map((v) => byValue.get(v.value)!);
    return {
      ref: a.ref,
      api: 'checkIdentifiers',
      rejected: checks.filter((c) => c.type === 'UNKNOWN').map((c) => ({ value: c.value, reason: c.error ?? 'not recognised' })),
      matches: checks
        .filter((c) => c.type !== 'UNKNOWN')
        .map((c) => ({
          value: c.value,
          field: c.type,
          known: c.known,
          reporters: c.reporters ?? null,
          cells: c.cells,
          firstSeen: c.firstSeen ?? null,
          lastSeen: c.lastSeen ?? null,
          linkedActors: c.linkedActors,
          linkedPersonas: [],
          interviewStages: [],
          roleCategories: [],
          maxConfidence: c.maxConfidence ?? null,
        })),
    };
  });
}
