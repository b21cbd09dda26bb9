import { CAIRN_CONTEXT_EXTENSION_ID, cairnExtension } from '@cairn/stix';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Audience } from '@cairn/access';
import { IntelStoreHooks, type NewObjectRow, type PendingBatch } from '@cairn/intel';
import { TenancyService, cellIdentityId, type CrowdCell } from '@cairn/tenancy';
import { insertSightingFactsSql, type SightingFactRow } from './sighting-facts';
import { HIRING_CHANNELS, INTERVIEW_STAGES, ROLE_CATEGORIES } from './vocab';
import { SightingError, SightingErrorCode } from './sightings.errors';

/** A cell as stored: sector and area. */
export type CellName = Pick<CrowdCell, 'sector' | 'area'>;

const oneOf = <T extends string>(list: readonly T[], v: unknown): T | null =>
  typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : null;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Every stored sighting — reported through GraphQL, inside a published bundle, or POSTed over
 * TAXII — becomes a sighting fact in the same transaction, under its publisher's sector + area
 * cell; its where_sighted_refs is set to that cell's shared identity before it is stored, so no
 * sighting names a member.
 */
@Injectable()
export class SightingFactsHook {
  /** The cell each sighting document was placed in, so that its fact names the same cell. */
  private readonly placed = new WeakMap<object, CellName>();

  constructor(
    private readonly hooks: IntelStoreHooks,
    private readonly tenancy: TenancyService,
  ) {
    // Registered on construction, not at init: whatever stores before the app is initialised
    // (the demo seeder in main.ts runs before listen) must leave facts all the same.
    this.hooks.registerPrepare((m, audience, rows) => this.placeInCell(m, audience, rows));
    this.hooks.register((batch, p, storedVersions) => insertSightingFactsSql(this.facts(batch), p, storedVersions));
  }

  /** The cell a stored sighting document was placed in (for the reporter's answer). */
  cellOf(doc: object): CellName | undefined {
    return this.placed.get(doc);
  }

  /**
   * A new sighting goes under its reporter's cell as the membership is now. A new version of a
   * sighting keeps the cell its first version was reported under: describing one sighting by two
   * cells would let anyone intersect them (sighting_fact, index sighting_fact_sighting).
   */
  private async placeInCell(m: EntityManager, audience: Audience, rows: readonly NewObjectRow[]): Promise<void> {
    const sightings = rows.filter((r) => r.type === 'sighting');
    if (sightings.length === 0) return;
    const earlier = await earlierCells(
      m,
      audience.publisherTenantId,
      sightings.map((s) => s.id),
    );
    const current =
      earlier.size < new Set(sightings.map((s) => s.id)).size ? await this.tenancy.cellFor(audience.publisherTenantId, m) : null;
    for (const s of sightings) {
      const cell: CellName | null = earlier.get(s.id) ?? current;
      if (!cell)
        throw new SightingError(
          SightingErrorCode.NO_CELL,
          `Sightings cannot be reported yet: fewer than k members could stand behind any cell`,
          'where_sighted_refs',
        );
      s.doc.where_sighted_refs = [cellIdentityId(cell)];
      this.placed.set(s.doc, cell);
    }
  }

  private facts(batch: PendingBatch): SightingFactRow[] {
    const facts: SightingFactRow[] = [];
    batch.rows.forEach(({ type, doc, id, modified }, row) => {
      if (type !== 'sighting') return;
      const cell = this.placed.get(doc);
      if (!cell) throw new Error(`sighting ${id} was stored without being placed in a cell`);
      const subjectId = str(doc.sighting_of_ref) ?? '';
      const firstSeen = str(doc.first_seen) ?? str(doc.created) ?? modified;
      facts.push({
        row,
        sightingId: id,
        cellSector: cell.sector,
        cellArea: cell.area,
        subjectId,
        subjectType: subjectId.slice(0, Math.max(0, subjectId.indexOf('--'))),
        firstSeen,
        lastSeen: str(doc.last_seen) ?? firstSeen,
        count: typeof doc.count === 'number' ? doc.count : 1,
        confidence: typeof doc.confidence === 'number' ? doc.confidence : null,
        interviewStage: oneOf(INTERVIEW_STAGES, contextOf(doc, 'interview_stage')),
        roleCategory: oneOf(ROLE_CATEGORIES, contextOf(doc, 'role_category')),
        hiringChannel: oneOf(HIRING_CHANNELS, contextOf(doc, 'hiring_channel')),
      });
    });
    return facts;
  }
}

/** The cell each of these sightings was first stored under by this publisher, if any was (one query). */
async function earlierCells(m: EntityManager, publisherId: string, ids: string[]): Promise<Map<string, CellName>> {
  const rows: Array<{ id: string; sector: string; area: string }> = await m.query(
    `SELECT DISTINCT ON (sighting_id) sighting_id AS id, cell_sector AS sector, cell_area AS area
       FROM sighting_fact WHERE sighting_id = ANY ($1::text[]) AND publisher_tenant_id = $2::uuid
      ORDER BY sighting_id, feed_seq`,
    [[...new Set(ids)], publisherId],
  );
  return new Map(rows.map((r) => [r.id, { sector: r.sector, area: r.area }]));
}

/** A property of Cairn's context extension (or, in a document stored before it, its legacy x_cairn_ property). */
function contextOf(doc: Record<string, unknown>, prop: string): unknown {
  return cairnExtension(doc, CAIRN_CONTEXT_EXTENSION_ID)?.[prop] ?? doc[`x_cairn_${prop}`];
}
