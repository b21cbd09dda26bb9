import type { INestApplicationContext } from '@nestjs/common';
import { generateDemo } from '../generate-demo';
import type { DemoData } from '../demo.types';
import { SharingGroupsService, TenancyService } from '@cairn/tenancy';
import { UsersService } from '@cairn/auth';
import { assertNoDemoDataYet } from './demo-conflicts';
import { seedDemoIntel } from './demo-intel.seeder';
import { seedDemoSightings } from './demo-sightings.seeder';

/** Every demo user signs in with this password. Demo data is only loaded into throw-away databases. */
export const DEMO_PASSWORD = 'cairn-demo-password';
export const DEMO_OPERATOR_EMAIL = 'operator@exchange.cairn.example';

export interface DemoSeedOptions {
  seed: number;
  scale: number;
  /** YYYY-MM-DD the data is anchored on (its activity ends the day before); default: today (UTC). */
  anchor?: string;
}

/** Today as YYYY-MM-DD (UTC): the demo is generated around the day it is loaded, so it looks alive then. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Writes the generated demo data set through the domain services (never their tables), so the
 * demo exercises the same validation and access rules as real use. Returns a short summary.
 * Refuses (DEMO_DATA_EXISTS), before writing anything, where any of its tenants, users or groups exist.
 */
export async function seedDemo(app: INestApplicationContext, opts: DemoSeedOptions): Promise<string> {
  const anchor = opts.anchor ?? todayUtc();
  const data = generateDemo({ seed: opts.seed, scale: opts.scale, anchor });
  await assertNoDemoDataYet(app, data, DEMO_OPERATOR_EMAIL);
  const tenancy = app.get(TenancyService);
  // The exchange's own tenant may exist already (every start publishes the cell identities under it).
  const exchange = await tenancy.exchangeTenant();
  const tenants = await tenancy.createTenants(
    data.tenants.map((t) => ({
      slug: t.slug,
      name: t.name,
      country: t.country,
      sectors: t.sectors,
      domains: t.domains,
      defaultDistribution: t.defaultDistribution,
      defaultTlp: t.defaultTlp,
      attribution: t.attribution,
      redactionTerms: t.redactionTerms,
    })),
  );
  const idBySlug = new Map(tenants.map((t) => [t.slug, t.id]));
  const groups = await seedGroups(app.get(SharingGroupsService), data, idBySlug);
  const users = await app.get(UsersService).createMany([
    {
      tenantId: exchange.id,
      email: DEMO_OPERATOR_EMAIL,
      name: 'Exchange operator',
      role: 'admin',
      operator: true,
      password: DEMO_PASSWORD,
    },
    ...data.tenants.flatMap((t) =>
      t.users.map((u) => ({ tenantId: idBySlug.get(t.slug)!, email: u.email, name: u.name, role: u.role, password: DEMO_PASSWORD })),
    ),
  ]);
  const intel = await seedDemoIntel(app, data, idBySlug, exchange);
  const sightings = await seedDemoSightings(app, data, idBySlug, intel);
  return [
    `Demo data loaded (seed ${opts.seed}, scale ${opts.scale}, anchored on ${anchor}):`,
    `  ${tenants.length} member tenants in ${new Set(data.tenants.map((t) => t.country)).size} countries, ${groups} sharing groups, ${users.length} users`,
    `  campaign: ${data.campaign.threatActor.name} — ${data.identities.length} identities, ${data.sightings.length} interview sightings generated (${data.sightings[0]?.firstSeen.slice(0, 10)} … ${data.sightings.at(-1)?.firstSeen.slice(0, 10)})`,
    intel.summary,
    sightings,
  ].join('\n');
}

/** Demo groups are populated directly (trusted code): their members stand for tenants that already accepted. */
async function seedGroups(groups: SharingGroupsService, data: DemoData, idBySlug: Map<string, string>): Promise<number> {
  for (const g of data.sharingGroups) {
    await groups.createGroupWithMembers({
      slug: g.slug,
      name: g.name,
      ownerTenantId: idBySlug.get(g.ownerTenant)!,
      memberTenantIds: g.members.map((m) => idBySlug.get(m)!),
    });
  }
  return data.sharingGroups.length;
}

/** Loads the demo data set once: only into a database that has no member tenants yet. */
export async function seedDemoIfEmpty(app: INestApplicationContext, opts: DemoSeedOptions, log: (line: string) => void): Promise<boolean> {
  if ((await app.get(TenancyService).countTenants()) > 0) return false;
  log(`loading demo data (seed ${opts.seed}, scale ${opts.scale})`);
  for (const line of (await seedDemo(app, opts)).split('\n')) log(line.trim());
  return true;
}

/** Who to sign in as on a demo database (the same seed gives the same people). */
export function demoSignInHint(opts: DemoSeedOptions): string[] {
  const data = generateDemo(opts);
  const analyst = data.tenants.flatMap((t) => t.users.filter((u) => u.role === 'analyst').map((u) => ({ u, t })))[0];
  const admin = data.tenants[0].users.find((u) => u.role === 'admin')!;
  return [
    `Demo sign-in (password "${DEMO_PASSWORD}"), e.g. in GraphiQL: mutation { login(email: "…", password: "…") { accessToken } }`,
    `  ${analyst.u.email.padEnd(44)} analyst at ${analyst.t.name} (${analyst.t.country})`,
    `  ${admin.email.padEnd(44)} tenant admin at ${data.tenants[0].name}`,
    `  ${DEMO_OPERATOR_EMAIL.padEnd(44)} exchange operator`,
    '  then send the header  Authorization: Bearer <accessToken>',
  ];
}
