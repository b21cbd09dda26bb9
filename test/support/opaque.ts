/**
 * Every number an attacker could read out of two opaque strings: the digit runs of their base64
 * (or base64url) decoding, and the integers in every 3–8-byte window of the decoded bytes; for
 * each, the difference between the two (windows of 3 bytes and more: random bytes differ by
 * small numbers too often to tell anything). A cursor that carries the feed position in any plain
 * encoding yields the number of feed rows between them.
 */
export function gapsReadable(x: string, y: string): Set<bigint> {
  const out = new Set<bigint>();
  const numbers = (s: string): bigint[][] => {
    const bytes = Buffer.from(s, s.includes('+') || s.includes('/') ? 'base64' : 'base64url');
    const digits = [...bytes.toString('latin1').matchAll(/\d+/g)].map((m) => BigInt(m[0]));
    const windows: bigint[] = [];
    for (let w = 3; w <= 8; w++)
      for (let i = 0; i + w <= bytes.length; i++) windows.push(BigInt(`0x${bytes.subarray(i, i + w).toString('hex')}`));
    return [digits, windows];
  };
  const [dx, wx] = numbers(x);
  const [dy, wy] = numbers(y);
  dx.forEach((a, i) => dy[i] !== undefined && out.add(dy[i] - a));
  wx.forEach((a, i) => wy[i] !== undefined && out.add(wy[i] - a));
  return out;
}
