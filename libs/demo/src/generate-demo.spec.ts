import type { DemoData } from './demo.types';
import { generateDemo } from './generate-demo';
import { summarise } from './summary';

const ROLES = new Set(['admin', 'analyst', 'reader']);
const STAGES = new Set(['application', 'interview', 'offer', 'hired', 'detected-after-hire']);
const ROLE_CATEGORIES = new Set(['software', 'data', 'design', 'payroll-accounting', 'customer-service', 'it-support', 'ai-ml']);
const CHANNELS = new Set(['job-board', 'staffing-agency', 'referral', 'freelance-platform', 'direct-application']);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const E164 = /^\+[1-9]\d{7,14}$/;
// Only number ranges set aside for fiction: NANP 555-0100…0199 and Ofcom's 07700 900xxx.
const FICTIONAL_PHONE = /^(\+1[2-9]\d{2}55501\d{2}|\+447700900\d{3})$/;
const SHA256 = /^[0-9a-f]{64}$/;
const WALLET = /^(0x[0-9a-f]{40}|bc1q[02-9ac-hj-np-z]{38})$/;

/** RFC 5737 IPv4 documentation blocks and the RFC 3849 IPv6 prefix. */
function isDocumentationIp(ip: string): boolean {
  const v4 = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.(\d{1,3})$/.exec(ip);
  if (v4) return Number(v4[2]) <= 255;
  return /^2001:db8:[0-9a-f:]+$/.test(ip);
}

describe('generateDemo', () => {
  let data: DemoData;
  beforeAll(() => {
    data = generateDemo({ seed: 1, scale: 1 });
  });

  describe('determinism', () => {
    it('gives byte-identical JSON for the same seed and scale', () => {
      expect(JSON.stringify(generateDemo({ seed: 1, scale: 1 }))).toBe(JSON.stringify(data));
      expect(JSON.stringify(generateDemo({ seed: 77, scale: 0.3 }))).toBe(JSON.stringify(generateDemo({ seed: 77, scale: 0.3 })));
    });

    it('gives different data for different seeds', () => {
      const other = generateDemo({ seed: 2, scale: 1 });
      expect(other.tenants.map((t) => t.slug)).not.toEqual(data.tenants.map((t) => t.slug));
      expect(other.identities.map((i) => i.personaName)).not.toEqual(data.identities.map((i) => i.personaName));
      expect(other.sightings[0]).not.toEqual(data.sightings[0]);
    });

    it('does not read the clock or Math.random', () => {
      const random = jest.spyOn(Math, 'random');
      const now = jest.spyOn(Date, 'now');
      try {
        generateDemo({ seed: 3, scale: 0.1 });
        expect(random).not.toHaveBeenCalled();
        expect(now).not.toHaveBeenCalled();
      } finally {
        random.mockRestore();
        now.mockRestore();
      }
    });
  });

  describe('scale', () => {
    it('sizes scale 1 to the mission', () => {
      expect(data.tenants).toHaveLength(60);
      expect(data.identities).toHaveLength(130);
      expect(data.sightings).toHaveLength(6500);
    });

    it('grows and shrinks counts linearly', () => {
      const tenth = generateDemo({ seed: 1, scale: 0.1 });
      const double = generateDemo({ seed: 1, scale: 2 });
      expect([tenth.tenants.length, tenth.identities.length, tenth.sightings.length]).toEqual([6, 13, 650]);
      expect([double.tenants.length, double.identities.length, double.sightings.length]).toEqual([120, 260, 13000]);
      expect(new Set(double.tenants.map((t) => t.slug)).size).toBe(120);
    });

    it('keeps at least one of each thing at tiny scales', () => {
      const tiny = generateDemo({ seed: 5, scale: 0.0001 });
      expect(tiny.tenants).toHaveLength(1);
      expect(tiny.identities).toHaveLength(1);
      expect(tiny.sightings).toHaveLength(1);
      expect(tiny.sharingGroups.length).toBeGreaterThanOrEqual(1);
      expect(tiny.sightings[0].reporterTenant).toBe(tiny.tenants[0].slug);
    });

    it('rejects a scale or seed it cannot honour', () => {
      expect(() => generateDemo({ seed: 1, scale: 0 })).toThrow(RangeError);
      expect(() => generateDemo({ seed: 1, scale: -1 })).toThrow(RangeError);
      expect(() => generateDemo({ seed: Number.POSITIVE_INFINITY, scale: 1 })).toThrow(RangeError);
    });
  });

  describe('tenants and sharing groups', () => {
    it('have unique slugs, .example domains and a user of every role at their domain', () => {
      expect(new Set(data.tenants.map((t) => t.slug)).size).toBe(data.tenants.length);
      for (const tenant of data.tenants) {
        expect(tenant.country).toMatch(/^[A-Z]{2}$/);
        expect(tenant.sectors.length).toBeGreaterThanOrEqual(1);
        expect(new Set(tenant.sectors).size).toBe(tenant.sectors.length);
        for (const domain of tenant.domains) expect(domain).toMatch(/^[a-z0-9-]+\.example$/);
        expect(new Set(tenant.users.map((u) => u.role))).toEqual(ROLES);
        expect(new Set(tenant.users.map((u) => u.email)).size).toBe(tenant.users.length);
        for (const user of tenant.users) expect(user.email.endsWith(`@${tenant.domains[0]}`)).toBe(true);
        expect(tenant.redactionTerms.length).toBeGreaterThan(0);
        expect(tenant.defaultTlp).not.toBe('RED'); // RED needs named recipients
      }
    });

    it('groups name existing members and an owner among them', () => {
      const slugs = new Set(data.tenants.map((t) => t.slug));
      expect(new Set(data.sharingGroups.map((g) => g.slug)).size).toBe(data.sharingGroups.length);
      expect(data.sharingGroups.map((g) => g.slug)).toEqual(
        expect.arrayContaining(['eu-data-residency', 'health-hiring-isac', 'finance-payroll-working-group']),
      );
      for (const group of data.sharingGroups) {
        expect(group.members.length).toBeGreaterThanOrEqual(1);
        for (const member of group.members) expect(slugs.has(member)).toBe(true);
        expect(group.members).toContain(group.ownerTenant);
      }
      const eu = data.sharingGroups.find((g) => g.slug === 'eu-data-residency');
      const byslug = new Map(data.tenants.map((t) => [t.slug, t]));
      for (const member of eu?.members ?? []) expect(['DE', 'FR', 'NL', 'PL']).toContain(byslug.get(member)?.country);
    });
  });

  describe('identities', () => {
    it('use only fictitious, well-formed identifiers', () => {
      expect(new Set(data.identities.map((i) => i.key)).size).toBe(data.identities.length);
      for (const identity of data.identities) {
        expect(identity.emails.length).toBeGreaterThanOrEqual(1);
        expect(identity.emails.length).toBeLessThanOrEqual(4);
        for (const email of identity.emails) expect(email).toMatch(/^[a-z0-9._-]+@[a-z0-9-]+\.example$/);
        expect(identity.phones.length).toBeGreaterThanOrEqual(1);
        expect(identity.phones.length).toBeLessThanOrEqual(3);
        for (const phone of identity.phones) {
          expect(phone).toMatch(E164);
          expect(phone).toMatch(FICTIONAL_PHONE);
        }
        expect(identity.resumeSha256.length).toBeGreaterThanOrEqual(1);
        for (const hash of identity.resumeSha256) expect(hash).toMatch(SHA256);
        expect(identity.ips.length).toBeGreaterThanOrEqual(1);
        for (const ip of identity.ips) expect(isDocumentationIp(ip)).toBe(true);
        for (const wallet of identity.wallets) expect(wallet).toMatch(WALLET);
        for (const address of identity.laptopFarmAddresses) expect(address.country).toBe('US');
        expect(identity.firstActive).toMatch(ISO_DATE);
        expect(identity.lastActive).toMatch(ISO_DATE);
        expect(identity.firstActive >= '2021-01-01').toBe(true);
        expect(identity.lastActive <= '2025-06-30').toBe(true);
        expect(identity.firstActive <= identity.lastActive).toBe(true);
      }
    });

    it('share laptop-farm IPs and addresses between personas', () => {
      expect(summarise(data).totals.sharedIps).toBeGreaterThanOrEqual(20);
      const addressOwners = new Map<string, number>();
      for (const identity of data.identities) {
        for (const a of identity.laptopFarmAddresses) {
          const key = JSON.stringify(a);
          addressOwners.set(key, (addressOwners.get(key) ?? 0) + 1);
        }
      }
      expect([...addressOwners.values()].filter((n) => n >= 3).length).toBeGreaterThanOrEqual(5);
    });
  });

  describe('sightings', () => {
    it('reference an existing tenant, identity and one of its identifiers', () => {
      const tenants = new Set(data.tenants.map((t) => t.slug));
      const identities = new Map(data.identities.map((i) => [i.key, i]));
      const valuesOf = {
        EMAIL: 'emails',
        PHONE: 'phones',
        GITHUB: 'githubHandles',
        LINKEDIN: 'linkedinHandles',
        IP: 'ips',
        RESUME_HASH: 'resumeSha256',
        WALLET: 'wallets',
      } as const;
      for (const s of data.sightings) {
        expect(tenants.has(s.reporterTenant)).toBe(true);
        const identity = identities.get(s.identityKey);
        expect(identity).toBeDefined();
        if (!identity) continue;
        expect(identity[valuesOf[s.observedIdentifier.type]]).toContain(s.observedIdentifier.value);
      }
    });

    it('fall inside the period and the identity window, with valid fields', () => {
      const identities = new Map(data.identities.map((i) => [i.key, i]));
      for (const s of data.sightings) {
        const identity = identities.get(s.identityKey);
        expect(s.firstSeen).toMatch(ISO_INSTANT);
        expect(s.lastSeen).toMatch(ISO_INSTANT);
        expect(s.firstSeen <= s.lastSeen).toBe(true);
        expect(s.firstSeen.slice(0, 10) >= (identity?.firstActive ?? '')).toBe(true);
        expect(s.lastSeen.slice(0, 10) <= (identity?.lastActive ?? '')).toBe(true);
        expect(s.firstSeen >= '2021-01-01T00:00:00.000Z').toBe(true);
        expect(s.lastSeen <= '2025-06-30T23:59:59.999Z').toBe(true);
        expect(Number.isInteger(s.count) && s.count >= 1).toBe(true);
        expect(s.confidence).toBeGreaterThanOrEqual(50);
        expect(s.confidence).toBeLessThanOrEqual(95);
        expect(STAGES.has(s.stage)).toBe(true);
        expect(ROLE_CATEGORIES.has(s.roleCategory)).toBe(true);
        expect(CHANNELS.has(s.hiringChannel)).toBe(true);
      }
    });

    it('are ordered by firstSeen', () => {
      for (let i = 1; i < data.sightings.length; i++) {
        expect(data.sightings[i - 1].firstSeen <= data.sightings[i].firstSeen).toBe(true);
      }
    });

    it('show wallets only once a persona has been hired', () => {
      const early = data.sightings.filter((s) => s.stage === 'application' || s.stage === 'interview');
      expect(early.some((s) => s.observedIdentifier.type === 'WALLET')).toBe(false);
      expect(data.sightings.some((s) => s.observedIdentifier.type === 'WALLET')).toBe(true);
    });
  });

  it('names the DPRK IT worker scheme with its public aliases', () => {
    const aliases = [...data.campaign.threatActor.aliases, data.campaign.intrusionSet.name, ...data.campaign.intrusionSet.aliases];
    expect(aliases).toEqual(expect.arrayContaining(['Famous Chollima', 'Jasper Sleet', 'UNC5267']));
  });

  describe('anchored on the day it is loaded', () => {
    const ANCHOR = '2026-12-06';
    const DAY = 86_400_000;
    let anchored: DemoData;
    beforeAll(() => {
      anchored = generateDemo({ seed: 1, scale: 1, anchor: ANCHOR });
    });

    it('ends the day before the anchor and is busiest in the last 90 days (stats’ default window)', () => {
      const anchorMs = Date.parse(`${ANCHOR}T00:00:00.000Z`);
      const last = anchored.sightings.reduce((m, s) => (s.lastSeen > m ? s.lastSeen : m), '');
      expect(last < `${ANCHOR}T00:00:00.000Z`).toBe(true);
      expect(Date.parse(last)).toBeGreaterThan(anchorMs - 7 * DAY);
      expect(anchored.sightings[0].firstSeen >= new Date(anchorMs - 55 * 31 * DAY).toISOString()).toBe(true);
      const recent = anchored.sightings.filter((s) => Date.parse(s.firstSeen) >= anchorMs - 90 * DAY).length;
      expect(recent / anchored.sightings.length).toBeGreaterThan(90 / (54 * 30.5)); // more than an even share
      for (const i of anchored.identities) expect(i.lastActive < ANCHOR).toBe(true);
    });

    it('is the reference data moved by whole days: same people, same intervals, same order', () => {
      const shift = Date.parse(anchored.sightings[0].firstSeen) - Date.parse(data.sightings[0].firstSeen);
      expect(shift % DAY).toBe(0);
      expect(anchored.tenants).toEqual(data.tenants);
      anchored.sightings.forEach((s, i) => {
        const r = data.sightings[i];
        expect({ ...s, firstSeen: Date.parse(s.firstSeen) - shift, lastSeen: Date.parse(s.lastSeen) - shift }).toEqual({
          ...r,
          firstSeen: Date.parse(r.firstSeen),
          lastSeen: Date.parse(r.lastSeen),
        });
      });
    });

    it('gives the same data for the same seed and anchor, other dates for another anchor', () => {
      expect(JSON.stringify(generateDemo({ seed: 1, scale: 1, anchor: ANCHOR }))).toBe(JSON.stringify(anchored));
      expect(generateDemo({ seed: 1, scale: 0.1, anchor: '2027-01-01' }).sightings[0].firstSeen).not.toBe(
        generateDemo({ seed: 1, scale: 0.1, anchor: ANCHOR }).sightings[0].firstSeen,
      );
    });

    it.each(['2026-13-01', '2026-02-30', 'yesterday', '2026-1-5'])('rejects the anchor %j', (anchor) => {
      expect(() => generateDemo({ seed: 1, scale: 0.1, anchor })).toThrow(/anchor/);
    });
  });
});
