import { Inject, Injectable } from '@nestjs/common';
import { CAIRN_CONFIG, Measured, Metrics, type CairnConfig, type Viewer } from '@cairn/common';
import { StoredObjectsService } from '@cairn/intel';
import { TenancyService, mayShow } from '@cairn/tenancy';
import type { IdentifierType } from '@cairn/stix';
import { parseIdentifier } from './identifier-input';
import { LookupError, LookupErrorCode } from './lookup.errors';
import { LookupQuotaService } from './lookup-quota.service';
import { deletePublisherEntries, insertIndexEntries, lookupKeys, type SlotMatch, type WantedKey } from './lookup.queries';

/** The answer about one input value; only what the viewer may see, never who reported it. */
export interface IdentifierCheck {
  /** The caller's own input, echoed. */
  value: string;
  type: IdentifierType;
  normalised: string | null;
  known: boolean;
  /**
   * Distinct member tenants that published or sighted it (visible to the viewer); null when fewer
   * than k of them are not the viewer (small-count protection: the figure would single them out).
   */
  reporters: number | null;
  /**
   * The reporters' sector + area cells, each one that at least k members reported under, as each
   * version was stored (a new version keeps the cell of its object's first): never recomputed.
   */
  cells: Array<{ sector: string; area: string }>;
  firstSeen: string | null;
  lastSeen: string | null;
  linkedActors: string[];
  maxConfidence: number | null;
  latestTlp: string | null;
  error: string | null;
}

const REINDEX_BATCH = 2000;

/** checkIdentifiers, and the observable index it reads. */
@Injectable()
export class LookupService {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly quota: LookupQuotaService,
    private readonly objects: StoredObjectsService,
    @Inject(CAIRN_CONFIG) private readonly config: CairnConfig,
    readonly metrics: Metrics,
  ) {}

  /**
   * Rebuilds the whole index from stix_object, one publisher per transaction. Each runs as that
   * publisher, so row-level security stays on: a tenant can only ever (re)write its own rows.
   */
  async reindexAll(log: (line: string) => void = () => undefined): Promise<{ tenants: number; objects: number; entries: number }> {
    const totals = { tenants: 0, objects: 0, entries: 0 };
    for (const tenant of await this.tenancy.listTenants()) {
      const done = await this.tenancy.asViewer(tenant.id, async (m) => {
        const before = await deletePublisherEntries(m, tenant.id);
        // Rows indexed before keep their cell; the others get the publisher's cell as it is now.
        const now = await this.tenancy.cellFor(tenant.id, m);
        let objects = 0;
        let entries = 0;
        for (let after = '0'; ;) {
          const batch = await this.objects.publisherVersions(m, tenant.id, after, REINDEX_BATCH);
          if (batch.length === 0) break;
          entries += await insertIndexEntries(
            this.objects,
            m,
            batch.map((b) => ({ ...b, cell: before.get(b.pk) ?? (now && { sector: now.sector, area: now.area }) })),
          );
          objects += batch.length;
          after = batch[batch.length - 1].feedSeq;
        }
        return { objects, entries };
      });
      if (done.objects > 0) log(`${tenant.slug}: ${done.objects} object versions, ${done.entries} index rows`);
      totals.tenants++;
      totals.objects += done.objects;
      totals.entries += done.entries;
    }
    return totals;
  }

  /**
   * Answers, per value and in input order, what the viewer may see about it: one statement
   * matches raw and protected keys together and gathers linked actors and sightings, under the
   * viewer's visibility predicate and row-level security; reporters only as counts and k-anonymous cells.
   * Every caller comes through here, so the tenant's lookup quota is charged here: the distinct
   * values of the call, before anything is looked up (RATE_LIMITED when over quota).
   */
  @Measured('lookupDuration')
  async checkIdentifiers(viewer: Viewer, values: readonly string[]): Promise<IdentifierCheck[]> {
    const max = this.config.maxCheckIdentifiers;
    if (values.length > max)
      throw new LookupError(LookupErrorCode.TOO_MANY_VALUES, `At most ${max} values per call (got ${values.length})`, 'values');
    const parsed = values.map((v) => parseIdentifier(v, this.config.identifierHmacSecret));

    // Equal normalised values share one slot, so duplicates in the input cost nothing.
    const slots = new Map<string, number>();
    const wanted: WantedKey[] = [];
    const slotOfValue = parsed.map((p) => {
      if (!p.normalised) return -1;
      const name = `${p.type}\u0000${p.normalised}`;
      let slot = slots.get(name);
      if (slot === undefined) {
        slot = slots.size;
        slots.set(name, slot);
        for (const k of p.keys) wanted.push({ slot, ...k });
      }
      return slot;
    });

    let matches: SlotMatch[] = [];
    if (wanted.length > 0) {
      // What committed before the call is what the look-up must see, not the charge: a replica need not wait for that.
      const since = await this.tenancy.readPosition();
      // The charge goes first, committed on its own, in the round trip that opens the lookup's transaction.
      matches = await this.tenancy.asViewerReadingAfter(
        'lookup.check',
        this.quota.chargeAhead(viewer, slots.size),
        viewer.tenantId,
        (m, scope) => lookupKeys(m, scope, wanted),
        since,
      );
    }
    const bySlot = new Map(matches.map((x) => [x.slot, x]));
    const k = this.config.kAnonymity;

    return parsed.map((p, i) => {
      const match = bySlot.get(slotOfValue[i]);
      const reporters = [...new Set([...(match?.publishers ?? []), ...(match?.sighters ?? [])])];
      const firstSeen = earliest(match?.firstSeen, match?.sightedFirst);
      return {
        value: values[i],
        type: p.type,
        normalised: p.normalised ?? null,
        known: match !== undefined,
        reporters: mayShow(viewer.tenantId, reporters, k) ? reporters.length : null,
        cells: distinctCells([...(match?.publishedCells ?? []), ...(match?.sightedCells ?? [])]),
        firstSeen: firstSeen?.toISOString() ?? null,
        lastSeen: latest(match?.lastSeen, match?.sightedLast, firstSeen)?.toISOString() ?? null,
        linkedActors: [...(match?.actors ?? [])].sort(),
        maxConfidence: match?.maxConfidence ?? null,
        latestTlp: match?.latestTlp ?? null,
        error: p.error ?? null,
      };
    });
  }
}

function distinctCells(cells: Array<{ sector: string; area: string } | null | undefined>): Array<{ sector: string; area: string }> {
  const out = new Map<string, { sector: string; area: string }>();
  for (const c of cells) if (c) out.set(`${c.sector}\u0000${c.area}`, { sector: c.sector, area: c.area });
  // Code-unit order, not locale order: the same answer on every machine.
  const order = (c: { sector: string; area: string }) => `${c.sector}\u0000${c.area}`;
  return [...out.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

function earliest(...dates: Array<Date | null | undefined>): Date | null {
  const ds = dates.filter((d): d is Date => d instanceof Date);
  return ds.length ? new Date(Math.min(...ds.map((d) => d.getTime()))) : null;
}

function latest(...dates: Array<Date | null | undefined>): Date | null {
  const ds = dates.filter((d): d is Date => d instanceof Date);
  return ds.length ? new Date(Math.max(...ds.map((d) => d.getTime()))) : null;
}
