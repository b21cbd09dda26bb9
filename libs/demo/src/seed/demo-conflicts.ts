import type { INestApplicationContext } from '@nestjs/common';
import type { DemoData } from '../demo.types';
import { DemoSeedError, DemoSeedErrorCode } from '../demo.errors';
import { UsersService } from '@cairn/auth';
import { SharingGroupsService, TenancyService } from '@cairn/tenancy';

const listed = (what: string, names: string[]) =>
  names.length ? [`${what} ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` (and ${names.length - 5} more)` : ''}`] : [];

/**
 * Throws DEMO_DATA_EXISTS, naming them, when any tenant, user or sharing group the demo would create
 * exists already. Runs before the first write: the seeder's steps commit one by one (each service
 * owns its transactions), so a clash found half way would leave the first steps behind.
 */
export async function assertNoDemoDataYet(app: INestApplicationContext, data: DemoData, operatorEmail: string): Promise<void> {
  const wantedSlugs = new Set(data.tenants.map((t) => t.slug));
  const tenants = (await app.get(TenancyService).listTenants()).map((t) => t.slug).filter((slug) => wantedSlugs.has(slug));
  const users = await app.get(UsersService).existingEmails([operatorEmail, ...data.tenants.flatMap((t) => t.users.map((u) => u.email))]);
  const groups: string[] = [];
  const sharing = app.get(SharingGroupsService);
  for (const g of data.sharingGroups) {
    if (
      await sharing.getBySlug(g.slug).then(
        () => true,
        () => false,
      )
    )
      groups.push(g.slug);
  }
  if (tenants.length + users.length + groups.length === 0) return;
  throw new DemoSeedError(
    DemoSeedErrorCode.DEMO_DATA_EXISTS,
    `Demo data (seed ${data.seed}, scale ${data.scale}) cannot be loaded here, nothing was written: ${[...listed('tenants', tenants), ...listed('users', users), ...listed('sharing groups', groups)].join('; ')} exist already. Load it into a database without it (e.g. a fresh one).`,
    { tenants, users, groups },
  );
}
