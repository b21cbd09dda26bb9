import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Audience } from '@cairn/access';
import { IntelStoreHooks, type NewObjectRow, type PendingBatch } from '@cairn/intel';
import { TenancyService, cellIdentityId, type CrowdCell } from '@cairn/tenancy';
import { insertSightingFactsSql, type SightingFactRow } from './sighting-facts';
import { HIRING_CHANNELS, INTERVIEW_STAGES, ROLE_CATEGORIES } from './vocab';

const oneOf = <T extends string>(list: readonly T[], v: unknown): T | null => (typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : null);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Every stored sighting — reported through GraphQL, inside a published bundle, or POSTed over
 * TAXII — becomes a sighting fact in the same transaction, under its publisher's sector + area
 * cell; its where_sighted_refs is set to that cell's shared identity before it is stored, so no
 * sighting names a member.
 */
@Injectable()
export class SightingFactsHook implements OnModuleInit {
  /** The cell each sighting document was placed in, so that its fact names the same cell. */
  private readonly placed = new WeakMap<object, CrowdCell>();

  constructor(
    private readonly hooks: IntelStoreHooks,
    private readonly tenancy: TenancyService,
  ) {}

  onModuleInit(): void {
    this.hooks.registerPrepare((m, audience, rows) => this.placeInCell(m, audience, rows));
    this.hooks.register((batch, p) => insertSightingFactsSql(this.facts(batch), p));
  }

  private async placeInCell(m: EntityManager, audience: Audience, rows: readonly NewObjectRow[]): Promise<void> {
    const sightings = rows.filter((r) => r.type === 'sighting');
    if (sightings.length === 0) return;
    const cell = await this.tenancy.cellFor(audience.publisherTenantId, m);
    const whereSighted = [cellIdentityId(cell)];
    for (const s of sightings) {
      s.doc.where_sighted_refs = whereSighted;
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
        interviewStage: oneOf(INTERVIEW_STAGES, doc.x_cairn_interview_stage),
        roleCategory: oneOf(ROLE_CATEGORIES, doc.x_cairn_role_category),
        hiringChannel: oneOf(HIRING_CHANNELS, doc.x_cairn_hiring_channel),
      });
    });
    return facts;
  }
}
