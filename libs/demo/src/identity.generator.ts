/**
 * Fake personas of the remote IT worker scheme. Personas are run from a few
 * laptop farms and handler pools, so they share IPs, postal addresses, phone
 * ranges and payout wallets: the links the exchange exists to surface.
 *
 * Every value is fictitious by construction: `.example` domains, RFC 5737 /
 * RFC 3849 documentation IPs, 555-01xx and Ofcom drama-range phone numbers,
 * invented street names, random hashes and wallet strings with bad checksums.
 */
import { clamp, DAY_MS, endOfDay, growthWeights, instantInMonth, isoDate, startOfDay, WINDOW_END_MS } from './dates';
import type { DemoAddress, DemoIdentity } from './demo.types';
import { compact, poolFor, STEM_HEADS, STEM_TAILS } from './names';
import { randomHex, type Rng } from './rng';
import { CLAIMED_NATIONALITIES, FARM_CITIES, STREET_TYPES, WEBMAIL_DOMAINS } from './vocabulary';

/** An identity plus the generator-only facts the sighting generator needs. */
export interface GeneratedIdentity {
  identity: DemoIdentity;
  activeFromMs: number;
  activeToMs: number;
  /** Relative sighting volume: a few personas apply far more than others. */
  activity: number;
}

interface LaptopFarm {
  addresses: DemoAddress[];
  ips: string[];
  wallets: string[];
  areaCode: string;
  /** Bigger farms run more personas. */
  size: number;
}

const BECH32_CHARS = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const DOC_V4_PREFIXES = ['192.0.2', '198.51.100', '203.0.113'];

/** Hands out the 762 usable documentation IPv4 addresses in a seeded order, wrapping if exhausted. */
function ipv4Supply(rng: Rng): () => string {
  const all: string[] = [];
  for (const prefix of DOC_V4_PREFIXES) for (let host = 1; host <= 254; host++) all.push(`${prefix}.${host}`);
  const order = rng.shuffle(all);
  let next = 0;
  return () => order[next++ % order.length];
}

function ipv6(rng: Rng): string {
  const group = (): string => rng.int(0, 0xffff).toString(16);
  return `2001:db8:${group()}:${group()}::${group()}`;
}

function wallet(rng: Rng): string {
  if (rng.chance(0.6)) return `0x${randomHex(rng, 40)}`;
  let tail = '';
  for (let i = 0; i < 38; i++) tail += BECH32_CHARS[rng.int(0, BECH32_CHARS.length - 1)];
  return `bc1q${tail}`;
}

function farmAddress(rng: Rng, city: (typeof FARM_CITIES)[number]): DemoAddress {
  const street = `${rng.int(100, 9899)} ${rng.pick(STEM_HEADS)}${rng.pick(STEM_TAILS)} ${rng.pick(STREET_TYPES)}`;
  return {
    street: rng.chance(0.4) ? `${street}, Apt ${rng.int(1, 24)}${rng.pick(['A', 'B', 'C', 'D'])}` : street,
    city: city.city,
    region: city.region,
    postalCode: `${city.zip3}${String(rng.int(1, 99)).padStart(2, '0')}`,
    country: 'US',
  };
}

function generateFarms(rng: Rng, count: number): LaptopFarm[] {
  const nextIpv4 = ipv4Supply(rng);
  const cities = rng.shuffle(FARM_CITIES);
  const farms: LaptopFarm[] = [];
  for (let i = 0; i < count; i++) {
    const city = cities[i % cities.length];
    const ips: string[] = [];
    for (let n = rng.int(2, 6); n > 0; n--) ips.push(nextIpv4());
    for (let n = rng.int(0, 2); n > 0; n--) ips.push(ipv6(rng));
    const wallets: string[] = [];
    for (let n = rng.int(1, 3); n > 0; n--) wallets.push(wallet(rng));
    const addresses = [farmAddress(rng, city)];
    if (rng.chance(0.3)) addresses.push(farmAddress(rng, city));
    farms.push({ addresses, ips, wallets, areaCode: city.areaCode, size: 0.5 + rng.next() * 2.5 });
  }
  return farms;
}

/** Up to `max` distinct items from `items` (fewer if there are not enough). */
function sample<T>(rng: Rng, items: readonly T[], max: number): T[] {
  return rng.shuffle(items).slice(0, max);
}

function uniqueStrings(values: string[]): string[] {
  return [...new Set(values)];
}

function phone(rng: Rng, areaCode: string, claimed: string): string {
  // UK personas sometimes give an Ofcom drama-range mobile; otherwise a US VoIP line at the farm.
  if (claimed === 'GB' && rng.chance(0.6)) return `+447700900${String(rng.int(0, 999)).padStart(3, '0')}`;
  return `+1${areaCode}55501${String(rng.int(0, 99)).padStart(2, '0')}`;
}

function emails(rng: Rng, first: string, last: string): string[] {
  const f = compact(first);
  const l = compact(last);
  const yy = String(rng.int(85, 99));
  const locals = [`${f}.${l}`, `${f}${l}${yy}`, `${f[0]}${l}.dev`, `${f}.${l}.${yy}`, `${l}.${f}.work`];
  const chosen = sample(
    rng,
    locals,
    rng.weighted([
      [1, 35],
      [2, 35],
      [3, 20],
      [4, 10],
    ]),
  );
  return uniqueStrings(chosen.map((local) => `${local}@${rng.pick(WEBMAIL_DOMAINS)}`));
}

function handles(rng: Rng, count: number, make: () => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(make());
  return uniqueStrings(out);
}

// Active windows start on the same growth curve as sightings and last months to
// years; a tenth are long-running "veteran" personas that span most of the period.
function activeWindow(rng: Rng): [number, number] {
  const start = startOfDay(instantInMonth(rng, rng.weighted(growthWeights(47))));
  const days = rng.chance(0.1) ? rng.int(900, 1600) : rng.int(120, 900);
  return [start, endOfDay(clamp(start + days * DAY_MS, start, WINDOW_END_MS))];
}

export function generateIdentities(rng: Rng, count: number, farmCount: number): GeneratedIdentity[] {
  const farms = generateFarms(rng, farmCount);
  const farmWeights = farms.map((farm, i) => [i, farm.size] as const);
  const out: GeneratedIdentity[] = [];
  for (let i = 0; i < count; i++) {
    const claimed = rng.weighted(CLAIMED_NATIONALITIES);
    const pool = poolFor(claimed);
    const first = rng.pick(pool.first);
    const last = rng.pick(pool.last);
    const f = compact(first);
    const l = compact(last);
    const home = farms[rng.weighted(farmWeights)];
    // Some personas move between farms (or handlers) during their lifetime.
    const linked = rng.chance(0.15) ? [...new Set([home, farms[rng.weighted(farmWeights)]])] : [home];

    const ips = linked.flatMap((farm) => sample(rng, farm.ips, rng.int(1, 3)));
    if (rng.chance(0.3)) ips.push(ipv6(rng)); // a personal VPN exit of its own
    const wallets = linked.flatMap((farm) => sample(rng, farm.wallets, 1));
    if (rng.chance(0.4)) wallets.push(wallet(rng));
    const phones: string[] = [];
    for (
      let n = rng.weighted([
        [1, 55],
        [2, 33],
        [3, 12],
      ]);
      n > 0;
      n--
    )
      phones.push(phone(rng, rng.pick(linked).areaCode, claimed));

    const [activeFromMs, activeToMs] = activeWindow(rng);
    const resumes: string[] = [];
    for (
      let n = rng.weighted([
        [1, 60],
        [2, 30],
        [3, 10],
      ]);
      n > 0;
      n--
    )
      resumes.push(randomHex(rng, 64));

    out.push({
      identity: {
        key: `persona-${String(i + 1).padStart(4, '0')}`,
        personaName: `${first} ${last}`,
        nationalityClaimed: claimed,
        emails: emails(rng, first, last),
        phones: uniqueStrings(phones),
        githubHandles: handles(
          rng,
          rng.weighted([
            [0, 25],
            [1, 60],
            [2, 15],
          ]),
          () => (rng.chance(0.5) ? `${f}${l}-dev-${randomHex(rng, 4)}` : `${f}-${l}-${randomHex(rng, 4)}`),
        ),
        linkedinHandles: handles(
          rng,
          rng.weighted([
            [0, 15],
            [1, 75],
            [2, 10],
          ]),
          () => `${f}-${l}-${randomHex(rng, 8)}`,
        ),
        telegramHandles: handles(
          rng,
          rng.weighted([
            [0, 50],
            [1, 40],
            [2, 10],
          ]),
          () => `${f}${l[0]}_${randomHex(rng, 4)}`,
        ),
        resumeSha256: resumes,
        ips: uniqueStrings(ips),
        laptopFarmAddresses: linked.flatMap((farm) => sample(rng, farm.addresses, 1)),
        wallets: uniqueStrings(wallets),
        firstActive: isoDate(activeFromMs),
        lastActive: isoDate(activeToMs),
      },
      activeFromMs,
      activeToMs,
      activity: 0.3 + rng.next() * rng.next() * 4,
    });
  }
  return out;
}
