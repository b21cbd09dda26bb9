import { randomUUID } from 'node:crypto';
import { scoId } from '@cairn/stix';
import type { SharingRequest } from '@cairn/intel';
import { gql, type TestApp } from '../support/test-app';
import { bundleOf } from './stix.factory';

export const T0 = '2025-06-02T09:00:00.000Z';

export const SCREEN = `query($a: [ApplicantInput!]!) { screenApplicants(applicants: $a) {
  ref
  matches { field value normalised reporters cells { sector area label } firstSeen lastSeen sightings interviewStages roleCategories linkedActors linkedPersonas maxConfidence latestTlp }
  rejected { field value reason }
  signals { matchedIdentifiers matchedFields sightedIdentifiers maxReporters linkedActors linkedPersonas interviewStages roleCategories firstSeen lastSeen } } }`;

export interface Match {
  field: string;
  value: string;
  normalised: string;
  reporters: number | null;
  cells: Array<{ sector: string; area: string; label: string }>;
  firstSeen: string | null;
  lastSeen: string | null;
  sightings: number | null;
  interviewStages: string[];
  roleCategories: string[];
  linkedActors: string[];
  linkedPersonas: string[];
  maxConfidence: number | null;
  latestTlp: string | null;
}
export interface Screening {
  ref: string;
  matches: Match[];
  rejected: Array<{ field: string; value: string; reason: string }>;
  signals: {
    matchedIdentifiers: number;
    matchedFields: string[];
    sightedIdentifiers: number;
    maxReporters: number | null;
    linkedActors: string[];
    linkedPersonas: string[];
    interviewStages: string[];
    roleCategories: string[];
    firstSeen: string | null;
    lastSeen: string | null;
  };
}
export type Applicant = { ref: string } & Partial<
  Record<'emails' | 'phones' | 'names' | 'resumeHashes' | 'ips' | 'wallets' | 'addresses', string[]>
> & {
    handles?: Array<{ platform: string; value: string }>;
    country?: string;
  };

export type Obj = Record<string, unknown> & { id: string; type: string };
export const sdo = (type: string, props: Record<string, unknown> = {}): Obj => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: T0,
  modified: T0,
  ...props,
});
export const sco = (type: string, props: Record<string, unknown>): Obj => {
  const o = { type, spec_version: '2.1', ...props };
  return { ...o, id: scoId(o) };
};

const PUBLISH = `mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { objects { id status } } }`;

/** Publishes through the whole pipeline (protection, redaction, index) over HTTP; returns the stored ids in bundle order. */
export async function publishRaw(
  api: TestApp,
  key: string,
  objects: Obj[],
  sharing: SharingRequest & Record<string, unknown>,
): Promise<string[]> {
  const res = await gql<{ publishBundle: { objects: Array<{ id: string; status: string }> } }>(
    api.baseUrl,
    PUBLISH,
    { b: bundleOf(...objects), s: sharing },
    { authorization: key },
  );
  if (res.errors) throw new Error(`publish failed: ${JSON.stringify(res.errors)}`);
  return res.data!.publishBundle.objects.map((o) => o.id);
}

export async function screen(api: TestApp, key: string, applicants: Applicant[]) {
  return gql<{ screenApplicants: Screening[] }>(api.baseUrl, SCREEN, { a: applicants }, { authorization: key });
}

/** Answers for a batch that must succeed. */
export async function screenOk(api: TestApp, key: string, applicants: Applicant[]): Promise<Screening[]> {
  const res = await screen(api, key, applicants);
  if (res.errors) throw new Error(`screen failed: ${JSON.stringify(res.errors)}`);
  return res.data!.screenApplicants;
}

let n = 0;
/** A fresh value of each kind per call, so tests never see each other's data. */
export function fresh() {
  n++;
  const tag = `${randomUUID().slice(0, 6)}${n}`.replace(/-/g, '');
  const hex = (randomUUID() + randomUUID()).replace(/-/g, '').slice(0, 64);
  return {
    gmail: `Dan.Kim.${tag}@gmail.com`,
    gmailVariant: `dankim${tag}+jobs@googlemail.com`,
    github: `dev-${tag}`,
    sha: hex,
    ip: `198.51.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`,
    wallet: `0x${hex.slice(0, 40)}`,
    /** The same UK number as a recruiter and as a member write it. */
    phone: `+44 (0)20 7946 ${String(n % 10000).padStart(4, '0')}`,
    phoneVariant: `0044 20 7946 ${String(n % 10000).padStart(4, '0')}`,
    phoneE164: `+4420 7946${String(n % 10000).padStart(4, '0')}`.replace(/ /g, ''),
  };
}
