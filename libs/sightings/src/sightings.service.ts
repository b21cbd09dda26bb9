import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '@cairn/audit';
import { Measured, Metrics, type Viewer } from '@cairn/common';
import { FeedCursors, IntelService, IntelStoreHooks, planReferenceAudiences, type SharingRequest } from '@cairn/intel';
import type { Distribution } from '@cairn/access';
import { CAIRN_CONTEXT_EXTENSION_ID, canonicalStixId, isStixId, isStixTimestamp, tlpMarkingRef, type Tlp } from '@cairn/stix';
import { TenancyService, cellIdentityId, cellLabel, isSector } from '@cairn/tenancy';
import { SightingError, SightingErrorCode } from './sightings.errors';
import { SightingFactsHook, type CellName } from './sighting-facts.hook';
import {
  HIRING_CHANNELS,
  INTERVIEW_STAGES,
  ROLE_CATEGORIES,
  SIGHTABLE_TYPES,
  type HiringChannel,
  type InterviewStage,
  type RoleCategory,
} from './vocab';

export interface SightingReport {
  /** STIX id of an SDO the reporter may see (indicator, identity, threat-actor …). */
  sightingOf: string;
  firstSeen: string;
  lastSeen?: string;
  count?: number;
  confidence?: number;
  interviewStage?: InterviewStage;
  roleCategory?: RoleCategory;
  hiringChannel?: HiringChannel;
}

export interface ReportedSighting {
  id: string;
  cursor: string;
  cell: CellName;
  /** What it was stored with: the requested sharing narrowed by what it sights. */
  distribution: Distribution;
  tlp: Tlp;
  narrowed: boolean;
}

export const MAX_SIGHTINGS_PER_CALL = 1000;
const CELL_IDENTITY_TIME = '2021-01-01T00:00:00.000Z';

/**
 * Reports sightings as STIX 2.1 sighting SROs. The reporter never appears in them: where_sighted_refs
 * is the shared identity of its sector + area cell (small-crowd protected), created_by_ref is absent
 * (the exchange speaks for it), and who reported is known only to the database's publisher column.
 */
@Injectable()
export class SightingsService {
  private readonly ensuredCells = new Set<string>();

  constructor(
    private readonly tenancy: TenancyService,
    private readonly intel: IntelService,
    private readonly audit: AuditService,
    private readonly hooks: IntelStoreHooks,
    private readonly facts: SightingFactsHook,
    private readonly cursors: FeedCursors,
    readonly metrics: Metrics,
  ) {}

  /**
   * Sightings that arrive in bundles or over TAXII name their cell without passing through report():
   * the API publishes the identities of the members' current cells at start-up, so those references resolve.
   */
  async publishCellIdentities(): Promise<void> {
    await this.ensureCellIdentities(await this.tenancy.allMemberCells());
  }

  /** Stores all reports in one transaction, or none (the first bad report is named in the error). */
  @Measured('sightingDuration')
  async report(viewer: Viewer, given: SightingReport[], sharing: SharingRequest = {}): Promise<ReportedSighting[]> {
    if (given.length === 0) return [];
    // A subject id with upper-case UUID digits names the object stored with lower-case ones.
    const reports = given.map((r) => (typeof r.sightingOf === 'string' ? { ...r, sightingOf: canonicalStixId(r.sightingOf) } : r));
    if (reports.length > MAX_SIGHTINGS_PER_CALL)
      throw new SightingError(SightingErrorCode.TOO_MANY, `At most ${MAX_SIGHTINGS_PER_CALL} sightings per call`, 'sightings');
    reports.forEach((r, i) => validateReport(r, `sightings[${i}]`));
    // Three reads that do not depend on each other go side by side (about six round trips
    // become three on the call's path); a failure is reported in the order they were always made.
    const [subjects, cellRead, sharingRead] = await Promise.allSettled([
      this.visibleSubjects(viewer, reports),
      this.tenancy.cellFor(viewer.tenantId),
      this.intel.publisherSharing(viewer.tenantId, sharing),
    ]);
    if (subjects.status === 'rejected') throw subjects.reason;
    if (cellRead.status === 'rejected') throw cellRead.reason;
    const cell = cellRead.value;
    if (!cell)
      throw new SightingError(
        SightingErrorCode.NO_CELL,
        'Sightings cannot be reported yet: fewer than k members could stand behind any cell',
        'sightings',
      );
    await this.ensureCellIdentities([cell]);

    if (sharingRead.status === 'rejected') throw sharingRead.reason;
    const { scope, resolved } = sharingRead.value;
    const now = new Date().toISOString();
    const docs = reports.map((r) => toSightingDoc(r, cellIdentityId(cell), tlpMarkingRef(resolved.tlp), now));

    const stored = await this.tenancy.asViewer(scope, async (m) => {
      // A sighting is never seen by anyone who may not see what it sights: its sharing is the
      // requested one narrowed by the subject's (audience/intersect.ts in @cairn/intel).
      const nodes = docs.map((doc, i) => ({
        id: doc.id,
        objectId: doc.id,
        refs: [{ ref: doc.sighting_of_ref as string, path: `sightings[${i}].sightingOf` }],
      }));
      const plan = await planReferenceAudiences(m, this.tenancy, { scope, requested: resolved.audience, tlp: resolved.tlp, nodes });
      const problem = plan.problems[0];
      if (problem) {
        throw new SightingError(
          SightingErrorCode.AUDIENCE_NOT_REPRESENTABLE,
          `${problem.message}; report it with sharing ORGANISATION, or with the sharing of what you sighted`,
          problem.path,
        );
      }
      // Audited before the insert (side by side with the store's prepare hooks): the insert takes the
      // feed lock and is the transaction's last statement, committed right behind it (insertPlanned
      // with commit), so the lock is held for no round trip.
      const audited = () =>
        this.audit.record(
          {
            action: 'sighting.reported',
            viewer,
            details: { count: docs.length, narrowed: docs.filter((d) => plan.byId.get(d.id)!.narrowedBy).length },
          },
          m,
        );
      // The sighting facts (SightingFactsHook) and the identifier index are written in the same transaction, with each row's planned audience.
      const rows = docs.map((doc) => ({ id: doc.id, type: 'sighting', modified: now, revoked: false, validUntil: null, doc }));
      const inserted = await this.hooks.insertPlanned(m, plan.byId, rows, { commit: true, alongside: audited });
      return { plan, inserted };
    });
    const seqById = new Map(stored.inserted.map((row) => [row.id, row.feedSeq]));
    const reported = docs.map((doc): ReportedSighting => {
      const planned = stored.plan.byId.get(doc.id)!;
      // The store placed them in the cell of the membership as it was inside the transaction.
      return {
        id: doc.id,
        cursor: this.cursors.encode(viewer, seqById.get(doc.id)!),
        cell: this.facts.cellOf(doc) ?? cell,
        distribution: planned.shown.distribution,
        tlp: planned.tlp,
        narrowed: planned.narrowedBy !== undefined,
      };
    });
    // A membership change between the two reads: the cell they were stored under needs its identity too.
    await this.ensureCellIdentities(reported.map((s) => s.cell));
    return reported;
  }

  /** Every subject must be an SDO the reporter may see; unknown and invisible look the same. */
  private async visibleSubjects(viewer: Viewer, reports: SightingReport[]): Promise<Map<string, string>> {
    const ids = [...new Set(reports.map((r) => r.sightingOf))];
    const types = await this.intel.visibleTypes(viewer, ids);
    reports.forEach((r, i) => {
      const type = types.get(r.sightingOf);
      if (!type)
        throw new SightingError(
          SightingErrorCode.UNKNOWN_SUBJECT,
          `No object ${r.sightingOf} that you may see`,
          `sightings[${i}].sightingOf`,
        );
      if (!SIGHTABLE_TYPES.has(type))
        throw new SightingError(
          SightingErrorCode.INVALID_SIGHTING,
          `A sighting must be of an SDO, not a ${type}`,
          `sightings[${i}].sightingOf`,
        );
    });
    return types;
  }

  /** A cell's identity is published once, by the exchange, to everyone, so references resolve (one store for all new ones). */
  private async ensureCellIdentities(cells: CellName[]): Promise<void> {
    const fresh = new Map(cells.map((cell) => [cellIdentityId(cell), cell] as const).filter(([id]) => !this.ensuredCells.has(id)));
    if (fresh.size === 0) return;
    const docs = [...fresh].map(([id, cell]) => ({
      type: 'identity',
      spec_version: '2.1',
      id,
      created: CELL_IDENTITY_TIME,
      modified: CELL_IDENTITY_TIME,
      name: cellLabel(cell),
      identity_class: 'class',
      ...(isSector(cell.sector) ? { sectors: [cell.sector] } : {}),
      extensions: { [CAIRN_CONTEXT_EXTENSION_ID]: { extension_type: 'property-extension', area: cell.area } },
      object_marking_refs: [tlpMarkingRef('CLEAR')],
    }));
    const exchange = await this.tenancy.exchangeTenant();
    const system: Viewer = { kind: 'apikey', tenantId: exchange.id, operator: false, scopes: new Set(['intel:write']) };
    await this.intel.storeObjects(system, docs, { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    for (const id of fresh.keys()) this.ensuredCells.add(id);
  }
}

/** A sighting document under the requested TLP (a narrowed one is re-marked when stored: IntelStoreHooks.insertPlanned). */
function toSightingDoc(r: SightingReport, whereSighted: string, marking: string, now: string): Record<string, unknown> & { id: string } {
  // The hiring context is Cairn's own: a property extension that strict consumers find defined.
  const context = {
    ...(r.interviewStage ? { interview_stage: r.interviewStage } : {}),
    ...(r.roleCategory ? { role_category: r.roleCategory } : {}),
    ...(r.hiringChannel ? { hiring_channel: r.hiringChannel } : {}),
  };
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: `sighting--${randomUUID()}`,
    created: now,
    modified: now,
    sighting_of_ref: r.sightingOf,
    where_sighted_refs: [whereSighted],
    first_seen: r.firstSeen,
    last_seen: r.lastSeen ?? r.firstSeen,
    count: r.count ?? 1,
    object_marking_refs: [marking],
    ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
    ...(Object.keys(context).length > 0
      ? { extensions: { [CAIRN_CONTEXT_EXTENSION_ID]: { extension_type: 'property-extension', ...context } } }
      : {}),
  };
}

function validateReport(r: SightingReport, at: string): void {
  const bad = (field: string, message: string) => {
    throw new SightingError(SightingErrorCode.INVALID_SIGHTING, message, `${at}.${field}`);
  };
  if (!isStixId(r.sightingOf)) bad('sightingOf', 'Must be a STIX id such as indicator--<uuid>');
  // isStixTimestamp, not a regex: the DateTime scalar takes year 0000, which PostgreSQL refuses.
  if (!isStixTimestamp(r.firstSeen)) bad('firstSeen', 'Must be an RFC 3339 UTC timestamp ending in Z');
  if (r.lastSeen !== undefined && !isStixTimestamp(r.lastSeen)) bad('lastSeen', 'Must be an RFC 3339 UTC timestamp ending in Z');
  if (r.lastSeen !== undefined && Date.parse(r.lastSeen) < Date.parse(r.firstSeen)) bad('lastSeen', 'Must not be before firstSeen');
  if (Date.parse(r.firstSeen) > Date.now() + 86_400_000) bad('firstSeen', 'Must not be in the future');
  if (r.count !== undefined && (!Number.isInteger(r.count) || r.count < 0 || r.count > 999_999_999))
    bad('count', 'Must be a whole number from 0 to 999,999,999');
  if (r.confidence !== undefined && (!Number.isInteger(r.confidence) || r.confidence < 0 || r.confidence > 100))
    bad('confidence', 'Must be a whole number from 0 to 100');
  if (r.interviewStage !== undefined && !INTERVIEW_STAGES.includes(r.interviewStage))
    bad('interviewStage', `Must be one of ${INTERVIEW_STAGES.join(', ')}`);
  if (r.roleCategory !== undefined && !ROLE_CATEGORIES.includes(r.roleCategory))
    bad('roleCategory', `Must be one of ${ROLE_CATEGORIES.join(', ')}`);
  if (r.hiringChannel !== undefined && !HIRING_CHANNELS.includes(r.hiringChannel))
    bad('hiringChannel', `Must be one of ${HIRING_CHANNELS.join(', ')}`);
}
