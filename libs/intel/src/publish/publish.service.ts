import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AccessScope } from '@cairn/access';
import { AuditService } from '@cairn/audit';
import { CAIRN_CONFIG, LOOKUP_QUOTA, Measured, Metrics, type CairnConfig, type LookupQuota, type Viewer } from '@cairn/common';
import { canonicalStixId, categoryOf, lowerCaseIds, newStixId, nextVersionTimestamp, toStixTimestamp, validate } from '@cairn/stix';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { BundleRejectedError, IntelError, IntelErrorCode } from '../intel.errors';
import { IntelService } from '../intel.service';
import {
  checkReads,
  idsOwnedByOthers,
  isRecheckRefusal,
  lockAndRecheck,
  lockFeed,
  ownNewest,
  ownNewestByAudience,
  ownVersions,
  visibleIds,
  type CheckedSince,
  type NewObjectRow,
  type OwnVersions,
  type StoredObject,
} from '../object-store';
import { type ResolvedSharing, type SharingRequest } from '../sharing';
import { IntelStoreHooks } from '../store-hooks';
import type { PersonalData } from '../protect/protect';
import { buildIndicatorObjects, type IndicatorRequest } from './indicator-builder';
import { keyedObjectId } from '../protect/keyed-id';
import { resolveKeyedIds } from './keyed-references';
import { isObservable, personalDataOf, preparePublication, type Prepared } from './prepare';
import { narrowingRefs, planReferenceAudiences } from '../audience/reference-audience';
import type { PlannedSharing } from '../audience/plan';
import { noteIdCase, publishRepaired, type RepairNote } from './repair-mode';
import {
  summarise,
  type ObjectOutcome,
  type PublishIssue,
  type PublishOptions,
  type PublishPreview,
  type PublishSummary,
} from './publish.types';

const objectIndex = (path: string) => Number(/^\$\.objects\[(\d+)\]/.exec(path)?.[1] ?? -1);

/** A reference to a cyber-observable of a standard type (a custom type's id does not say, so it counts as not). */
const isObservableId = (ref: string) => categoryOf(ref.slice(0, ref.indexOf('--'))) === 'sco';

/** An empty or oversized bundle: nothing to check against the database. */
function nothingToCheck(prepared: Prepared): boolean {
  return prepared.issues.length > 0 && prepared.objects.length === 0 && prepared.externalRefs.size === 0;
}

/** Issues in bundle order (bundle-level first), so that one object's problems read together. */
function sortIssues(issues: PublishIssue[]): PublishIssue[] {
  return issues
    .map((issue, n) => ({ issue, n }))
    .sort((a, b) => objectIndex(a.issue.path) - objectIndex(b.issue.path) || a.n - b.n)
    .map((x) => x.issue);
}

/**
 * Member input: publishing bundles and typed indicators, and revoking. Everything goes through one
 * pipeline — validate in full, anonymise, protect personal data (preparePublication), check
 * references, ownership and versions against the database — and is stored whole in one transaction, or not at all.
 */
@Injectable()
export class PublishService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly intel: IntelService,
    private readonly hooks: IntelStoreHooks,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    // Previews and publishes render each personal value's keyed hash: they are lookups of it.
    @Inject(LOOKUP_QUOTA) private readonly quota: LookupQuota,
    readonly metrics: Metrics,
  ) {}

  /**
   * Publishes a STIX 2.1 bundle with one sharing decision. Strict (default): throws
   * BundleRejectedError (nothing stored) on any problem. `repair`: see PublishOptions.
   * Either way ids are stored with their UUID in lower case, every reference following.
   */
  @Measured('publishDuration')
  async publishBundle(
    viewer: Viewer,
    bundle: unknown,
    sharing: SharingRequest = {},
    options: PublishOptions = {},
  ): Promise<PublishSummary> {
    const { publisher, scope, resolved } = await this.intel.publisherSharing(viewer.tenantId, sharing);
    const list = bundle && typeof bundle === 'object' ? (bundle as Record<string, unknown>).objects : undefined;
    const submittedIds = Array.isArray(list)
      ? list.map((o) =>
          o && typeof o === 'object' && typeof (o as Record<string, unknown>).id === 'string'
            ? ((o as Record<string, unknown>).id as string)
            : null,
        )
      : [];
    // Repair mode tries parts of the bundle: each try redacts the personal data of the whole of it
    // (an oversized bundle is refused by the first try, unread).
    const whole =
      options.repair && Array.isArray(list) && list.length <= this.config.maxBundleObjects ? this.personalDataOf(list) : undefined;
    const personal = [options.personalData, whole].filter((p): p is PersonalData => p !== undefined);
    const idCase = lowerCaseIds(bundle);
    // Repair mode tries parts of one bundle: a value is charged once, by the first try that holds it.
    const charged = new Set<string>();
    const attempt = async (b: unknown, origin: readonly number[], repair?: RepairNote) => {
      const prepared = this.prepare(b, viewer, publisher, resolved, personal);
      noteIdCase(prepared, origin, idCase);
      // Nothing to check against the database (an empty or oversized bundle): reject at once.
      if (nothingToCheck(prepared)) throw new BundleRejectedError(prepared.issues);
      await this.chargeProtected(viewer, prepared, options, charged);
      const store = (lockFirst: boolean) =>
        this.tenancy.asViewer(scope, (m) => this.store(m, viewer, scope, resolved, prepared, { repair, lockFirst }));
      // Checked before the feed lock and rechecked under it (store); if a write that committed
      // meanwhile changed what was checked, checked again with the lock taken first.
      const outcomes = prepared.outcomes.map((o) => ({ ...o }));
      return store(false).catch((err: unknown) => {
        if (!isRecheckRefusal(err)) throw err;
        this.metrics.publishRechecksRefused.inc();
        prepared.outcomes.forEach((o, i) => restoreOutcome(o, outcomes[i]));
        return store(true);
      });
    };
    const summary = options.repair
      ? await publishRepaired(bundle, submittedIds, attempt)
      : await attempt(
          bundle,
          submittedIds.map((_id, i) => i),
        );
    // Named objects point at the member's identity: it is served too, so the reference resolves.
    await this.intel.publishNamedIdentity(publisher);
    return summary;
  }

  /** Builds observables, indicators and relationships for typed identifiers, then publishes them as one bundle. */
  async publishIndicators(
    viewer: Viewer,
    requests: IndicatorRequest[],
    sharing: SharingRequest = {},
    options: Pick<PublishOptions, 'operatorRun'> = {},
  ): Promise<PublishSummary> {
    if (requests.length === 0) throw new IntelError(IntelErrorCode.INVALID_INDICATOR, 'Give at least one indicator', 'indicators');
    if (requests.length * 3 > this.config.maxBundleObjects)
      throw new IntelError(
        IntelErrorCode.INVALID_INDICATOR,
        `At most ${Math.floor(this.config.maxBundleObjects / 3)} indicators at once`,
        'indicators',
      );
    const built = await this.buildIndicators(viewer, requests);
    if (built.issues.length > 0) throw new BundleRejectedError(built.issues, 'Indicators');
    return this.publishBundle(viewer, { type: 'bundle', id: newStixId('bundle'), objects: built.objects }, sharing, options);
  }

  /**
   * A dry run of publishBundle (strict mode): the same preparation and database checks, in a
   * transaction that writes nothing — no feed lock, no insert, no audit entry, no notification.
   * Problems come back as data (every one, in bundle order), not as an error, and the documents
   * come back as other members would be served them: anonymised, redacted, personal data protected.
   * The personal values submitted are charged to the lookup quota first, as publishing charges them
   * (each one's keyed hash comes back): over quota, RATE_LIMITED and nothing is rendered.
   */
  async previewBundle(viewer: Viewer, bundle: unknown, sharing: SharingRequest = {}): Promise<PublishPreview> {
    const { publisher, scope, resolved } = await this.intel.publisherSharing(viewer.tenantId, sharing);
    const list = bundle && typeof bundle === 'object' ? (bundle as Record<string, unknown>).objects : undefined;
    const idCase = lowerCaseIds(bundle);
    const prepared = this.prepare(bundle, viewer, publisher, resolved);
    noteIdCase(prepared, Array.isArray(list) ? list.map((_o, i) => i) : [], idCase);
    if (nothingToCheck(prepared)) return { valid: false, issues: prepared.issues, outcomes: prepared.outcomes, objects: [] };
    await this.chargeProtected(viewer, prepared);
    return this.tenancy.asViewer(scope, async (m) => {
      const { issues, rows, plan } = await this.check(m, viewer, scope, resolved, prepared, { lock: 'none' });
      if (issues.length > 0) return { valid: false, issues: sortIssues(issues), outcomes: prepared.outcomes, objects: [] };
      await this.hooks.previewPlanned(m, plan.byId, rows);
      const objects = rows.map((r) => {
        const planned = plan.byId.get(r.id)!;
        return {
          id: r.id,
          type: r.type,
          document: r.doc,
          tlp: planned.tlp,
          // What the publisher is told (audience/intersect.ts): the same distribution as stored.
          distribution: planned.shown.distribution,
          narrowedBy: planned.narrowedBy ?? null,
        };
      });
      return { valid: true, issues: [], outcomes: prepared.outcomes, objects };
    });
  }

  /** A dry run of publishIndicators: see previewBundle. */
  async previewIndicators(viewer: Viewer, requests: IndicatorRequest[], sharing: SharingRequest = {}): Promise<PublishPreview> {
    if (requests.length === 0) throw new IntelError(IntelErrorCode.INVALID_INDICATOR, 'Give at least one indicator', 'indicators');
    const built = await this.buildIndicators(viewer, requests);
    if (built.issues.length > 0) return { valid: false, issues: built.issues, outcomes: [], objects: [] };
    return this.previewBundle(viewer, { type: 'bundle', id: newStixId('bundle'), objects: built.objects }, sharing);
  }

  private async buildIndicators(viewer: Viewer, requests: IndicatorRequest[]): Promise<ReturnType<typeof buildIndicatorObjects>> {
    const refs = [...new Set(requests.map((r) => r.threatActor).filter((a): a is string => !!a))];
    const actors = new Map<string, string[]>();
    for (const ref of refs) actors.set(ref, await this.intel.resolveActorIds(viewer, ref));
    return buildIndicatorObjects(requests, actors, toStixTimestamp(new Date()));
  }

  /** The personal data in a bundle's objects, valid or not, for PublishOptions.personalData. */
  personalDataOf(objects: readonly unknown[]): PersonalData {
    return personalDataOf(objects, this.config.identifierHmacSecret);
  }

  /**
   * Charges the distinct personal values a submission holds (not yet in `charged`) to the viewer's
   * lookup quota, before anything is checked, stored or rendered: a preview or a publish shows each
   * one's keyed hash (in the documents, or in what the publisher reads back), so it is a lookup of
   * it, counted as checkIdentifiers counts (one per distinct kind and normalised value). Over quota:
   * RATE_LIMITED, as checkIdentifiers answers. Trusted operator runs (PublishOptions.operatorRun) are not charged.
   */
  private async chargeProtected(
    viewer: Viewer,
    prepared: Prepared,
    options: PublishOptions = {},
    charged: Set<string> = new Set(),
  ): Promise<void> {
    if (options.operatorRun) return;
    const fresh = [...prepared.protectedKeys].filter((k) => !charged.has(k));
    if (fresh.length === 0) return;
    await this.quota.charge(viewer, fresh.length);
    for (const k of fresh) charged.add(k);
  }

  private prepare(
    bundle: unknown,
    viewer: Viewer,
    publisher: TenantEntity,
    resolved: ResolvedSharing,
    personal: readonly PersonalData[] = [],
  ): Prepared {
    return preparePublication({
      bundle,
      publisher,
      publisherTenantId: viewer.tenantId,
      tlp: resolved.tlp,
      keepRaw: resolved.keepRaw,
      secret: this.config.identifierHmacSecret,
      maxObjects: this.config.maxBundleObjects,
      submittedPersonalData: personal,
    });
  }

  /**
   * Revokes an object: a new version with `revoked: true`, the same sharing as the newest, and a new
   * `modified`. Only its publisher may; an object the viewer cannot see is NOT_FOUND, one it sees but
   * did not publish FORBIDDEN. Revoking a revoked object returns it unchanged. An object that held
   * personal data may be named by the id it was submitted with (it is stored under one keyed for its publisher).
   */
  async revoke(viewer: Viewer, submittedId: string): Promise<StoredObject> {
    const submitted = canonicalStixId(submittedId);
    const revoked = await this.tenancy.asViewer(viewer.tenantId, async (m, scope) => {
      await lockFeed(m);
      const keyed = keyedObjectId(submitted, viewer.tenantId, this.config.identifierHmacSecret);
      const own = (await ownNewest(m, viewer.tenantId, submitted)) ?? (await ownNewest(m, viewer.tenantId, keyed));
      const id = own?.id ?? submitted;
      if (!own) {
        const visible = await visibleIds(m, scope, [id]);
        if (visible.size > 0) throw new IntelError(IntelErrorCode.NOT_PUBLISHER, 'Only the publisher of an object may revoke it', 'id');
        throw new IntelError(IntelErrorCode.OBJECT_NOT_FOUND, 'No such object', 'id');
      }
      if (isObservable(own.doc))
        throw new IntelError(
          IntelErrorCode.INVALID_OBJECT,
          'Cyber-observables are not versioned and cannot be revoked; revoke the indicator instead',
          'id',
        );
      // Marking definitions are not versioned in STIX 2.1 (modified and revoked are forbidden on
      // them): a "revoked" one would reach every SIEM as an object strict consumers refuse.
      if (
        validate({ ...own.doc, modified: own.modified, revoked: true }).some(
          (i) => i.code === 'FORBIDDEN_PROPERTY' && (i.path === '$.modified' || i.path === '$.revoked'),
        )
      )
        throw new IntelError(
          IntelErrorCode.INVALID_OBJECT,
          `A ${own.type} is not versioned in STIX 2.1 and cannot be revoked; revoke the objects it marks instead`,
          'id',
        );
      // Every audience an earlier version reached learns of the withdrawal (an object shared with the
      // community, then narrowed, was otherwise withdrawn only from the narrower audience, and the
      // community went on screening with it), each from the newest version it was given, so that
      // nobody reads content it was not shared. The newest version's revocation comes last: it stays
      // the newest. Each keeps what the publisher knows of its audience, as well as the audience.
      const heads = (await ownNewestByAudience(m, viewer.tenantId, id)).filter(
        (h) => !h.revoked && (h.pk === own.pk || h.audience.distribution !== 'ORGANISATION'),
      );
      if (heads.length === 0) return own;
      // Heads come newest first, and the newest version (own) is its audience's head: oldest first,
      // its revocation is written last.
      let modified = own.modified;
      for (const head of [...heads].reverse()) {
        const next = nextVersionTimestamp(modified, Date.now());
        if (next === undefined)
          throw new IntelError(
            IntelErrorCode.INVALID_OBJECT,
            'Its modified is the last a STIX timestamp can hold (9999-12-31T23:59:59.999Z): no later version can revoke it',
            'id',
          );
        modified = next;
        const doc: Record<string, unknown> = { ...head.doc, modified, revoked: true };
        await this.hooks.insert(
          m,
          head.audience,
          head.tlp,
          [{ id, type: own.type, modified, revoked: true, validUntil: (doc.valid_until as string) ?? null, doc }],
          head.knowledge,
        );
      }
      await this.audit.record({ action: 'intel.revoked', viewer, targetType: 'stix_object', targetId: id, details: { modified } }, m);
      // The version just stored, read in the same transaction (the publisher's own rows are not read-audited).
      return (await ownNewest(m, viewer.tenantId, id))!;
    });
    const { audience: _audience, knowledge: _knowledge, ...stored } = revoked;
    return stored;
  }

  /**
   * The database half of publishing, in the caller's transaction: every check runs, whatever failed
   * before (the prepared issues come in with it), and all problems are thrown at once (rolling back).
   * The checks run before the feed lock (lockFirst false): the lock, a recheck that nothing they read
   * has changed since (lockAndRecheck), the insert and the COMMIT then go to the server in one round
   * trip, so writers wait for each other's inserts only, not for their checks or the app's turns of
   * the event loop. The recheck refuses if a write committed in between touched what was checked; the
   * caller then runs this again with lockFirst, the lock taken before the checks.
   */
  private async store(
    m: EntityManager,
    viewer: Viewer,
    scope: AccessScope,
    sharing: ResolvedSharing,
    prepared: Prepared,
    opts: { repair?: RepairNote; lockFirst: boolean },
  ): Promise<PublishSummary> {
    const { repair } = opts;
    const { issues, rows, plan, since } = await this.check(m, viewer, scope, sharing, prepared, {
      lock: opts.lockFirst ? 'first' : 'recheck',
    });
    if (issues.length > 0) throw new BundleRejectedError(sortIssues(issues));
    const narrowed = noteNarrowed(plan.byId, prepared, rows);
    const summary = summarise(prepared.outcomes);
    const audited = () =>
      this.audit.record(
        {
          action: 'intel.published',
          viewer,
          targetType: 'stix_bundle',
          details: {
            created: summary.created,
            newVersions: summary.newVersions,
            unchanged: summary.unchanged,
            skipped: summary.skipped,
            corrected: summary.corrected,
            distribution: sharing.audience.distribution,
            tlp: sharing.tlp,
            protectedRaw: sharing.keepRaw,
            narrowed,
            ...(repair ? { repairMode: true, repairedObjects: repair.repaired, skippedByRepair: repair.skipped } : {}),
          },
        },
        m,
      );
    // One insert per planned audience, the last committed right behind it (insertPlanned).
    await this.hooks.insertPlanned(m, plan.byId, rows, { commit: true, alongside: audited, before: since && lockAndRecheck(since) });
    return summary;
  }

  /**
   * Every check of publishing that needs the database, in the caller's transaction, whatever failed
   * before (the prepared issues come in with them): references, ownership, versions, the planned
   * sharing. `first`: the feed lock is taken before ownership and versions are read; `recheck`: it is
   * not, and `since` says what was read from when (lockAndRecheck); `none`: a preview, which stores nothing.
   */
  private async check(
    m: EntityManager,
    viewer: Viewer,
    scope: AccessScope,
    sharing: ResolvedSharing,
    prepared: Prepared,
    opts: { lock: 'first' | 'recheck' | 'none' },
  ): Promise<{
    issues: PublishIssue[];
    rows: NewObjectRow[];
    plan: { byId: Map<string, PlannedSharing>; problems: PublishIssue[] };
    since?: CheckedSince;
  }> {
    // A reference by the id one of the publisher's keyed objects was submitted with is to that
    // object, and name-based ids (OpenCTI's) are keyed: a guess under one must not meet another member's id.
    await resolveKeyedIds(m, viewer.tenantId, this.config.identifierHmacSecret, prepared);
    const issues: PublishIssue[] = [...prepared.issues];
    const submitted = (i: number) => prepared.outcomes[i].correctedFrom ?? prepared.outcomes[i].id;
    const external = [...prepared.externalRefs.keys()];
    const ids = [...new Set(prepared.objects.map((p) => p.doc.id as string))];
    const sdoIds = [...new Set(prepared.objects.filter((p) => !p.observable).map((p) => p.doc.id as string))];
    const unknownReferences = (visible: Set<string>) => {
      for (const ref of external) {
        if (visible.has(ref)) continue;
        const at = prepared.externalRefs.get(ref)!;
        issues.push({
          objectId: at.objectId,
          path: at.path,
          code: 'UNKNOWN_REFERENCE',
          message: `${ref} is neither in the bundle nor an object you may see`,
        });
      }
    };
    // References must resolve in the bundle or to something the publisher may see; ownership and
    // versions. Without the lock all of them, behind the feed head, in one round trip.
    let head: string | undefined;
    let foreign: Set<string>;
    let own: Map<string, OwnVersions>;
    if (opts.lock === 'recheck') {
      const read = await checkReads(m, scope, { publisherTenantId: viewer.tenantId, refs: external, owned: sdoIds, ids });
      ({ head, foreign, own } = read);
      unknownReferences(read.visible);
    } else {
      unknownReferences(await visibleIds(m, scope, external));
      // The feed lock orders writers; a bundle already refused only reads, so it need not queue behind them.
      if (opts.lock === 'first' && issues.length === 0) await lockFeed(m);
      foreign = await idsOwnedByOthers(m, sdoIds);
      own = await ownVersions(m, viewer.tenantId, ids);
    }
    const versionsSeen = new Map<string, string>();
    const rows: NewObjectRow[] = [];
    for (const p of prepared.objects) {
      const id = p.doc.id as string;
      const o = p.outcome;
      if (foreign.has(id)) {
        issues.push({
          objectId: submitted(o.index),
          path: `$.objects[${o.index}].id`,
          code: 'NOT_OWNER',
          message: 'another member published this object; only its publisher may version or revoke it',
        });
        continue;
      }
      const mine = own.get(id);
      if (mine?.versions.has(p.version)) {
        o.status = 'UNCHANGED';
        o.reason ??= 'this version is already published';
        continue;
      }
      if (mine?.newestRevoked && p.version > mine.newest) {
        issues.push({
          objectId: submitted(o.index),
          path: `$.objects[${o.index}].modified`,
          code: 'REVOKED',
          message: 'this object is revoked and cannot get new versions',
        });
        continue;
      }
      o.status = mine || versionsSeen.has(id) ? 'NEW_VERSION' : 'CREATED';
      versionsSeen.set(id, p.version);
      rows.push({
        id,
        type: p.doc.type as string,
        modified: p.version,
        revoked: p.doc.revoked === true,
        validUntil: (p.doc.valid_until as string | undefined) ?? null,
        doc: p.doc,
      });
    }

    const plan = await this.planNarrowed(m, scope, sharing, prepared, rows);
    issues.push(...plan.problems);
    const since = head === undefined ? undefined : { head, ids, owned: sdoIds, refs: external.filter((ref) => !isObservableId(ref)) };
    return { issues, rows, plan, since };
  }

  /**
   * The sharing each row may have: the requested one narrowed by what it references (references
   * never widen the audience, audience/intersect.ts); an intersection that cannot be stored as one
   * audience is a problem. Unknown references are left to the reference check.
   */
  private async planNarrowed(
    m: EntityManager,
    scope: AccessScope,
    sharing: ResolvedSharing,
    prepared: Prepared,
    rows: NewObjectRow[],
  ): Promise<{ byId: Map<string, PlannedSharing>; problems: PublishIssue[] }> {
    const outcomeOf = new Map(prepared.objects.map((p) => [p.doc, p.outcome]));
    const nodes = rows.map((r) => {
      const o = outcomeOf.get(r.doc)!;
      return { id: r.id, objectId: o.correctedFrom ?? o.id, refs: narrowingRefs(r.doc, `$.objects[${o.index}]`) };
    });
    const plan = await planReferenceAudiences(m, this.tenancy, { scope, requested: sharing.audience, tlp: sharing.tlp, nodes });
    return {
      byId: plan.byId,
      problems: plan.problems.map((p) => ({ objectId: p.objectId, path: p.path, code: 'AUDIENCE_NOT_REPRESENTABLE', message: p.message })),
    };
  }
}

/**
 * Notes on each narrowed row's outcome why it was shared more narrowly than asked; returns how many
 * were. (insertPlanned stores them as planned: one insert per resulting audience and TLP.)
 */
function noteNarrowed(byId: Map<string, PlannedSharing>, prepared: Prepared, rows: NewObjectRow[]): number {
  const outcomeOf = new Map(prepared.objects.map((p) => [p.doc, p.outcome]));
  let narrowed = 0;
  for (const row of rows) {
    const planned = byId.get(row.id)!;
    if (!planned.narrowedBy) continue;
    narrowed++;
    const o = outcomeOf.get(row.doc)!;
    const why = `shared as ${planned.shown.distribution}, TLP:${planned.tlp}: it references ${planned.narrowedBy}, which is shared more narrowly`;
    o.reason = o.reason ? `${o.reason}; ${why}` : why;
  }
  return narrowed;
}

/** An outcome as it was before a store that was refused by the recheck (check and noteNarrowed set status and reason). */
function restoreOutcome(outcome: ObjectOutcome, before: ObjectOutcome): void {
  for (const key of Object.keys(outcome) as Array<keyof ObjectOutcome>) if (!(key in before)) delete outcome[key];
  Object.assign(outcome, before);
}
