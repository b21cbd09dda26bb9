// STIX timestamps are RFC 3339 in UTC with a mandatory "Z". Years are always
// four digits, so the first 19 characters compare correctly as strings and
// only the fractional part needs numeric alignment.

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface TimestampCheck {
  valid: boolean;
  /** Number of fractional-second digits (0 when absent). */
  precision: number;
}

const INVALID: TimestampCheck = Object.freeze({ valid: false, precision: 0 });
const VALID_BY_PRECISION: readonly TimestampCheck[] = Array.from({ length: 10 }, (_, precision) =>
  Object.freeze({ valid: true, precision }),
);

// Hand-rolled rather than a regex: this runs several times per object on the validation hot path.
function num(s: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Checks an RFC 3339 UTC ("Z") timestamp of years 0001–9999 with seconds 00–59, including calendar validity; never throws. */
export function checkTimestamp(value: unknown): TimestampCheck {
  return check(value, 59);
}

/**
 * checkTimestamp for a pattern's t'…' literal, which also takes second 60: the patterning grammar
 * (§2.16) allows it, and a pattern is text that Cairn stores and serves as written, never an instant it
 * binds in SQL.
 */
export function checkPatternTimestamp(value: unknown): TimestampCheck {
  return check(value, 60);
}

function check(value: unknown, maxSecond: 59 | 60): TimestampCheck {
  if (typeof value !== 'string' || value.length < 20 || value.length > 30) return INVALID;
  const s = value;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[s.length - 1] !== 'Z') return INVALID;
  let precision = 0;
  if (s.length > 20) {
    if (s[19] !== '.') return INVALID;
    precision = s.length - 21;
    if (precision < 1 || precision > 9 || num(s, 20, precision) < 0) return INVALID;
  }
  const year = num(s, 0, 4);
  const month = num(s, 5, 2);
  const day = num(s, 8, 2);
  const hour = num(s, 11, 2);
  const minute = num(s, 14, 2);
  const second = num(s, 17, 2);
  // Year 0000 fits RFC 3339's grammar (ISO 8601's year zero, 1 BC), but STIX timestamps are meant for
  // the current era and neither PostgreSQL (which has no year 0: "date/time field value out of range")
  // nor strict consumers (Python's datetime.MINYEAR is 1, .NET's DateTime starts at 0001) can hold it:
  // accepted, it would give a 500 on the way in or an object no one can parse on the way out.
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0) return INVALID;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && leap ? 29 : DAYS[month - 1];
  // Second 60 (RFC 3339's leap second) is refused for the same reason: PostgreSQL takes it only with a
  // zero fraction (…:60.5 is "out of range") and reads it as the next minute, while Python's datetime,
  // the stix2 library and .NET cannot parse it at all, so a stored one could not be served to strict
  // consumers. RFC 3339 allows it only at the end of a month that had one, which real feeds never
  // need (none since 2016-12-31; leap seconds end by 2035); OASIS CSAF 2.1 prohibits them for the same
  // interoperability reason. Write …:59.999Z instead.
  if (day > maxDay || second > maxSecond) return INVALID;
  return VALID_BY_PRECISION[precision];
}

/**
 * Why a timestamp of the right shape is refused, for the two rules a writer would not guess (year
 * 0000, second 60); undefined otherwise. Works on STIX ("Z") and offset timestamps alike.
 */
export function timestampRefusalHint(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 19 || value[10] !== 'T') return undefined;
  if (value.startsWith('0000-')) return 'year 0000 is not a valid STIX timestamp year (the first is 0001)';
  if (value[16] === ':' && value.slice(17, 19) === '60') return 'second 60 (a leap second) is not accepted: write …:59.999 instead';
  return undefined;
}

/** True for a valid STIX timestamp. */
export function isStixTimestamp(value: unknown): value is string {
  return checkTimestamp(value).valid;
}

/** Orders two valid STIX timestamps (negative, zero, positive) exactly, whatever their precision. */
export function compareTimestamps(a: string, b: string): number {
  const ha = a.slice(0, 19);
  const hb = b.slice(0, 19);
  if (ha !== hb) return ha < hb ? -1 : 1;
  const fa = a.length > 20 ? a.slice(20, -1) : '';
  const fb = b.length > 20 ? b.slice(20, -1) : '';
  const width = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(width, '0');
  const pb = fb.padEnd(width, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

/**
 * The key under which a version (a valid STIX timestamp) is stored and compared: the same instant
 * always gives the same text, with exactly the six fractional digits PostgreSQL keeps (finer digits
 * are cut, so the database never rounds a key into another). `…04.837209Z` and `…04.837999Z` stay
 * two versions; `…05.5Z` and `…05.500000Z` are one.
 */
export function versionKey(timestamp: string): string {
  const fraction = timestamp.length > 20 ? timestamp.slice(20, -1) : '';
  return `${timestamp.slice(0, 19)}.${fraction.padEnd(6, '0').slice(0, 6)}Z`;
}

const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The `modified` of a version that follows one modified at `after` (a valid STIX timestamp): at
 * least a millisecond later, no earlier than `now` (ms since the epoch), with millisecond precision;
 * undefined when that would be past 9999-12-31T23:59:59.999Z, the last instant a STIX timestamp holds.
 * A leap second (…:60, refused on input now but possibly held by rows stored before) is read as PostgreSQL
 * reads it, the first second of the next minute (Date.parse refuses it).
 */
export function nextVersionTimestamp(after: string, now: number): string | undefined {
  const leap = after.slice(17, 19) === '60';
  const at = leap ? Date.parse(`${after.slice(0, 17)}59${after.slice(19)}`) + 1000 : Date.parse(after);
  const next = Math.max(now, at + 1);
  return next <= LAST_MS ? new Date(next).toISOString() : undefined;
}

/** Formats a Date as a STIX timestamp with millisecond precision. */
export function toStixTimestamp(date: Date): string {
  return date.toISOString();
}

const MAX_FRACTION_DIGITS = 6;
const MAX_OFFSET_HOURS = 15;
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(?:Z|z|([+-])(\d\d):(\d\d))$/;

/**
 * True for an RFC 3339 timestamp with an offset that names a real instant: calendar date of years
 * 0001–9999 (checkTimestamp), hour 00–23, second 00–59, at most 6 fractional digits (what PostgreSQL keeps, so
 * nothing rounds past a bound), offset at most ±15:59. A calendar check, not Date.parse, which
 * takes 2025-02-30 as 2 March.
 */
export function isRfc3339Timestamp(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 40) return false;
  const m = RFC3339.exec(value);
  if (!m) return false;
  const fraction = m[2] ?? '';
  if (fraction.length - 1 > MAX_FRACTION_DIGITS) return false;
  // RFC 3339's grammar takes offsets to ±23:59, PostgreSQL only to ±15:59 ("time zone displacement
  // out of range"); no zone has ever been further from UTC than +14:00 or −12:00.
  if (m[3] !== undefined && (Number(m[4]) > MAX_OFFSET_HOURS || Number(m[5]) > 59)) return false;
  return checkTimestamp(`${m[1]}${fraction}Z`).valid;
}
