import { APPLICANT_FIELDS, identifierKeys, normaliseField, type ApplicantField } from './identifier-keys';
import { LookupError, LookupErrorCode } from './lookup.errors';
import type { WantedKey } from './lookup.queries';

/** One applicant as the caller sends it: its own reference and whatever identifiers it holds. */
export interface ApplicantInput {
  ref: string;
  emails?: string[] | null;
  phones?: string[] | null;
  handles?: Array<{ platform: string; value: string }> | null;
  names?: string[] | null;
  resumeHashes?: string[] | null;
  ips?: string[] | null;
  wallets?: string[] | null;
  addresses?: string[] | null;
  /** ISO 3166 alpha-2: where phone numbers without a country code are read. */
  country?: string | null;
}

/** One value of one applicant, parsed: the slot it is matched by, or why it cannot be. */
export interface ApplicantValue {
  field: ApplicantField;
  /** The caller's value as given (for a handle, `platform:value`). */
  value: string;
  normalised?: string;
  slot?: number;
  reason?: string;
}

export const MAX_VALUES_PER_APPLICANT = 100;
export const MAX_REF_LENGTH = 200;

type ListedField = Exclude<ApplicantField, 'HANDLE'>;
const LIST_OF: Readonly<Record<ListedField, keyof ApplicantInput>> = {
  EMAIL: 'emails',
  PHONE: 'phones',
  NAME: 'names',
  RESUME_HASH: 'resumeHashes',
  IP: 'ips',
  WALLET: 'wallets',
  ADDRESS: 'addresses',
};
const LISTED_FIELDS = Object.keys(LIST_OF) as ListedField[];

/**
 * Parses a batch: every value of every applicant normalised through identifier-keys, equal
 * identifiers (same kind and canonical form, in any applicant) sharing one slot, so the batch is
 * one probe of distinct keys. A value that cannot be parsed is kept with its reason; a batch is
 * refused whole only when its shape is wrong (too many applicants or values, a bad ref).
 */
export function parseApplicants(
  applicants: readonly ApplicantInput[],
  secret: string,
): { values: ApplicantValue[][]; wanted: WantedKey[]; slots: number } {
  const slots = new Map<string, number>();
  const wanted: WantedKey[] = [];
  // Plain loops and one value object per value: a batch is 1,000 applicants with about 6,000
  // values, and the intermediate objects and closures of a map-over-map cost about a tenth of
  // parsing (16 ms against 17–19 per 1,000 applicants).
  const parse = (a: ApplicantInput, field: ApplicantField, value: string, raw: string, platform?: string): ApplicantValue => {
    const n = normaliseField(field, raw, { country: a.country ?? undefined, platform });
    if (!n.ok) return { field, value, reason: n.reason };
    const name = `${n.kind}\u0000${n.normalised}`;
    let slot = slots.get(name);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(name, slot);
      for (const k of identifierKeys(n, secret)) wanted.push({ slot, kind: k.kind, key: k.key });
    }
    return { field, value, normalised: n.normalised, slot };
  };
  const values: ApplicantValue[][] = new Array(applicants.length);
  for (let i = 0; i < applicants.length; i++) {
    const a = applicants[i];
    if (typeof a.ref !== 'string' || a.ref.length === 0 || a.ref.length > MAX_REF_LENGTH) {
      throw new LookupError(
        LookupErrorCode.INVALID_APPLICANT,
        `applicants[${i}].ref must be 1–${MAX_REF_LENGTH} characters`,
        `applicants[${i}].ref`,
      );
    }
    let count = a.handles?.length ?? 0;
    for (const field of LISTED_FIELDS) count += (a[LIST_OF[field]] as string[] | null | undefined)?.length ?? 0;
    if (count > MAX_VALUES_PER_APPLICANT) {
      throw new LookupError(
        LookupErrorCode.INVALID_APPLICANT,
        `applicants[${i}] has ${count} values; at most ${MAX_VALUES_PER_APPLICANT} per applicant`,
        `applicants[${i}]`,
      );
    }
    const out: ApplicantValue[] = [];
    for (const field of APPLICANT_FIELDS) {
      if (field === 'HANDLE') {
        for (const h of a.handles ?? []) out.push(parse(a, field, `${h.platform}:${h.value}`, h.value, h.platform));
      } else {
        for (const v of (a[LIST_OF[field]] as string[] | null | undefined) ?? []) out.push(parse(a, field, v, v));
      }
    }
    values[i] = out;
  }
  return { values, wanted, slots: slots.size };
}
