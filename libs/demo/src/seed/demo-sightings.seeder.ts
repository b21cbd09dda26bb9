import type { INestApplicationContext } from '@nestjs/common';
import type { Viewer } from '@cairn/common';
import type { DemoData, DemoSighting } from '../demo.types';
import { IntelService } from '@cairn/intel';
import { SightingsService, type SightingReport } from '@cairn/sightings';
import { SEED_CONCURRENCY, type DemoIntel } from './demo-intel.seeder';
import { forEachConcurrently } from './concurrently';

const INDICATOR_TYPE: Record<DemoSighting['observedIdentifier']['type'], string> = {
  EMAIL: 'EMAIL',
  PHONE: 'PHONE',
  GITHUB: 'GITHUB',
  LINKEDIN: 'LINKEDIN',
  IP: 'IP',
  RESUME_HASH: 'FILE_HASH',
  WALLET: 'WALLET',
};

/**
 * Each interview sighting is reported by its member through SightingsService: of the indicator for
 * the identifier it saw when that member may see the indicator, otherwise of the campaign's
 * intrusion set (shared with everyone), exactly as a member without the indicator would.
 */
export async function seedDemoSightings(
  app: INestApplicationContext,
  data: DemoData,
  idBySlug: Map<string, string>,
  intel: DemoIntel,
): Promise<string> {
  const sightings = app.get(SightingsService);
  const objects = app.get(IntelService);
  const byReporter = new Map<string, DemoSighting[]>();
  for (const s of data.sightings) byReporter.set(s.reporterTenant, [...(byReporter.get(s.reporterTenant) ?? []), s]);
  let ofIndicators = 0;
  await forEachConcurrently([...byReporter], SEED_CONCURRENCY, async ([slug, list]) => {
    const viewer: Viewer = {
      kind: 'apikey',
      tenantId: idBySlug.get(slug)!,
      operator: false,
      scopes: new Set(['intel:read', 'sightings:write']),
    };
    const wanted = [...new Set(list.map(indicatorOf(intel)).filter((id): id is string => !!id))];
    const visible = new Set((await objects.visibleTypes(viewer, wanted)).keys());
    const reports: SightingReport[] = list.map((s) => {
      const indicator = indicatorOf(intel)(s);
      const subject = indicator && visible.has(indicator) ? indicator : intel.intrusionSetId;
      if (subject !== intel.intrusionSetId) ofIndicators++;
      return {
        sightingOf: subject,
        firstSeen: s.firstSeen,
        lastSeen: s.lastSeen,
        count: s.count,
        confidence: s.confidence,
        interviewStage: s.stage,
        roleCategory: s.roleCategory,
        hiringChannel: s.hiringChannel,
      };
    });
    for (let i = 0; i < reports.length; i += 1000) await sightings.report(viewer, reports.slice(i, i + 1000));
  });
  return `  sightings: ${data.sightings.length} interview sightings by ${byReporter.size} members (${ofIndicators} of indicators they may see, the rest of the intrusion set)`;
}

function indicatorOf(intel: DemoIntel) {
  return (s: DemoSighting): string | undefined =>
    intel.indicatorByIdentifier.get(`${INDICATOR_TYPE[s.observedIdentifier.type]}:${s.observedIdentifier.value}`);
}
