import {
  checkTimestamp,
  compareTimestamps,
  customObservable,
  equalityPattern,
  newStixId,
  normaliseAs,
  normaliseDomain,
  normaliseEmail,
  normaliseHandle,
  normaliseHash,
  normaliseIpv4,
  normaliseIpv6,
  normalisePhone,
  normaliseUrl,
  quoteString,
  scoId,
  type HandlePlatform,
} from '@cairn/stix';
import type { PublishIssueCode } from '../intel.errors';
import type { PublishIssue } from './publish.types';

type Json = Record<string, unknown>;

export const INDICATOR_KINDS = [
  'EMAIL',
  'PHONE',
  'IP',
  'DOMAIN',
  'URL',
  'FILE_HASH',
  'GITHUB',
  'LINKEDIN',
  'TELEGRAM',
  'WALLET',
  'PERSONA_NAME',
  'BANK_ACCOUNT',
] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** One identifier a member wants to publish as an indicator. */
export interface IndicatorRequest {
  type: IndicatorKind;
  value: string;
  labels?: string[];
  /** 0–100. */
  confidence?: number;
  /** STIX timestamp after now. */
  validUntil?: string;
  /** Id, name or alias of a threat actor or intrusion set the indicator points at. */
  threatActor?: string;
}

const TITLES: Record<IndicatorKind, string> = {
  EMAIL: 'E-mail address',
  PHONE: 'Phone number',
  IP: 'IP address',
  DOMAIN: 'Domain',
  URL: 'URL',
  FILE_HASH: 'File',
  GITHUB: 'GitHub account',
  LINKEDIN: 'LinkedIn profile',
  TELEGRAM: 'Telegram account',
  WALLET: 'Cryptocurrency wallet',
  PERSONA_NAME: 'Persona',
  BANK_ACCOUNT: 'Bank account',
};

const HANDLE_PLATFORM: Partial<Record<IndicatorKind, HandlePlatform>> = { GITHUB: 'github', LINKEDIN: 'linkedin', TELEGRAM: 'telegram' };

type Built = { ok: true; sco: Json & { id: string }; pattern: string } | { ok: false; reason: string };

function sco(type: string, props: Json): Json & { id: string } {
  const o = { type, spec_version: '2.1', ...props };
  return { ...o, id: scoId(o) };
}

/** The observable and the STIX pattern for one identifier, after normalising it. */
export function observableFor(kind: IndicatorKind, value: string): Built {
  const fail = (reason: string): Built => ({ ok: false, reason });
  switch (kind) {
    case 'EMAIL': {
      const n = normaliseEmail(value);
      return n.ok
        ? { ok: true, sco: sco('email-addr', { value: n.value }), pattern: equalityPattern('email-addr', 'value', n.value) }
        : fail(n.reason);
    }
    case 'PHONE': {
      const n = normalisePhone(value);
      return n.ok
        ? {
            ok: true,
            sco: customObservable('phone-number', { value: n.value }),
            pattern: equalityPattern('phone-number', 'value', n.value),
          }
        : fail(n.reason);
    }
    case 'IP': {
      const v4 = normaliseIpv4(value);
      if (v4.ok) return { ok: true, sco: sco('ipv4-addr', { value: v4.value }), pattern: equalityPattern('ipv4-addr', 'value', v4.value) };
      const v6 = normaliseIpv6(value);
      return v6.ok
        ? { ok: true, sco: sco('ipv6-addr', { value: v6.value }), pattern: equalityPattern('ipv6-addr', 'value', v6.value) }
        : fail('not an IPv4 or IPv6 address');
    }
    case 'DOMAIN': {
      const n = normaliseDomain(value);
      return n.ok
        ? { ok: true, sco: sco('domain-name', { value: n.value }), pattern: equalityPattern('domain-name', 'value', n.value) }
        : fail(n.reason);
    }
    case 'URL': {
      const n = normaliseUrl(value);
      return n.ok ? { ok: true, sco: sco('url', { value: n.value }), pattern: equalityPattern('url', 'value', n.value) } : fail(n.reason);
    }
    case 'FILE_HASH': {
      const n = normaliseHash(value);
      if (!n.ok) return fail(n.reason);
      return {
        ok: true,
        sco: sco('file', { hashes: { [n.algorithm]: n.value } }),
        pattern: equalityPattern('file', ['hashes', n.algorithm], n.value),
      };
    }
    case 'GITHUB':
    case 'LINKEDIN':
    case 'TELEGRAM': {
      const platform = HANDLE_PLATFORM[kind]!;
      let n = normaliseHandle(value);
      if (!n.ok || n.platform !== platform) n = normaliseHandle(`${platform}:${value.trim().replace(/^@/, '')}`);
      if (!n.ok) return fail(n.reason);
      const pattern = `[user-account:account_type = ${quoteString(platform)} AND user-account:account_login = ${quoteString(n.login)}]`;
      return { ok: true, sco: sco('user-account', { account_type: platform, account_login: n.login }), pattern };
    }
    case 'WALLET': {
      const n = normaliseAs('WALLET', value);
      return n.ok
        ? {
            ok: true,
            sco: customObservable('cryptocurrency-wallet', { value: n.value }),
            pattern: equalityPattern('cryptocurrency-wallet', 'value', n.value),
          }
        : fail(n.reason);
    }
    case 'PERSONA_NAME': {
      const name = value.trim().replace(/\s+/g, ' ');
      if (!name) return fail('empty');
      const persona = customObservable('persona', { persona_name: name, persona_type: 'job-applicant' });
      return { ok: true, sco: persona, pattern: equalityPattern('persona', 'persona_name', name) };
    }
    case 'BANK_ACCOUNT': {
      const iban = value.toUpperCase().replace(/[\s-]/g, '');
      if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(iban)) return fail('not an IBAN');
      return { ok: true, sco: customObservable('bank-account', { iban }), pattern: equalityPattern('bank-account', 'iban', iban) };
    }
  }
}

/**
 * Builds STIX content for typed indicators: the observable, an indicator with its pattern, a
 * `based-on` relationship from the indicator to the observable and an `indicates` relationship to
 * each resolved actor. Problems name `$.indicators[i].<field>`.
 */
export function buildIndicatorObjects(
  requests: IndicatorRequest[],
  actors: ReadonlyMap<string, string[]>,
  now: string,
): { objects: Json[]; issues: PublishIssue[] } {
  const objects: Json[] = [];
  const issues: PublishIssue[] = [];
  const byId = new Set<string>();
  requests.forEach((r, i) => {
    const problem = (field: string, code: PublishIssueCode, message: string) =>
      issues.push({ objectId: null, path: `$.indicators[${i}].${field}`, code, message });
    const built = observableFor(r.type, String(r.value ?? ''));
    if (!built.ok) problem('value', 'INVALID_IDENTIFIER', `not a valid ${TITLES[r.type] ?? r.type}: ${built.reason}`);
    if (r.confidence !== undefined && (!Number.isInteger(r.confidence) || r.confidence < 0 || r.confidence > 100))
      problem('confidence', 'OUT_OF_RANGE', 'confidence is a whole number from 0 to 100');
    if (r.validUntil !== undefined && (!checkTimestamp(r.validUntil).valid || compareTimestamps(r.validUntil, now) <= 0)) {
      problem('validUntil', 'INVALID_TIMESTAMP', 'validUntil must be an RFC 3339 UTC timestamp in the future');
    }
    if (r.labels?.some((l) => typeof l !== 'string' || l.trim() === '')) problem('labels', 'EMPTY_VALUE', 'labels must not be empty');
    const actorIds = r.threatActor ? (actors.get(r.threatActor) ?? []) : [];
    if (r.threatActor && actorIds.length === 0)
      problem('threatActor', 'UNKNOWN_ACTOR', 'no threat actor or intrusion set you may see has this id, name or alias');
    if (!built.ok) return;
    if (!byId.has(built.sco.id)) objects.push(built.sco);
    byId.add(built.sco.id);
    const indicator: Json = {
      type: 'indicator',
      spec_version: '2.1',
      id: newStixId('indicator'),
      created: now,
      modified: now,
      name: TITLES[r.type],
      indicator_types: ['malicious-activity'],
      pattern: built.pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: now,
      ...(r.validUntil ? { valid_until: r.validUntil } : {}),
      ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
      ...(r.labels?.length ? { labels: [...new Set(r.labels.map((l) => l.trim()))] } : {}),
    };
    const rel = (type: string, target: string): Json => ({
      type: 'relationship',
      spec_version: '2.1',
      id: newStixId('relationship'),
      created: now,
      modified: now,
      relationship_type: type,
      source_ref: indicator.id,
      target_ref: target,
    });
    objects.push(indicator, rel('based-on', built.sco.id), ...actorIds.map((a) => rel('indicates', a)));
  });
  return { objects, issues };
}
