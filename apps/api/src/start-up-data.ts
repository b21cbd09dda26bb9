import type { INestApplicationContext } from '@nestjs/common';
import type { CairnConfig } from '@cairn/common';
import { analyze } from '@cairn/database';
import { IntelService } from '@cairn/intel';
import { SightingsService } from '@cairn/sightings';
import { seedDemoIfEmpty } from '@cairn/demo';

/**
 * What the starting process writes before it serves (main.ts), in one place so that the tests load
 * data exactly as `npm start` does: the demo data set (SEED_DEMO, into a database with no tenants),
 * then the exchange's identity and extension-definitions, and the shared identities of the small-crowd cells.
 */
export async function loadStartUpData(
  app: INestApplicationContext,
  config: CairnConfig,
  ownerDatabaseUrl: string,
  log: (line: string) => void,
): Promise<void> {
  if (config.seedDemo && (await seedDemoIfEmpty(app, { seed: config.demoSeed, scale: config.demoScale }, log)))
    await analyze(ownerDatabaseUrl);
  await app.get(IntelService).publishExchangeDefinitions();
  await app.get(SightingsService).publishCellIdentities();
}
