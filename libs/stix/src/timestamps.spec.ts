import {
  checkPatternTimestamp,
  checkTimestamp,
  compareTimestamps,
  isRfc3339Timestamp,
  nextVersionTimestamp,
  timestampRefusalHint,
  versionKey,
} from './timestamps';

describe('timestamps', () => {
  it.each([
    ['2016-05-12T08:17:27.000Z', 3],
    ['2016-05-12T08:17:27Z', 0],
    ['2016-05-12T08:17:27.123456789Z', 9],
    ['2016-12-31T23:59:59.999Z', 3],
    ['0001-01-01T00:00:00Z', 0],
    ['9999-12-31T23:59:59.999999Z', 6],
  ])('accepts %s', (ts, precision) => expect(checkTimestamp(ts)).toEqual({ valid: true, precision }));

  it.each([
    '2016-05-12T08:17:27.000',
    '2016-05-12T08:17:27+00:00',
    '2016-05-12 08:17:27Z',
    '2016-13-12T08:17:27Z',
    '2023-02-29T00:00:00Z',
    '2016-05-12T24:00:00Z',
    '2016-05-12T08:17:27.Z',
    '2016-05-12t08:17:27z',
    '',
    20160512,
    // No year 0 (PostgreSQL refuses it; Python's datetime cannot hold it).
    '0000-01-01T00:00:00Z',
    '0000-12-31T23:59:59.999Z',
    '0000-02-29T00:00:00Z',
    // No second 60 (PostgreSQL takes it only with a zero fraction; Python's datetime and stix2 not at all).
    '2016-12-31T23:59:60Z',
    '2016-12-31T23:59:60.000Z',
    '2016-12-31T23:59:60.500Z',
    '2016-12-31T09:17:60.000Z',
    '2016-12-31T23:59:61Z',
  ])('rejects %p', (ts) => expect(checkTimestamp(ts).valid).toBe(false));

  it('says why year 0000 and second 60 are refused, and nothing for other timestamps', () => {
    expect(timestampRefusalHint('0000-01-01T00:00:00Z')).toMatch(/year 0000/);
    expect(timestampRefusalHint('2016-12-31T23:59:60.500Z')).toMatch(/second 60/);
    expect(timestampRefusalHint('2016-12-31T23:59:60.5+00:00')).toMatch(/second 60/);
    expect(timestampRefusalHint('2016-12-31T23:59:59Z')).toBeUndefined();
    expect(timestampRefusalHint('2016-13-31T23:59:59Z')).toBeUndefined();
    expect(timestampRefusalHint(60)).toBeUndefined();
  });

  it('takes second 60 in pattern literals only (the patterning grammar allows it)', () => {
    expect(checkPatternTimestamp('2016-12-31T23:59:60.500Z')).toEqual({ valid: true, precision: 3 });
    expect(checkPatternTimestamp('2016-12-31T23:59:61Z').valid).toBe(false);
    expect(checkPatternTimestamp('0000-01-01T00:00:00Z').valid).toBe(false);
  });

  it('compares across precisions exactly', () => {
    expect(compareTimestamps('2016-05-12T08:17:27Z', '2016-05-12T08:17:27.000Z')).toBe(0);
    expect(compareTimestamps('2016-05-12T08:17:27.1Z', '2016-05-12T08:17:27.09Z')).toBe(1);
    expect(compareTimestamps('2016-05-12T08:17:26.999Z', '2016-05-12T08:17:27Z')).toBe(-1);
  });
});

describe('isRfc3339Timestamp', () => {
  it.each([
    '2025-06-02T09:00:00Z',
    '2025-06-02T09:00:00.123456Z',
    '2025-06-02T09:00:00-15:59',
    '2025-06-02T09:00:00+14:00',
    // Instants outside years 1–9999 in UTC, though not as written: PostgreSQL takes them.
    '9999-12-31T23:00:00-02:00',
    '0001-01-01T00:30:00+01:00',
  ])('accepts %s', (ts) => expect(isRfc3339Timestamp(ts)).toBe(true));
  it.each([
    '2025-13-45T99:99:99Z',
    '2025-02-30T00:00:00Z',
    '2025-06-02T24:00:00Z',
    '2025-06-02T10:00:00+25:00',
    // Beyond PostgreSQL's ±15:59.
    '2025-06-02T09:00:00-23:59',
    '2025-06-02T09:00:00+16:00',
    '0000-01-01T00:00:00Z',
    '0000-12-31T23:00:00-02:00',
    '2025-06-02T10:00:00.1234567Z',
    '2024-02-29T23:59:60+05:30',
    '2016-12-31T23:59:60.5+00:00',
    '2016-12-31T23:59:60Z',
    '2025-06-02',
    '',
    42,
  ])('rejects %p', (ts) => expect(isRfc3339Timestamp(ts)).toBe(false));
});

describe('versionKey', () => {
  it('gives one text per instant, to the microsecond PostgreSQL keeps', () => {
    expect(versionKey('2025-03-04T05:06:05Z')).toBe('2025-03-04T05:06:05.000000Z');
    expect(versionKey('2025-03-04T05:06:05.5Z')).toBe(versionKey('2025-03-04T05:06:05.500000Z'));
    expect(versionKey('2025-03-04T05:06:04.837209Z')).not.toBe(versionKey('2025-03-04T05:06:04.837999Z'));
    // Finer than a microsecond is cut, never rounded into the next key.
    expect(versionKey('2025-03-04T05:06:04.999999999Z')).toBe('2025-03-04T05:06:04.999999Z');
  });
});

describe('nextVersionTimestamp', () => {
  const now = Date.parse('2025-06-02T09:00:00.000Z');
  it('is later than the version it follows and no earlier than now', () => {
    expect(nextVersionTimestamp('2025-01-01T00:00:00.000Z', now)).toBe('2025-06-02T09:00:00.000Z');
    expect(nextVersionTimestamp('2030-01-01T00:00:00.123456Z', now)).toBe('2030-01-01T00:00:00.124Z');
    // A leap second (refused on input now, but rows stored before may hold one) is the next minute's
    // first second, as PostgreSQL reads it.
    expect(nextVersionTimestamp('2030-12-31T23:59:60.500Z', now)).toBe('2031-01-01T00:00:00.501Z');
  });
  it.each(['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999999Z', '9999-12-31T23:59:60Z'])('has none after %s', (ts) =>
    expect(nextVersionTimestamp(ts, now)).toBeUndefined(),
  );
});
