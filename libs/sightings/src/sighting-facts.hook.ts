import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IntelStoreHooks, type StoredBatch } from '@cairn/intel';
import { TenancyService, cellIdentityId } from '@cairn/tenancy';
import { insertSightingFacts, type SightingFactRow } from './sighting-facts';
import { HIRING_CHANNELS, INTERVIEW_STAGES, ROLE_CATEGORIES } from './vocab';

const oneOf = <T extends string>(list: readonly T[], v: unknown): T | null => (typeof v === 'string' && (list as readonly string[]).includes(v) ? (v as T) : null);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Every stored sighting — reported through GraphQL, inside a published bundle, or POSTed over
 * TAXII — becomes a sighting fact in the same transaction, under its publisher's sector + area
 * cell; its where_sighted_refs is set to that cell's shared identity, so no sighting names a member.
 */
@Injectable()
export class SightingFactsHook implements OnModuleInit {
  constructor(
    private readonly hooks: IntelStoreHooks,
    private readonly tenancy: TenancyService,
  ) {}

  onModuleInit(): void {
    this.hooks.register((m, batch) => this.record(m, batch));
  }

  private async record(m: EntityManager, batch: StoredBatch): Promise<void> {
    const sightings = batch.objects.filter((o) => o.type === 'sighting');
    if (sightings.length === 0) return;
    const cell = await this.tenancy.cellFor(batch.audience.publisherTenantId, m);
    const whereSighted = [cellIdentityId(cell)];
    const rewrite = sightings.filter((s) => JSON.stringify(s.doc.where_sighted_refs) !== JSON.stringify(whereSighted));
    if (rewrite.length) {
      await m.query(`UPDATE stix_object SET doc = jsonb_set(doc, '{where_sighted_refs}', $1::jsonb) WHERE feed_seq = ANY ($2::bigint[])`, [
        JSON.stringify(whereSighted),
        rewrite.map((s) => s.feedSeq),
      ]);
      for (const s of rewrite) s.doc.where_sighted_refs = whereSighted;
    }
    const facts: SightingFactRow[] = sightings.map(({ doc, feedSeq, id }) => {
      const subjectId = str(doc.sighting_of_ref) ?? '';
      const firstSeen = str(doc.first_seen) ?? str(doc.created) ?? batch.objects[0].modified;
      return {
        feedSeq,
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
      };
    });
    await insertSightingFacts(m, batch.audience, facts);
  }
}
