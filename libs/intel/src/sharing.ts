import { TLP_RED_RULE, tlpAllowedWith, type Audience, type Distribution } from '@cairn/access';
import { compareTlp, type Tlp } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { isCountryCode, isSector, unknownSectorMessage } from '@cairn/tenancy';
import { IntelError, IntelErrorCode } from './intel.errors';

/** Sharing as a publisher asks for it; every field is optional and falls back to the tenant's defaults. */
export interface SharingRequest {
  distribution?: Distribution;
  tlp?: Tlp;
  sectors?: string[];
  countries?: string[];
  groupId?: string;
  recipientTenantIds?: string[];
  /** Keep protected identifiers (e-mail, phone, names …) raw: only at TLP:AMBER or stricter, to a sharing group or named recipients. */
  shareProtectedRaw?: boolean;
}

export interface ResolvedSharing {
  audience: Audience;
  tlp: Tlp;
  /** Personal data is stored raw (besides its keyed hash). */
  keepRaw: boolean;
}

/** Facts about other tenants and groups the rules need, looked up by the caller in bulk. */
export interface SharingFacts {
  publisherGroupIds: readonly string[];
  existingRecipientIds: ReadonlySet<string>;
}

/**
 * Applies the sharing rules of DESIGN.md to a request: defaults from the publisher, TLP:RED only
 * for ORGANISATION or RECIPIENTS, groups the publisher belongs to, recipients that exist.
 * Throws an IntelError naming the property at fault.
 */
export function resolveSharing(req: SharingRequest, publisher: TenantEntity, facts: SharingFacts): ResolvedSharing {
  const distribution = req.distribution ?? publisher.defaultDistribution;
  const tlp = req.tlp ?? (req.distribution ? defaultTlpFor(distribution, publisher.defaultTlp) : publisher.defaultTlp);
  const fail = (message: string, field: string, reason = IntelErrorCode.INVALID_SHARING) => {
    throw new IntelError(reason, message, `sharing.${field}`);
  };
  if (!tlpAllowedWith(tlp, distribution)) fail(TLP_RED_RULE, 'tlp');
  const countries = [...new Set(req.countries ?? [])];
  const badCountry = countries.find((c) => !isCountryCode(c));
  if (badCountry !== undefined) fail(`"${badCountry}" is not an ISO 3166-1 alpha-2 country code`, 'countries');

  if (req.sectors?.length && distribution !== 'SECTOR') fail('sectors apply only to distribution SECTOR', 'sectors');
  if (req.groupId && distribution !== 'SHARING_GROUP') fail('groupId applies only to distribution SHARING_GROUP', 'groupId');
  if (req.recipientTenantIds?.length && distribution !== 'RECIPIENTS')
    fail('recipientTenantIds apply only to distribution RECIPIENTS', 'recipientTenantIds');

  let sectors: string[] = [];
  let groupId: string | null = null;
  let recipients: string[] = [];
  switch (distribution) {
    case 'SECTOR': {
      sectors = [...new Set(req.sectors?.length ? req.sectors : publisher.sectors)];
      const bad = sectors.find((s) => !isSector(s));
      if (bad !== undefined) fail(unknownSectorMessage(bad), 'sectors');
      if (sectors.length === 0) fail('Distribution SECTOR needs at least one sector', 'sectors');
      break;
    }
    case 'SHARING_GROUP':
      if (!req.groupId) fail('Distribution SHARING_GROUP needs a groupId', 'groupId');
      if (!facts.publisherGroupIds.includes(req.groupId!))
        fail('Unknown sharing group, or one the publisher is not a member of', 'groupId', IntelErrorCode.UNKNOWN_GROUP);
      groupId = req.groupId!;
      break;
    case 'RECIPIENTS':
      recipients = [...new Set(req.recipientTenantIds ?? [])];
      if (recipients.length === 0) fail('Distribution RECIPIENTS needs at least one recipient tenant', 'recipientTenantIds');
      if (recipients.some((r) => !facts.existingRecipientIds.has(r)))
        fail('Every recipient must be an existing member tenant', 'recipientTenantIds', IntelErrorCode.UNKNOWN_RECIPIENT);
      break;
    case 'ORGANISATION':
    case 'COMMUNITY':
      break;
    default:
      fail(`Unknown distribution "${String(distribution)}"`, 'distribution');
  }
  const keepRaw = req.shareProtectedRaw === true;
  if (keepRaw && !rawSharingAllowed(tlp, distribution)) {
    fail(
      'Protected identifiers may be shared raw only at TLP:AMBER or stricter, with distribution SHARING_GROUP or RECIPIENTS',
      'shareProtectedRaw',
    );
  }
  return { tlp, keepRaw, audience: { publisherTenantId: publisher.id, distribution, sectors, countries, groupId, recipients } };
}

/** Protected identifiers may be kept raw (shareProtectedRaw) only at TLP:AMBER or stricter, to a named group or recipients. */
export function rawSharingAllowed(tlp: Tlp, distribution: Distribution): boolean {
  return compareTlp(tlp, 'AMBER') >= 0 && (distribution === 'SHARING_GROUP' || distribution === 'RECIPIENTS');
}

/** A publisher's default TLP:RED cannot go with a wider distribution it picked explicitly; AMBER stands in. */
function defaultTlpFor(distribution: Distribution, tenantDefault: Tlp): Tlp {
  return tlpAllowedWith(tenantDefault, distribution) ? tenantDefault : 'AMBER';
}
