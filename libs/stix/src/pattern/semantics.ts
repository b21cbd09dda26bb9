// Rules of the STIX 2.1 spec's text (section 9) that the ANTLR grammar cannot express. Each
// returns the reason a comparison is invalid, or undefined; the parser adds the position.
import { isIpv4Value, isIpv6Value } from '../normalise/ip';
import { HASH_HEX_LENGTHS } from '../validate/hashes';
import type { ComparisonOperator, Literal, ObjectPath, PathStep } from './ast';

const squash = (name: string) => name.toUpperCase().replace(/[-_]/g, '');

// hash-algorithm-ov (§10.5). Names are matched with case, '-' and '_' ignored, so `hashes.sha256`
// is held to SHA-256 like the canonical spelling (the object validator refuses the misspelling).
const FIXED = new Map([...HASH_HEX_LENGTHS].map(([name, length]) => [squash(name), { name, length }]));
const HEX = /^[0-9A-Fa-f]+$/;
// SSDEEP: "blocksize:hash:hash" with base64-alphabet hashes. TLSH: 70 hex digits (version 3 and
// earlier) or "T1" + 70 hex digits (version 4). The spec names both without a format; these are the
// formats the ssdeep and tlsh tools print.
const FUZZY: ReadonlyMap<string, { name: string; re: RegExp }> = new Map([
  ['SSDEEP', { name: 'SSDEEP', re: /^[0-9]+:[A-Za-z0-9+/]+:[A-Za-z0-9+/]+$/ }],
  ['TLSH', { name: 'TLSH', re: /^(?:T1)?[0-9A-Fa-f]{70}$/ }],
]);

/** The hash algorithm a path ends in (`…hashes.'SHA-256'`), when it is one with a known digest form. */
function hashAlgorithm(steps: readonly PathStep[]): string | undefined {
  const n = steps.length;
  if (n < 2) return undefined;
  const parent = steps[n - 2];
  const key = steps[n - 1];
  if (parent.kind !== 'property' || parent.name !== 'hashes' || key.kind !== 'property') return undefined;
  const k = squash(key.name);
  return FIXED.has(k) || FUZZY.has(k) ? k : undefined;
}

/**
 * §9.6.1: "b MUST be a constant of the same data type as the object property specified by a". A
 * hashes entry of a known algorithm holds that algorithm's digest, so a string that cannot be one
 * (`'SHA-256' = 'f00'`) or a number, boolean or timestamp can never match and is refused.
 * Binary and hex constants are compared as octets and left alone.
 */
export function hashLiteralProblem(path: ObjectPath, lit: Literal): string | undefined {
  const k = hashAlgorithm(path.steps);
  if (!k) return undefined;
  const fixed = FIXED.get(k);
  const fuzzy = FUZZY.get(k);
  const name = fixed?.name ?? fuzzy!.name;
  if (lit.kind === 'binary' || lit.kind === 'hex') return undefined;
  if (lit.kind !== 'string') return `a ${name} hash is compared with a string`;
  if (fixed)
    return lit.value.length === fixed.length && HEX.test(lit.value)
      ? undefined
      : `'${short(lit.value)}' is not a ${name} digest (${fixed.length} hex digits)`;
  return fuzzy!.re.test(lit.value) ? undefined : `'${short(lit.value)}' is not a ${name} digest`;
}

const short = (s: string) => (s.length > 20 ? s.slice(0, 20) + '…' : s);

// §9.6.1: for ISSUBSET/ISSUPERSET "a MUST be an Object Path referring to the value property of an
// Object of type ipv4-addr or ipv6-addr" and "b MUST be a valid string representation of the
// corresponding Object type". A dereferenced address (`network-traffic:dst_ref.value`) refers to
// such a property too; its family is not known from the path, so either family is accepted there.
function addressFamily(path: ObjectPath): 'ipv4' | 'ipv6' | 'either' | undefined {
  const { objectType, steps } = path;
  const last = steps[steps.length - 1];
  if (last?.kind !== 'property' || last.name !== 'value') return undefined;
  if (steps.length === 1) return objectType === 'ipv4-addr' ? 'ipv4' : objectType === 'ipv6-addr' ? 'ipv6' : undefined;
  const before = steps[steps.length - 2];
  if (before.kind === 'property' && before.name.endsWith('_ref')) return 'either';
  const list = steps[steps.length - 3];
  if (before.kind !== 'property' && list?.kind === 'property' && list.name.endsWith('_refs')) return 'either';
  return undefined;
}

/** The reason an ISSUBSET / ISSUPERSET test is invalid, if it is. */
export function subsetProblem(operator: ComparisonOperator, path: ObjectPath, lit: Literal): string | undefined {
  const family = addressFamily(path);
  if (!family) return `${operator} applies only to the value of an ipv4-addr or ipv6-addr`;
  if (lit.kind !== 'string') return undefined; // the grammar already demands a string
  const v4 = isIpv4Value(lit.value);
  const v6 = isIpv6Value(lit.value);
  if (family === 'ipv4' ? v4 : family === 'ipv6' ? v6 : v4 || v6) return undefined;
  return `'${short(lit.value)}' is not an ${family === 'ipv6' ? 'IPv6' : family === 'ipv4' ? 'IPv4' : 'IP'} address or CIDR block`;
}

/** The constant's type for §9.6.1's "set values MUST be constants of homogeneous data type"; integers and floats are one numeric type. */
export function setKind(lit: Literal): string {
  return lit.kind === 'int' || lit.kind === 'float' ? 'number' : lit.kind;
}
