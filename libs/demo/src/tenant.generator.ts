/**
 * Member companies and their sharing groups. Tenant counts per country and
 * sector follow TENANT_BLUEPRINT scaled by largest-remainder apportionment, so
 * the shares hold at any scale and scale 1 reproduces the blueprint exactly.
 */
import type { DemoDistribution, DemoSector, DemoSharingGroup, DemoTenant, DemoTlp, DemoUser } from './demo.types';
import { compact, kebab, poolFor, STEM_HEADS, STEM_TAILS } from './names';
import type { Rng } from './rng';
import {
  APAC_COUNTRIES,
  EU_COUNTRIES,
  LEGAL_FORMS,
  SECONDARY_SECTORS,
  SECTOR_SUFFIXES,
  TENANT_BLUEPRINT,
  type TenantCell,
} from './vocabulary';

const BLUEPRINT_TOTAL = TENANT_BLUEPRINT.reduce((sum, cell) => sum + cell.count, 0);
const PRODUCT_WORDS = ['Ledger', 'Portal', 'Connect', 'Insight', 'Pay', 'Hub', 'Vault', 'Pulse', 'Atlas', 'Relay'];

/** How many tenants each blueprint cell gets when the exchange has `total` members. */
export function apportionCells(rng: Rng, total: number): { cell: TenantCell; count: number }[] {
  const quotas = TENANT_BLUEPRINT.map((cell, index) => {
    const exact = (cell.count * total) / BLUEPRINT_TOTAL;
    // The random tiebreak decides between equal remainders without favouring blueprint order.
    return { cell, index, count: Math.floor(exact), remainder: exact - Math.floor(exact), tiebreak: rng.next() };
  });
  let left = total - quotas.reduce((sum, q) => sum + q.count, 0);
  const byRemainder = quotas.slice().sort((a, b) => b.remainder - a.remainder || a.tiebreak - b.tiebreak);
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--) byRemainder[i].count++;
  return quotas.map(({ cell, count }) => ({ cell, count }));
}

/** Distinct invented brand stems ("Quillmere"); past 288 tenants they repeat with a number. */
function stemSupply(rng: Rng): (i: number) => string {
  const combos: string[] = [];
  for (const head of STEM_HEADS) for (const tail of STEM_TAILS) combos.push(head + tail);
  const shuffled = rng.shuffle(combos);
  return (i) => {
    const base = shuffled[i % shuffled.length];
    const round = Math.floor(i / shuffled.length);
    return round === 0 ? base : `${base} ${round + 1}`;
  };
}

function makeUsers(rng: Rng, country: string, domain: string): DemoUser[] {
  const pool = poolFor(country);
  const roles: DemoUser['role'][] = ['admin'];
  for (let i = rng.int(1, 3); i > 0; i--) roles.push('analyst');
  for (let i = rng.int(1, 3); i > 0; i--) roles.push('reader');
  const taken = new Set<string>();
  return roles.map((role) => {
    const first = rng.pick(pool.first);
    const last = rng.pick(pool.last);
    let local = `${compact(first)}.${compact(last)}`;
    for (let n = 2; taken.has(local); n++) local = `${compact(first)}.${compact(last)}${n}`;
    taken.add(local);
    return { email: `${local}@${domain}`, name: `${first} ${last}`, role };
  });
}

function makeSectors(rng: Rng, primary: DemoSector): DemoSector[] {
  const secondary = SECONDARY_SECTORS[primary];
  if (secondary.options.length === 0 || !rng.chance(secondary.chance)) return [primary];
  return [primary, rng.pick(secondary.options)];
}

// Public bodies and hospitals keep their own findings closer than tech firms do.
function defaultDistribution(rng: Rng, sector: DemoSector): DemoDistribution {
  const cautious = sector === 'government-public-services' || sector === 'healthcare';
  return rng.weighted<DemoDistribution>([
    ['SECTOR', 45],
    ['COMMUNITY', cautious ? 25 : 42],
    ['ORGANISATION', cautious ? 30 : 13],
  ]);
}

function defaultTlp(rng: Rng): DemoTlp {
  // RED is left out: it needs named recipients, which a default cannot name.
  return rng.weighted<DemoTlp>([
    ['GREEN', 50],
    ['AMBER', 33],
    ['CLEAR', 10],
    ['AMBER+STRICT', 7],
  ]);
}

export function generateTenants(rng: Rng, total: number): DemoTenant[] {
  const stemAt = stemSupply(rng);
  const tenants: DemoTenant[] = [];
  for (const { cell, count } of apportionCells(rng, total)) {
    for (let k = 0; k < count; k++) {
      const stem = stemAt(tenants.length);
      const suffix = rng.pick(SECTOR_SUFFIXES[cell.sector]);
      const legal = rng.pick(LEGAL_FORMS[cell.country] ?? ['']);
      const slug = kebab(`${stem} ${suffix}`);
      const domains = [`${slug}.example`];
      if (rng.chance(0.4)) {
        domains.push(rng.chance(0.5) ? `${kebab(stem)}-${cell.country.toLowerCase()}.example` : `${kebab(stem)}-careers.example`);
      }
      const product = `${stem} ${rng.pick(PRODUCT_WORDS)}`;
      const codename = `Project ${rng.pick(STEM_HEADS)}`;
      tenants.push({
        slug,
        name: `${stem} ${suffix}${legal}`,
        country: cell.country,
        sectors: makeSectors(rng, cell.sector),
        domains,
        users: makeUsers(rng, cell.country, domains[0]),
        defaultDistribution: defaultDistribution(rng, cell.sector),
        defaultTlp: defaultTlp(rng),
        attribution: rng.chance(0.2) ? 'NAMED' : 'ANONYMOUS',
        redactionTerms: [stem.split(' ')[0], product, codename],
      });
    }
  }
  return tenants;
}

interface GroupRule {
  slug: string;
  name: string;
  /** Admits tenants in these countries … */
  countries?: ReadonlySet<string>;
  /** … or with any of these sectors; the owner is one whose primary sector is listed. */
  sectors?: readonly DemoSector[];
}

const GROUP_RULES: readonly GroupRule[] = [
  { slug: 'eu-data-residency', name: 'EU Data Residency Circle', countries: EU_COUNTRIES },
  { slug: 'health-hiring-isac', name: 'Health Sector Hiring Integrity ISAC', sectors: ['healthcare'] },
  {
    slug: 'finance-payroll-working-group',
    name: 'Finance & Payroll Working Group',
    sectors: ['financial-services', 'insurance', 'payroll-processing'],
  },
  { slug: 'apac-talent-integrity', name: 'APAC Talent Integrity Group', countries: APAC_COUNTRIES },
  { slug: 'ai-labs-trust-circle', name: 'AI Labs Trust Circle', sectors: ['artificial-intelligence'] },
];

function admits(rule: GroupRule, tenant: DemoTenant): boolean {
  if (rule.countries) return rule.countries.has(tenant.country);
  return tenant.sectors.some((s) => rule.sectors?.includes(s));
}

/**
 * Interest groups with at least two members (a group of one shares with no
 * one), plus one cross-sector working group that always exists so that even
 * the smallest demo has a sharing group to show.
 */
export function generateSharingGroups(rng: Rng, tenants: readonly DemoTenant[]): DemoSharingGroup[] {
  const groups: DemoSharingGroup[] = [];
  const add = (slug: string, name: string, members: DemoTenant[], owners: DemoTenant[]): void => {
    const owner = rng.pick(owners.length > 0 ? owners : members);
    groups.push({ slug, name, ownerTenant: owner.slug, members: members.map((t) => t.slug) });
  };
  for (const rule of GROUP_RULES) {
    const members = tenants.filter((t) => admits(rule, t));
    const owners = members.filter((t) => !rule.sectors || rule.sectors.includes(t.sectors[0]));
    if (members.length >= 2) add(rule.slug, rule.name, members, owners);
  }
  const volunteers = tenants.filter(() => rng.chance(0.4));
  const crew = volunteers.length > 0 ? volunteers : [tenants[0]];
  add('remote-hiring-fraud-working-group', 'Remote Hiring Fraud Working Group', crew, crew);
  return groups;
}
