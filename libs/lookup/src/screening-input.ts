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

const LIST_OF: Readonly<Record<Exclude<ApplicantField, 'HANDLE'>, keyof ApplicantInput>> = {
  EMAIL: 'emails',
  PHONE: 'phones',
  NAME: 'names',
  RESUME_HASH: 'resumeHashes',
  IP: 'ips',
  WALLET: 'wallets',
  ADDRESS: 'addresses',
};

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
  const values = applicants.map((a, i) => {
    if (typeof a.ref !== 'string' || a.ref.length === 0 || a.ref.length > MAX_REF_LENGTH) {
      throw new LookupError(
        LookupErrorCode.INVALID_APPLICANT,
        `applicants[${i}].ref must be 1–${MAX_REF_LENGTH} characters`,
        `applicants[${i}].ref`,
      );
    }
    const given: Array<{ field: ApplicantField; value: string; platform?: string }> = [];
    for (const field of APPLICANT_FIELDS) {
      if (field === 'HANDLE')
        for (const h of a.handles ?? []) given.push({ field, value: `${h.platform}:${h.value}`, platform: h.platform });
      else for (const v of (a[LIST_OF[field]] as string[] | null | undefined) ?? []) given.push({ field, value: v });
    }
    if (given.length > MAX_VALUES_PER_APPLICANT) {
      throw new LookupError(
        LookupErrorCode.INVALID_APPLICANT,
        `applicants[${i}] has ${given.length} values; at most ${MAX_VALUES_PER_APPLICANT} per applicant`,
        `applicants[${i}]`,
      );
    }
    return given.map((g): ApplicantValue => {
      const raw = g.platform === undefined ? g.value : g.value.slice(g.platform.length + 1);
      const n = normaliseField(g.field, raw, { country: a.country ?? undefined, platform: g.platform });
      if (!n.ok) return { field: g.field, value: g.value, reason: n.reason };
      const name = `${n.kind}\u0000${n.normalised}`;
      let slot = slots.get(name);
      if (slot === undefined) {
        slot = slots.size;
        slots.set(name, slot);
        for (const k of identifierKeys(n, secret)) wanted.push({ slot, ...k });
      }
      return { field: g.field, value: g.value, normalised: n.normalised, slot };
    });
  });
  return { values, wanted, slots: slots.size };
}
