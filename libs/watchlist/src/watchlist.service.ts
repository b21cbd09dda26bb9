import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, PAGE_RULES, checkArguments, isUuid, pageSizeProblem, type CairnConfig, type Viewer } from '@cairn/common';
import { AuditService } from '@cairn/audit';
import { FeedCursors } from '@cairn/intel';
import { LookupQuotaService, parseIdentifier } from '@cairn/lookup';
import { TenancyService } from '@cairn/tenancy';
import type { EntityManager } from 'typeorm';
import { watchHash, watchKey } from './watch-hash';
import { WatchlistError, WatchlistErrorCode } from './watchlist.errors';

/** How long an entry is watched when the caller does not say, and at most. */
const DEFAULT_DAYS = 90;
const MAX_DAYS = 366;

export interface WatchRequest {
  value: string;
  reference: string;
  expiresAt?: Date;
}

/** The answer for one requested entry, in input order: stored (entryId) or refused (error). */
export interface WatchResult {
  value: string;
  reference: string;
  entryId: string | null;
  kind: string | null;
  expiresAt: string | null;
  error: string | null;
}

export interface WatchEntry {
  id: string;
  kind: string;
  reference: string;
  expiresAt: string;
  createdAt: string;
}

export interface WatchHit {
  cursor: string;
  entryId: string | null;
  reference: string;
  kind: string;
  event: 'PUBLISHED' | 'SIGHTED';
  cell: { sector: string; area: string } | null;
  hitAt: string;
}

interface HitRow {
  id: string;
  entry_id: string | null;
  reference: string;
  kind: string;
  event: 'PUBLISHED' | 'SIGHTED';
  cell_sector: string | null;
  cell_area: string | null;
  hit_at: Date;
}

/**
 * A member's watchlist: identifiers it registers (kept as keyed hashes with its own reference and
 * an expiry) and the hits WatchMatcher records when anyone later publishes or sights one of them.
 * Registering is charged to the tenant's lookup quota like a lookup of the same values, and
 * audited: watching is not a way around either.
 */
@Injectable()
export class WatchlistService {
  private readonly key: Buffer;

  constructor(
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    private readonly tenancy: TenancyService,
    private readonly quota: LookupQuotaService,
    private readonly audit: AuditService,
    private readonly cursors: FeedCursors,
  ) {
    this.key = watchKey(config.identifierHmacSecret);
  }

  async watch(viewer: Viewer, requests: readonly WatchRequest[]): Promise<WatchResult[]> {
    const max = this.config.maxCheckIdentifiers;
    if (requests.length > max)
      throw new WatchlistError(WatchlistErrorCode.TOO_MANY_ENTRIES, `At most ${max} entries per call (got ${requests.length})`, 'entries');
    const now = Date.now();
    const checks = requests.map((r, i) => this.check(r, i, now));
    checkArguments(...checks.filter((c) => c.problem).map((c) => () => c.problem));
    const accepted = checks.filter((c) => c.parsed.normalised);
    // Refused before the quota is charged; checked again under the tenant's lock when storing.
    if (accepted.length > 0) await this.tenancy.asViewer(viewer.tenantId, (m) => this.checkRoom(m, viewer, accepted.length, false));
    if (accepted.length > 0)
      await this.quota.charge(viewer, new Set(accepted.map((c) => `${c.parsed.type}\u0000${c.parsed.normalised}`)).size);

    const stored = await this.tenancy.asViewer(viewer.tenantId, async (m) => {
      if (accepted.length === 0) return [];
      await this.checkRoom(m, viewer, accepted.length, true);
      const rows: Array<{ id: string; expires_at: Date }> = await m.query(
        `INSERT INTO watch_entry (tenant_id, kind, reference, expires_at)
         SELECT $1::uuid, k, r, e FROM unnest($2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS u(k, r, e, n) ORDER BY n
         RETURNING id, expires_at`,
        [viewer.tenantId, accepted.map((c) => c.parsed.type), accepted.map((c) => c.request.reference), accepted.map((c) => c.expiresAt)],
      );
      const keys = accepted.flatMap((c, i) => c.parsed.keys.map((k) => ({ entry: rows[i].id, hash: watchHash(this.key, k.kind, k.key) })));
      await m.query(
        `INSERT INTO watch_key (entry_id, tenant_id, hash) SELECT e, $1::uuid, h FROM unnest($2::uuid[], $3::bytea[]) AS u(e, h)`,
        [viewer.tenantId, keys.map((k) => k.entry), keys.map((k) => k.hash)],
      );
      await this.audit.record({ viewer, action: 'watch.added', targetType: 'watchlist', details: { entries: rows.length } }, m);
      return rows;
    });

    let next = 0;
    return checks.map((c) => {
      if (!c.parsed.normalised)
        return {
          value: c.request.value,
          reference: c.request.reference,
          entryId: null,
          kind: null,
          expiresAt: null,
          error: c.parsed.error ?? 'not a recognised identifier',
        };
      const row = stored[next++];
      return {
        value: c.request.value,
        reference: c.request.reference,
        entryId: row.id,
        kind: c.parsed.type,
        expiresAt: row.expires_at.toISOString(),
        error: null,
      };
    });
  }

  /**
   * A tenant holds at most maxWatchEntries unexpired entries: the matcher's work per stored batch
   * grows with them, and the quota alone would let one member fill the table over days.
   */
  private async checkRoom(m: EntityManager, viewer: Viewer, adding: number, lock: boolean): Promise<void> {
    if (lock) await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('cairn_watch_entries:' || $1, 0))`, [viewer.tenantId]);
    const max = this.config.maxWatchEntries;
    const [{ n }]: Array<{ n: number }> = await m.query(
      `SELECT count(*)::int AS n FROM watch_entry WHERE tenant_id = $1 AND expires_at > now()`,
      [viewer.tenantId],
    );
    if (n + adding > max)
      throw new WatchlistError(
        WatchlistErrorCode.WATCHLIST_FULL,
        `A tenant watches at most ${max} unexpired entries (${n} now, ${adding} more asked): remove or let some expire first`,
        'entries',
      );
  }

  /** Removes the viewer's entries with these ids (others' ids are simply not found); returns how many. */
  async unwatch(viewer: Viewer, ids: readonly string[]): Promise<number> {
    const uuids = ids.filter(isUuid);
    return this.tenancy.asViewer(viewer.tenantId, async (m) => {
      const rows: unknown[] = await m.query(`DELETE FROM watch_entry WHERE tenant_id = $1 AND id = ANY($2::uuid[]) RETURNING id`, [
        viewer.tenantId,
        uuids,
      ]);
      if (rows.length > 0)
        await this.audit.record({ viewer, action: 'watch.removed', targetType: 'watchlist', details: { entries: rows.length } }, m);
      return rows.length;
    });
  }

  /** The viewer's entries, newest first (never the values: only their kind and the viewer's reference). */
  async entries(viewer: Viewer, first: number, includeExpired: boolean): Promise<WatchEntry[]> {
    checkArguments(() => pageSizeProblem(first, PAGE_RULES.watchlist));
    const rows: Array<{ id: string; kind: string; reference: string; expires_at: Date; created_at: Date }> = await this.tenancy.asViewer(
      viewer.tenantId,
      (m) =>
        m.query(
          `SELECT id, kind, reference, expires_at, created_at FROM watch_entry
          WHERE tenant_id = $1 AND ($2 OR expires_at > now()) ORDER BY created_at DESC, id LIMIT $3`,
          [viewer.tenantId, includeExpired, first],
        ),
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      reference: r.reference,
      expiresAt: r.expires_at.toISOString(),
      createdAt: r.created_at.toISOString(),
    }));
  }

  /**
   * The viewer's hits, newest first, `first` after the cursor `after`. (Ordered by the column,
   * watch_hit.id: a bare `ORDER BY id` names the `id::text` output column and orders as text.)
   */
  async hits(
    viewer: Viewer,
    first: number,
    after?: string,
  ): Promise<{ items: WatchHit[]; hasNextPage: boolean; headCursor: string | null }> {
    let afterId: string | undefined;
    checkArguments(
      () => pageSizeProblem(first, PAGE_RULES.watchlist),
      () => {
        if (after !== undefined && after !== null) afterId = this.decode(viewer, after);
      },
    );
    const rows: HitRow[] = await this.tenancy.asViewer(viewer.tenantId, (m) =>
      m.query(
        `SELECT id::text, entry_id, reference, kind, event, cell_sector, cell_area, hit_at FROM watch_hit
          WHERE tenant_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY watch_hit.id DESC LIMIT $3`,
        [viewer.tenantId, afterId ?? null, first + 1],
      ),
    );
    const items = rows.slice(0, first).map((r) => this.toHit(viewer, r));
    // The first page is read in one statement: its newest hit (or, with none, position 0) is exactly
    // where a subscription must resume so that a hit recorded after the read is not lost.
    const headCursor = afterId !== undefined ? null : (items[0]?.cursor ?? this.encode(viewer, '0'));
    return { items, hasNextPage: rows.length > first, headCursor };
  }

  /** Hits after position `afterId`, oldest first (the live subscription's catch-up and its wakes). */
  async hitsSince(viewer: Viewer, afterId: string | undefined, limit: number): Promise<Array<WatchHit & { position: string }>> {
    const rows: HitRow[] = await this.tenancy.asViewer(viewer.tenantId, (m) =>
      m.query(
        `SELECT id::text, entry_id, reference, kind, event, cell_sector, cell_area, hit_at FROM watch_hit
          WHERE tenant_id = $1 AND id > COALESCE($2::bigint, (SELECT COALESCE(max(id), 0) FROM watch_hit WHERE tenant_id = $1)) ORDER BY watch_hit.id LIMIT $3`,
        [viewer.tenantId, afterId ?? null, limit],
      ),
    );
    return rows.map((r) => ({ ...this.toHit(viewer, r), position: r.id }));
  }

  /** The position of the viewer's newest hit (where a live subscription without `after` starts). */
  async head(viewer: Viewer): Promise<string> {
    const [row]: Array<{ id: string }> = await this.tenancy.asViewer(viewer.tenantId, (m) =>
      m.query(`SELECT COALESCE(max(id), 0)::text AS id FROM watch_hit WHERE tenant_id = $1`, [viewer.tenantId]),
    );
    return row.id;
  }

  /** A hit cursor is sealed for its tenant: hit ids count every member's hits, which no one may count. */
  decode(viewer: Viewer, cursor: string, field = 'after'): string {
    const id = this.cursors.cipher.open('watch', viewer.tenantId, cursor);
    if (id === undefined)
      throw new WatchlistError(WatchlistErrorCode.INVALID_CURSOR, 'Not a watchlist cursor this server issued to you', field);
    return id;
  }

  encode(viewer: { tenantId: string }, id: string): string {
    return this.cursors.cipher.seal('watch', viewer.tenantId, id);
  }

  toHit(viewer: { tenantId: string }, r: HitRow): WatchHit {
    return {
      cursor: this.encode(viewer, r.id),
      entryId: r.entry_id,
      reference: r.reference,
      kind: r.kind,
      event: r.event,
      cell: r.cell_sector ? { sector: r.cell_sector, area: r.cell_area ?? '' } : null,
      hitAt: new Date(r.hit_at).toISOString(),
    };
  }

  private check(r: WatchRequest, i: number, now: number) {
    const parsed = parseIdentifier(r.value, this.config.identifierHmacSecret);
    const expiresAt = r.expiresAt ?? new Date(now + DEFAULT_DAYS * 86_400_000);
    let problem: { argument: string; code: string; message: string } | undefined;
    const reference = typeof r.reference === 'string' ? r.reference.trim() : '';
    if (reference.length < 1 || reference.length > 200) {
      problem = {
        argument: `entries[${i}].reference`,
        code: WatchlistErrorCode.INVALID_REFERENCE,
        message: `entries[${i}].reference must be 1 to 200 characters`,
      };
    } else if (
      parsed.normalised &&
      (reference.toLowerCase().includes(parsed.normalised.toLowerCase()) || reference.includes(r.value.trim()))
    ) {
      // The reference is stored in clear; the value must not be, so it must not hide in the reference.
      problem = {
        argument: `entries[${i}].reference`,
        code: WatchlistErrorCode.INVALID_REFERENCE,
        message: `entries[${i}].reference must not contain the watched value (it is stored in clear; the value only as a keyed hash)`,
      };
    } else if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_DAYS * 86_400_000) {
      problem = {
        argument: `entries[${i}].expiresAt`,
        code: WatchlistErrorCode.INVALID_EXPIRY,
        message: `entries[${i}].expiresAt must be in the future and at most ${MAX_DAYS} days ahead`,
      };
    }
    return { request: { ...r, reference }, parsed, expiresAt, problem };
  }
}
