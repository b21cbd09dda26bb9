import { fail, ok, type Normalised } from './result';

const OCTET = /^(?:0|[1-9]\d{0,2})$/;
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;
const GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // A leading zero ("010") reads as octal to some parsers and decimal to others.
    if (!OCTET.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function splitPrefix(text: string, max: number): { addr: string; prefix?: number } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return { addr: text };
  const p = text.slice(slash + 1);
  if (!PREFIX.test(p) || Number(p) > max) return undefined;
  return { addr: text.slice(0, slash), prefix: Number(p) };
}

/** Canonical dotted-quad IPv4 (optionally /prefix; /32 dropped); refuses leading zeros and out-of-range octets. */
export function normaliseIpv4(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  const split = splitPrefix(input.trim(), 32);
  if (!split) return fail('invalid CIDR prefix');
  const octets = parseIpv4(split.addr);
  if (!octets) return fail('not a dotted-quad IPv4 address without leading zeros');
  const addr = octets.join('.');
  return ok(split.prefix === undefined || split.prefix === 32 ? addr : `${addr}/${split.prefix}`);
}

function parseIpv6(text: string): number[] | undefined {
  if (text.length > 45 || text.length < 2) return undefined;
  let head = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    head = text.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::", "a::1.2.3.4" leaves "a::", "a:b:…:1.2.3.4" leaves "…:" — drop a lone trailing colon.
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!GROUP.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if (!left || !right) return undefined;
  const explicit = left.length + right.length + tail.length;
  if (halves.length === 1) return explicit === 8 ? [...left, ...tail] : undefined;
  if (explicit > 7) return undefined;
  return [...left, ...new Array<number>(8 - explicit).fill(0), ...right, ...tail];
}

/** RFC 5952 text for eight 16-bit groups. */
export function formatIpv6(groups: readonly number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** RFC 5952 canonical IPv6 (optionally /prefix; /128 dropped); zone ids are refused. */
export function normaliseIpv6(input: string): Normalised {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim();
  if (text.includes('%')) return fail('zone identifiers are not allowed');
  const split = splitPrefix(text, 128);
  if (!split) return fail('invalid CIDR prefix');
  const groups = parseIpv6(split.addr);
  if (!groups) return fail('not an IPv6 address');
  const addr = formatIpv6(groups);
  return ok(split.prefix === undefined || split.prefix === 128 ? addr : `${addr}/${split.prefix}`);
}

/** True for a STIX ipv4-addr value: an address or CIDR block. */
export function isIpv4Value(value: string): boolean {
  const split = splitPrefix(value, 32);
  return split !== undefined && parseIpv4(split.addr) !== undefined;
}

/** True for a STIX ipv6-addr value: an address or CIDR block. */
export function isIpv6Value(value: string): boolean {
  const split = splitPrefix(value, 128);
  return split !== undefined && !value.includes('%') && parseIpv6(split.addr) !== undefined;
}

/**
 * An IP address of either family, canonical (normaliseIpv4 / normaliseIpv6); an IPv4-mapped IPv6
 * address (`::ffff:192.0.2.1`) is the IPv4 address it maps, so both spellings match.
 */
export function normaliseIp(input: string): Normalised<{ family: 4 | 6 }> {
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim().replace(/^\[(.*)\]$/, '$1');
  const v4 = normaliseIpv4(text);
  if (v4.ok) return ok(v4.value, { family: 4 as const });
  if (!text.includes(':')) return fail(`not an IP address: IPv4 ${v4.reason}`);
  const v6 = normaliseIpv6(text);
  if (!v6.ok) return fail(`not an IP address: IPv6 ${v6.reason}`);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6.value);
  return mapped ? ok(mapped[1], { family: 4 as const }) : ok(v6.value, { family: 6 as const });
}
