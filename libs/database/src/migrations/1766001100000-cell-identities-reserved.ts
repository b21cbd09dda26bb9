import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identities of crowd cells (what sightings' where_sighted_refs point at) are the exchange's.
 * Before publishing skipped them, a member could compute the id of a cell nobody had reported in yet
 * and publish its own identity under it, which readers were then served in place of the exchange's
 * anonymous one. This deletes every version that a member (any tenant but the exchange) stored
 * under a cell identity id; the exchange stores its own again when a sighting in the cell is reported.
 *
 * The ids are those of @cairn/tenancy isCellIdentityId, written out here (migrations run outside
 * the module aliases, and must keep doing what they did): every sector as of this migration, or any
 * sector, with every two-letter country code, every region or the world.
 */
export class CellIdentitiesReserved1766001100000 implements MigrationInterface {
  name = 'CellIdentitiesReserved1766001100000';

  async up(q: QueryRunner): Promise<void> {
    // stix_object_audience has no foreign key (its rows are kept by the insert trigger): its rows go with theirs.
    await q.query(
      `WITH gone AS (
         DELETE FROM stix_object o
          WHERE o.id = ANY ($1::text[])
            AND o.publisher_tenant_id IS DISTINCT FROM (SELECT t.id FROM tenant t WHERE t.kind = 'exchange')
         RETURNING o.feed_seq)
       DELETE FROM stix_object_audience a USING gone WHERE a.feed_seq = gone.feed_seq`,
      [[...cellIdentityIds()]],
    );
  }

  async down(): Promise<void> {
    // What was deleted was a member's document under an id it may not publish under: not restored.
  }
}

export const CELL_SECTORS = [
  'aerospace',
  'aviation',
  'agriculture',
  'automotive',
  'biotechnology',
  'chemical',
  'commercial',
  'consulting',
  'construction',
  'cosmetics',
  'dams',
  'defense',
  'education',
  'emergency-services',
  'energy',
  'entertainment',
  'financial-services',
  'food',
  'government',
  'government-emergency-services',
  'government-local',
  'government-national',
  'government-public-services',
  'government-regional',
  'healthcare',
  'hospitality-leisure',
  'infrastructure',
  'infrastructure-dams',
  'infrastructure-nuclear',
  'infrastructure-water',
  'insurance',
  'manufacturing',
  'mining',
  'non-profit',
  'nuclear',
  'pharmaceuticals',
  'retail',
  'technology',
  'telecommunications',
  'transportation',
  'utilities',
  'water',
  'artificial-intelligence',
  'payroll-processing',
  'professional-services',
  'any-sector',
];
const REGIONS = ['north-america', 'europe', 'asia-pacific', 'latin-america', 'middle-east-africa', 'global'];
const CELL_NAMESPACE = '8c1f6a52-3b7e-5d0a-9f4e-2a6b1c8d7e90';

/** crowd.ts cellIdentityId: UUIDv5 of `cairn-cell:<sector>:<area>`. */
export function cellIdentityIdOf(sector: string, area: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(CELL_NAMESPACE.replace(/-/g, ''), 'hex'))
    .update(`cairn-cell:${sector}:${area}`)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `identity--${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function cellIdentityIds(): Set<string> {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const areas = [...[...letters].flatMap((a) => [...letters].map((b) => a + b)), ...REGIONS];
  const ids = new Set<string>();
  for (const sector of CELL_SECTORS) for (const area of areas) ids.add(cellIdentityIdOf(sector, area));
  return ids;
}
