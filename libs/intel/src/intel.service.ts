import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SqlParams, type AccessScope } from '@cairn/access';
import {
  isUuid,
  CAIRN_CONFIG,
  checkArguments,
  PAGE_RULES,
  pageSizeProblem,
  type ArgumentProblem,
  type CairnConfig,
  type Viewer,
} from '@cairn/common';
import { mayShowOthers, TenancyService, type TenantEntity } from '@cairn/tenancy';
import { AuditService } from '@cairn/audit';
import { CAIRN_EXTENSION_DEFINITIONS, compareTimestamps, isRfc3339Timestamp, timestampRefusalHint } from '@cairn/stix';
import { EXCHANGE_IDENTITY, asServedByExchange, namedIdentity } from './anonymise/identities';
import { FeedCursors } from './cursor';
import { IntelError, IntelErrorCode } from './intel.errors';
import { actorIdsSql, type ObjectFilterSql } from './object-filter.sql';
import { countVisible, listNewestVisible, listVisible, type NewObjectRow, type StoredObject } from './object-store';
import { resolveSharing, type ResolvedSharing, type SharingRequest } from './sharing';
import { IntelStoreHooks } from './store-hooks';
import { buildExportBundle, identitiesToAdd, type ExportedBundle } from './export/export-bundle';

/** What a reader may filter objects on; every field is optional. */
export interface ObjectFilter extends Omit<ObjectFilterSql, 'actorIds' | 'modified'> {
  /** Id, name or alias of a threat actor or intrusion set: objects linked to it by a visible relationship. */
  actor?: string;
}

export interface ObjectPage {
  nodes: Array<StoredObject & { cursor: string }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

const MAX_PAGE = 1000;
const TIME_FIELDS = ['addedAfter', 'addedBefore', 'modifiedAfter', 'modifiedBefore'] as const;

/** Member intelligence: storing versions with their sharing, and reading what a viewer may see. */
@Injectable()
export class IntelService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly hooks: IntelStoreHooks,
    private readonly cursors: FeedCursors,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
  ) {}

  /**
   * Stores object versions as given, with one sharing decision, in one transaction. For trusted
   * internal callers (sightings, tests) whose content is already anonymised: member input goes
   * through PublishService, which validates, anonymises and protects first.
   */
  async storeObjects(viewer: Viewer, docs: Array<Record<string, unknown>>, sharing: SharingRequest = {}): Promise<{ stored: number }> {
    const { scope, resolved } = await this.publisherSharing(viewer.tenantId, sharing);
    const rows = docs.map((doc, i) => toRow(doc, i));
    const inserted = await this.tenancy.asViewer(scope, async (m) => {
      const result = await this.hooks.insert(m, resolved.audience, resolved.tlp, rows);
      await this.audit.record(
        {
          action: 'intel.published',
          viewer,
          details: { count: result.length, distribution: resolved.audience.distribution, tlp: resolved.tlp },
        },
        m,
      );
      return result;
    });
    return { stored: inserted.length };
  }

  /**
   * Stores, under the exchange, to everyone, what Cairn's own content refers to: its identity, the
   * extension-definitions of its custom observables and properties, and the identities of members
   * that chose to be named — so that TAXII, GraphQL and exports serve them like any other object and
   * every created_by_ref resolves. Idempotent (a stored version is not stored again).
   */
  async publishExchangeDefinitions(): Promise<void> {
    const named = (await this.tenancy.listTenants({ kind: 'member' })).filter((t) => t.attribution === 'NAMED');
    await this.storeAsExchange([EXCHANGE_IDENTITY, ...CAIRN_EXTENSION_DEFINITIONS.values(), ...named.map(namedIdentity)]);
  }

  /**
   * The identity a named member's publications are attributed to, stored like the exchange's own
   * (normally already there from start-up: only a member named since then, or renamed, adds one).
   */
  async publishNamedIdentity(tenant: TenantEntity): Promise<void> {
    if (tenant.attribution === 'NAMED') await this.storeAsExchange([namedIdentity(tenant)]);
  }

  /** Versions this process stored (or found stored) as the exchange: not stored, nor audited, again. */
  private readonly storedAsExchange = new Set<string>();

  private async storeAsExchange(all: ReadonlyArray<object>): Promise<void> {
    const versionOf = (d: object) => `${String((d as { id?: unknown }).id)}|${String((d as { modified?: unknown }).modified)}`;
    const docs = all.filter((d) => !this.storedAsExchange.has(versionOf(d)));
    if (docs.length === 0) return;
    const exchange = await this.tenancy.exchangeTenant();
    const system: Viewer = { kind: 'apikey', tenantId: exchange.id, operator: false, scopes: new Set(['intel:write']) };
    await this.storeObjects(system, docs.map(asServedByExchange), { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    for (const d of docs) this.storedAsExchange.add(versionOf(d));
  }

  /**
   * What every write path needs first: the publishing tenant, its access scope, and the sharing its
   * request resolves to (the tenant's defaults, the TLP and distribution rules, its groups, recipients
   * that exist). Throws an IntelError naming the sharing property at fault.
   */
  async publisherSharing(
    tenantId: string,
    sharing: SharingRequest,
  ): Promise<{ publisher: TenantEntity; scope: AccessScope; resolved: ResolvedSharing }> {
    // Side by side, each error reported as if they had run in turn.
    const [publisherRead, scopeRead] = await Promise.allSettled([this.tenancy.getTenant(tenantId), this.tenancy.accessScope(tenantId)]);
    if (publisherRead.status === 'rejected') throw publisherRead.reason;
    if (scopeRead.status === 'rejected') throw scopeRead.reason;
    const [publisher, scope] = [publisherRead.value, scopeRead.value];
    const recipients = sharing.recipientTenantIds?.length ? await this.tenancy.findTenants(sharing.recipientTenantIds) : [];
    const resolved = resolveSharing(sharing, publisher, {
      publisherGroupIds: scope.groupIds,
      existingRecipientIds: new Set(recipients.filter((t) => t.kind === 'member').map((t) => t.id)),
    });
    return { publisher, scope, resolved };
  }

  /** A page of the objects the viewer may see, oldest first in feed order. */
  async listObjects(viewer: Viewer, filter: ObjectFilter, first: number, after?: string): Promise<ObjectPage> {
    let afterSeq: string | undefined;
    checkArguments(
      () => pageSizeProblem(first, PAGE_RULES.objects),
      () => void (afterSeq = after ? this.cursors.decode(viewer, after) : undefined),
      () => filterProblems(filter),
    );
    const limit = first;
    const rows = await this.tenancy.asViewer(viewer.tenantId, async (m, scope) => {
      const sql = await this.toSql(m, scope, filter);
      return listVisible(m, scope, { ...sql, afterSeq, limit: limit + 1 });
    });
    await this.auditRestrictedReads(viewer, rows.slice(0, limit));
    const nodes = rows.slice(0, limit).map((r) => ({ ...r, cursor: this.cursors.encode(viewer, r.feedSeq) }));
    return { nodes, hasNextPage: rows.length > limit, endCursor: nodes.length ? nodes[nodes.length - 1].cursor : null };
  }

  /**
   * How many versions listObjects lists for the filter over all its pages: the same predicate, so
   * only what the viewer may see. Null when the count takes in sightings by fewer than k members
   * other than the viewer (the small-count rule, tenancy small-counts.ts): with the count of the
   * rest, it would tell how many sightings a small crowd reported.
   */
  async countObjects(viewer: Viewer, filter: ObjectFilter): Promise<number | null> {
    const c = await this.tenancy.asViewer(viewer.tenantId, async (m, scope) => countVisible(m, scope, await this.toSql(m, scope, filter)));
    return mayShowOthers(c.otherSightingReporters, this.config.kAnonymity) ? c.total : null;
  }

  /** The type of each of `ids` the viewer may see (any number of ids: for internal checks, not a page). */
  async visibleTypes(viewer: Viewer, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.tenancy.asViewer(viewer.tenantId, (m, scope) =>
      listNewestVisible(m, scope, { ids: [...new Set(ids)], limit: ids.length }),
    );
    return new Map(rows.map((r) => [r.id, r.type]));
  }

  /** One version (`version` = its STIX modified) or else the newest visible one; NOT_FOUND also when it exists but is not visible. */
  async getObject(viewer: Viewer, id: string, version?: string): Promise<StoredObject> {
    if (version !== undefined && !isRfc3339Timestamp(version))
      throw new IntelError(IntelErrorCode.INVALID_FILTER, `version must be an RFC 3339 timestamp${hinted(version)}`, 'version');
    const rows = await this.tenancy.asViewer(viewer.tenantId, (m, scope) =>
      listVisible(m, scope, { ids: [id], modified: version, limit: MAX_PAGE }),
    );
    if (rows.length === 0) throw new IntelError(IntelErrorCode.OBJECT_NOT_FOUND, 'No such object', 'id');
    // The shown version is the document's own text, whose precision varies: compare instants, not strings.
    const newest = rows.reduce((a, b) => (compareTimestamps(b.modified, a.modified) > 0 ? b : a));
    await this.auditRestrictedReads(viewer, [newest]);
    return newest;
  }

  /**
   * A STIX bundle (fresh id) of the newest visible versions matching the filter, with the TLP
   * definitions and identities they reference: a page of at most `first` (MAX_BUNDLE_OBJECTS)
   * objects. `nextCursor` continues it (as `after`, with the same filter) over a snapshot taken
   * when the export began: every object visible then comes exactly once across the pages, its
   * newest version as of then, whatever is published in between (export again for what is newer).
   */
  async exportBundle(viewer: Viewer, filter: ObjectFilter, page: { first?: number; after?: string } = {}): Promise<ExportedBundle> {
    const cap = this.config.maxBundleObjects;
    const first = page.first ?? cap;
    const filterKey = exportFilterKey(filter);
    let from: { horizon: string; seq: string } | undefined;
    checkArguments(
      () => pageSizeProblem(first, { argument: 'first', max: cap }),
      () => void (from = page.after !== undefined ? this.cursors.decodeExport(viewer, filterKey, page.after) : undefined),
      () => filterProblems(filter),
    );
    const { rows, referenced, horizon } = await this.tenancy.asViewerReading('intel.export', viewer.tenantId, async (m, scope) => {
      const sql = await this.toSql(m, scope, filter);
      const head = from?.horizon ?? ((await m.query('SELECT last_seq::text AS seq FROM feed_counter'))[0].seq as string);
      const found = await listNewestVisible(m, scope, { ...sql, limit: first + 1, horizonSeq: head, afterSeq: from?.seq });
      const have = new Set(found.map((r) => r.id));
      const wanted = [...new Set(found.slice(0, first).flatMap((r) => referencedIdentities(r.doc)))].filter((id) => !have.has(id));
      const extra = wanted.length ? await listNewestVisible(m, scope, { ids: wanted, limit: wanted.length, horizonSeq: head }) : [];
      return { rows: found, referenced: extra, horizon: head };
    });
    const pageRows = rows.slice(0, first);
    await this.auditRestrictedReads(viewer, pageRows);
    // Only the named members the page credits: most pages credit none (anonymised), and the
    // directory can run to thousands of members.
    const named = await this.tenancy.namedMembers(identitiesToAdd(pageRows, referenced));
    const more = rows.length > first;
    const nextCursor = more ? this.cursors.encodeExport(viewer, filterKey, horizon, pageRows[pageRows.length - 1].feedSeq) : null;
    return buildExportBundle(pageRows, referenced, more, named, nextCursor);
  }

  /** Ids of the threat actors / intrusion sets the viewer may see that `ref` names (id, name or alias), with those attributed to them. */
  async resolveActorIds(viewer: Viewer, ref: string): Promise<string[]> {
    return this.tenancy.asViewer(viewer.tenantId, (m, scope) => actorIds(m, scope, ref));
  }

  private async toSql(m: EntityManager, scope: AccessScope, filter: ObjectFilter): Promise<ObjectFilterSql> {
    checkArguments(() => filterProblems(filter));
    const { actor, ...rest } = filter;
    if (actor === undefined) return rest;
    return { ...rest, actorIds: await actorIds(m, scope, actor) };
  }

  /**
   * Reads of another tenant's TLP:AMBER+STRICT and TLP:RED versions are audited, one entry per
   * request, on every read path (GraphQL and exports here; TAXII passes `via`).
   */
  async auditRestrictedReads(
    viewer: Viewer,
    rows: ReadonlyArray<{ id: string; modified: string; tlp: string; publishedByViewer: boolean }>,
    via?: 'taxii',
  ): Promise<void> {
    const restricted = rows.filter((r) => !r.publishedByViewer && (r.tlp === 'RED' || r.tlp === 'AMBER+STRICT'));
    if (restricted.length === 0) return;
    await this.audit.record({
      action: 'intel.read_restricted',
      viewer,
      targetType: 'stix_object',
      details: {
        ...(via ? { via } : {}),
        count: restricted.length,
        objects: restricted.slice(0, 100).map((r) => ({ id: r.id, modified: r.modified, tlp: r.tlp })),
      },
    });
  }
}

/** A stable digest of a filter (keys sorted, unset ones dropped), binding an export cursor to the filter it continues. */
function exportFilterKey(filter: ObjectFilter): string {
  const entries = Object.entries(filter)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url');
}

/** Every problem of a filter, each naming its property (checked before any query, so a malformed id is a named input error, not a failed ::uuid[] cast). */
function filterProblems(filter: ObjectFilter): ArgumentProblem[] {
  const out: ArgumentProblem[] = [];
  const bad = (field: string, message: string) => out.push({ argument: `filter.${field}`, code: IntelErrorCode.INVALID_FILTER, message });
  for (const field of TIME_FIELDS) {
    const v = filter[field];
    if (v !== undefined && !isRfc3339Timestamp(v))
      bad(field, `filter.${field} must be a real RFC 3339 timestamp such as 2025-06-02T09:00:00Z${hinted(v)}`);
  }
  if (filter.groupIds?.some((id) => !isUuid(id))) bad('groupIds', 'filter.groupIds must hold sharing group ids (UUIDs)');
  if (filter.search !== undefined && filter.search.length > 500) bad('search', 'search is at most 500 characters');
  return out;
}

/** Ids of the actors `ref` names that the scope may see, with those attributed to them (actorIdsSql). */
async function actorIds(m: EntityManager, scope: AccessScope, ref: string): Promise<string[]> {
  const p = new SqlParams();
  const rows: Array<{ id: string }> = await m.query(actorIdsSql(scope, ref, p), p.values);
  return rows.map((r) => r.id);
}

/** Identities an object points at (author, sighting places …): exported with it. */
function referencedIdentities(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown) => typeof v === 'string' && v.startsWith('identity--') && out.push(v);
  add(doc.created_by_ref);
  for (const key of ['where_sighted_refs', 'object_refs']) if (Array.isArray(doc[key])) (doc[key] as unknown[]).forEach(add);
  return out;
}

function toRow(doc: Record<string, unknown>, index: number): NewObjectRow {
  const id = doc.id;
  const type = doc.type;
  if (typeof id !== 'string' || typeof type !== 'string' || !id.startsWith(`${type}--`)) {
    throw new IntelError(
      IntelErrorCode.INVALID_OBJECT,
      `Object ${index} needs a type and an id of the form <type>--<uuid>`,
      `objects[${index}].id`,
    );
  }
  const modified = (doc.modified ?? doc.created ?? '1970-01-01T00:00:00.000Z') as string;
  return { id, type, modified, revoked: doc.revoked === true, validUntil: (doc.valid_until as string | undefined) ?? null, doc };
}

/** Why a timestamp argument was refused, when the reason is one a writer would not guess (year 0000, second 60). */
function hinted(value: string): string {
  const hint = timestampRefusalHint(value);
  return hint ? ` (${hint})` : '';
}
