import { CAIRN_CONTEXT_EXTENSION_ID } from '@cairn/stix';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StoredObjectsService } from '@cairn/intel';
import { ANY_SECTOR, TenancyService, cellIdentityId } from '@cairn/tenancy';
import type { CellName } from './sighting-facts.hook';
import { HIRING_CHANNELS, INTERVIEW_STAGES, ROLE_CATEGORIES } from './vocab';

/**
 * Writes the sighting facts that stored sightings lack (a sighting stored while no facts hook was
 * registered): set-based, one statement per publisher, as that publisher (row-level security stays
 * on), and idempotent — a sighting version that has its fact is left alone. Each fact is read from
 * the stored document as SightingFactsHook would have made it, under the cell the document names
 * (its where_sighted_refs, the cell's shared identity), else the cell an earlier version was filed
 * under, else the publisher's cell as it is now: never a second cell for one sighting.
 */
@Injectable()
export class SightingFactsRepair {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly objects: StoredObjectsService,
  ) {}

  async rebuildMissing(log: (line: string) => void = () => undefined): Promise<{ tenants: number; facts: number }> {
    const totals = { tenants: 0, facts: 0 };
    for (const tenant of await this.tenancy.listTenants()) {
      const facts = await this.tenancy.asViewer(tenant.id, async (m) => {
        const named = await namedCells(this.objects, m, tenant.id);
        if (named === null) return 0;
        const now = await this.tenancy.cellFor(tenant.id, m);
        return insertMissingFacts(this.objects, m, tenant.id, named, now);
      });
      if (facts > 0) log(`${tenant.slug}: ${facts} sighting facts written`);
      totals.tenants++;
      totals.facts += facts;
    }
    return totals;
  }
}

/**
 * The cells named by the publisher's sightings that lack facts, by cell identity id; null when none
 * lacks a fact. A cell is read from its identity's name and area and kept only where it gives back
 * that very id (cellIdentityId), so no stored document can name a cell it is not.
 */
async function namedCells(objects: StoredObjectsService, m: EntityManager, publisherId: string): Promise<Record<string, CellName> | null> {
  const refs = await objects.withVersions<{ ref: string | null }>(
    m,
    { publisherId, type: 'sighting' },
    (_p, versions) => `SELECT DISTINCT o.doc->'where_sighted_refs'->>0 AS ref FROM ${versions} o
      WHERE NOT EXISTS (SELECT 1 FROM sighting_fact f WHERE f.feed_seq = o.feed_seq)`,
  );
  if (refs.length === 0) return null;
  const identities = await objects.someDocOfEach(
    m,
    refs.flatMap((r) => (r.ref === null ? [] : [r.ref])),
    'identity',
  );
  // As the SQL ->> operator reads a property: text as it is, another JSON value as its JSON text, null or absent as null.
  const text = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
  const rows = refs.map(({ ref }) => {
    const doc = ref === null ? undefined : identities.get(ref);
    const ext = doc?.extensions as Record<string, Record<string, unknown> | undefined> | undefined;
    return { ref, name: text(doc?.name), area: text(ext?.[CAIRN_CONTEXT_EXTENSION_ID]?.area) ?? text(doc?.x_cairn_area) };
  });
  const cells: Record<string, CellName> = {};
  for (const { ref, name, area } of rows) {
    if (!ref || !name || !area) continue;
    // cellLabel: "Cairn members …" for any sector, else "<sector> members …".
    const sector = name.startsWith('Cairn members') ? ANY_SECTOR : name.split(' members')[0];
    if (cellIdentityId({ sector, area }) === ref) cells[ref] = { sector, area };
  }
  return cells;
}

async function insertMissingFacts(
  objects: StoredObjectsService,
  m: EntityManager,
  publisherId: string,
  named: Record<string, CellName>,
  now: CellName | null,
): Promise<number> {
  // The publisher's sighting versions (intel's), sighting_fact's key for the check.
  const written = await objects.withVersions(m, { publisherId, type: 'sighting' }, (p, versions) => {
    const [cells, nowSector, nowArea, stages, roles, channels] = [
      JSON.stringify(named),
      now?.sector ?? null,
      now?.area ?? null,
      INTERVIEW_STAGES,
      ROLE_CATEGORIES,
      HIRING_CHANNELS,
    ].map((v) => p.add(v));
    return `
     INSERT INTO sighting_fact (feed_seq, sighting_id, publisher_tenant_id, distribution, audience_sectors, audience_countries,
                               audience_group_id, audience_recipients, cell_sector, cell_area, subject_id, subject_type,
                               first_seen, last_seen, count, confidence, interview_stage, role_category, hiring_channel, date_added)
     SELECT o.feed_seq, o.id, o.publisher_tenant_id, o.distribution, o.audience_sectors, o.audience_countries,
            o.audience_group_id, o.audience_recipients, c.sector, c.area, s.subject, split_part(s.subject, '--', 1),
            s.first_seen, coalesce((o.doc->>'last_seen')::timestamptz, s.first_seen),
            CASE WHEN jsonb_typeof(o.doc->'count') = 'number' THEN (o.doc->>'count')::int ELSE 1 END,
            CASE WHEN jsonb_typeof(o.doc->'confidence') = 'number' THEN (o.doc->>'confidence')::int END,
            CASE WHEN coalesce(o.doc->'extensions'->'${CAIRN_CONTEXT_EXTENSION_ID}'->>'interview_stage', o.doc->>'x_cairn_interview_stage') = ANY (${stages}::text[]) THEN coalesce(o.doc->'extensions'->'${CAIRN_CONTEXT_EXTENSION_ID}'->>'interview_stage', o.doc->>'x_cairn_interview_stage') END,
            CASE WHEN coalesce(o.doc->'extensions'->'${CAIRN_CONTEXT_EXTENSION_ID}'->>'role_category', o.doc->>'x_cairn_role_category') = ANY (${roles}::text[]) THEN coalesce(o.doc->'extensions'->'${CAIRN_CONTEXT_EXTENSION_ID}'->>'role_category', o.doc->>'x_cairn_role_category') END,
            CASE WHEN coalesce(o.doc->'extensions'->'${CAIRN_CONTEXT_EXTENSION_ID}'->>'hiring_channel', o.doc->>'x_cairn_hiring_channel') = ANY (${channels}::text[]) THEN coalesce(o.doc->'extensions'->'${CAIRN_CONTEXT_EXTENSION_ID}'->>'hiring_channel', o.doc->>'x_cairn_hiring_channel') END,
            o.date_added
       FROM ${versions} o
       CROSS JOIN LATERAL (SELECT coalesce(o.doc->>'sighting_of_ref', '') AS subject,
                                  coalesce((o.doc->>'first_seen')::timestamptz, (o.doc->>'created')::timestamptz, o.modified) AS first_seen) s
       CROSS JOIN LATERAL (
         SELECT sector, area FROM (
           SELECT n.value->>'sector' AS sector, n.value->>'area' AS area, 1 AS pref, 0::bigint AS seq
             FROM jsonb_each(${cells}::jsonb) n WHERE n.key = o.doc->'where_sighted_refs'->>0
           UNION ALL
           SELECT f.cell_sector, f.cell_area, 2, f.feed_seq FROM sighting_fact f WHERE f.sighting_id = o.id AND f.publisher_tenant_id = o.publisher_tenant_id
           UNION ALL
           SELECT ${nowSector}::text, ${nowArea}::text, 3, 0 WHERE ${nowSector}::text IS NOT NULL
         ) candidates ORDER BY pref, seq LIMIT 1) c
      WHERE NOT EXISTS (SELECT 1 FROM sighting_fact f WHERE f.feed_seq = o.feed_seq)
     RETURNING 1`;
  });
  return written.length;
}
